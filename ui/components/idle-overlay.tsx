import type { Intent } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';

interface IdleOverlayProps {
  secondsLeft: number;
  t: Translate;
  send: (intent: Intent) => void;
}

/**
 * The idle warning. The core counts down and ends the session; this only shows the seconds it sends and
 * a big button that tells the core someone is still there.
 */
export function IdleOverlay({ secondsLeft, t, send }: IdleOverlayProps) {
  return (
    <div class="idle-overlay" role="alertdialog" aria-modal="true" aria-labelledby="idle-title">
      <div class="idle-box">
        <h2 id="idle-title">{t('idle.title')}</h2>
        <p class="idle-seconds" aria-live="assertive">
          {t('idle.body', { seconds: secondsLeft })}
        </p>
        <button
          type="button"
          class="btn btn-primary btn-huge"
          data-action="continue"
          autoFocus
          onClick={() => send({ type: 'touch' })}
        >
          {t('action.continue')}
        </button>
      </div>
    </div>
  );
}
