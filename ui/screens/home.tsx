import type { ComponentChildren } from 'preact';
import { ScreenFrame } from '../components/screen-frame.tsx';
import { MaintenanceGesture } from '../maintenance/index.tsx';
import type { ScreenProps } from './screen-props.ts';

interface HomeProps extends ScreenProps {
  /** The camera preview when the scanner is the kiosk camera (`view.camera`). */
  camera?: ComponentChildren;
}

/** Waiting for a print code: scan it, or type the application number, or read the service information. */
export function HomeScreen({ view, t, send, camera }: HomeProps) {
  return (
    <ScreenFrame screen="home" locale={view.locale} t={t} send={send}>
      <MaintenanceGesture send={send} />
      <h1>{t('home.title')}</h1>
      {camera ? (
        <div class="camera-box">{camera}</div>
      ) : (
        <div class="scan-hint" aria-hidden="true">
          <svg viewBox="0 0 120 120" width="240" height="240" role="presentation">
            <rect x="8" y="8" width="40" height="40" rx="4" />
            <rect x="72" y="8" width="40" height="40" rx="4" />
            <rect x="8" y="72" width="40" height="40" rx="4" />
            <rect x="72" y="72" width="16" height="16" />
            <rect x="96" y="96" width="16" height="16" />
          </svg>
        </div>
      )}
      <p class="lead">{camera ? t('home.scanCamera') : t('home.scan')}</p>
      <section class="available" aria-label={t('home.available')}>
        <p>{t('home.available')}</p>
        <ul>
          <li class={view.available.card ? 'on' : 'off'}>
            {view.available.card ? t('home.card') : t('home.cardOff')}
          </li>
          <li class={view.available.a4 ? 'on' : 'off'}>
            {view.available.a4 ? t('home.a4') : t('home.a4Off')}
          </li>
        </ul>
      </section>
      <div class="actions">
        <p class="or">{t('home.noQr')}</p>
        <button
          type="button"
          class="btn btn-secondary btn-wide"
          data-action="manual-entry"
          onClick={() => send({ type: 'manual-entry' })}
        >
          {t('action.manualEntry')}
        </button>
        <button
          type="button"
          class="btn btn-secondary btn-wide"
          data-action="nik-login"
          onClick={() => send({ type: 'nik-login' })}
        >
          {t('action.nikLogin')}
        </button>
        <button
          type="button"
          class="btn btn-ghost btn-wide"
          data-action="info"
          onClick={() => send({ type: 'info' })}
        >
          {t('action.info')}
        </button>
      </div>
    </ScreenFrame>
  );
}
