import { HelpdeskPanel } from '../components/helpdesk.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The kiosk can print nothing at all; it says so and points to the counter and the helpdesk. */
export function OutOfServiceScreen({ view, t, send }: ScreenProps) {
  return (
    <ScreenFrame
      screen="out-of-service"
      view={view}
      t={t}
      send={send}
      tone="alert"
      icon="closed"
      title={{ key: 'oos.title' }}
      instruction={[{ key: 'oos.body' }]}
    >
      <HelpdeskPanel helpdesk={view.helpdesk} t={t} />
      <p class="kiosk-id">{view.kioskId}</p>
    </ScreenFrame>
  );
}
