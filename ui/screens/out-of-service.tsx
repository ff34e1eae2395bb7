import { HelpdeskPanel } from '../components/helpdesk.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The kiosk can print nothing at all; it says so and points to the counter and the helpdesk. */
export function OutOfServiceScreen({ view, t, send }: ScreenProps) {
  return (
    <ScreenFrame screen="out-of-service" locale={view.locale} t={t} send={send}>
      <div class="error-icon" aria-hidden="true">
        ✕
      </div>
      <h1>{t('oos.title')}</h1>
      <p class="lead">{t('oos.body')}</p>
      <HelpdeskPanel helpdesk={view.helpdesk} t={t} />
      <p class="kiosk-id">{view.kioskId}</p>
    </ScreenFrame>
  );
}
