import type { ComponentChildren } from 'preact';
import { Icon } from '../components/icon.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

interface HomeProps extends ScreenProps {
  /** The camera preview when the scanner is the kiosk camera (`view.camera`). */
  camera?: ComponentChildren;
}

/**
 * Waiting for a print code: scan it, or type the application number, or read the service information.
 * It names only the way of scanning this kiosk has: the camera when `view.camera`, else the scanner.
 */
export function HomeScreen({ view, t, send, camera }: HomeProps) {
  return (
    <ScreenFrame
      screen="home"
      view={view}
      t={t}
      send={send}
      title={{ key: 'home.title' }}
      instruction={[{ key: view.camera ? 'home.scanCamera' : 'home.scan' }]}
      actions={
        <>
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
        </>
      }
    >
      {camera ? (
        <div class="camera-box">{camera}</div>
      ) : (
        <div class="scan-hint" aria-hidden="true">
          <svg viewBox="0 0 120 120" width="200" height="200" role="presentation">
            <rect x="8" y="8" width="40" height="40" rx="4" />
            <rect x="72" y="8" width="40" height="40" rx="4" />
            <rect x="8" y="72" width="40" height="40" rx="4" />
            <rect x="72" y="72" width="16" height="16" />
            <rect x="96" y="96" width="16" height="16" />
          </svg>
        </div>
      )}
      <section class="available" aria-label={t('home.available')}>
        <p>{t('home.available')}</p>
        <ul>
          <li class={view.available.card ? 'on' : 'off'}>
            <Icon name="card" />
            {view.available.card ? t('home.card') : t('home.cardOff')}
          </li>
          <li class={view.available.a4 ? 'on' : 'off'}>
            <Icon name="document" />
            {view.available.a4 ? t('home.a4') : t('home.a4Off')}
          </li>
        </ul>
      </section>
    </ScreenFrame>
  );
}
