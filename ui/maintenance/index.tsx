import type { Intent, View } from '../../kiosk/view.ts';

/** Props of the maintenance screens: the whole View, the intent sender and the applicant translator. */
export interface MaintenanceScreenProps {
  view: View;
  send: (i: Intent) => void;
  t: (key: string, params?: Record<string, string | number>) => string;
}

/** Renders `view.maintenance` for every `maintenance-*` screen. */
export function MaintenanceScreen(props: MaintenanceScreenProps) {
  const { view, send } = props;
  return (
    <main data-screen={view.screen}>
      <h1>Pemeliharaan / Maintenance</h1>
      <button type="button" data-action="exit" onClick={() => send({ type: 'maintenance', action: 'exit' })}>
        Keluar / Exit
      </button>
    </main>
  );
}
