import { HelpdeskPanel } from '../components/helpdesk.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** Stages the central API reports for an application still IN_PROCESS, with words in the catalogue. */
const KNOWN_STAGES = new Set(['VERIFICATION', 'DATA_ENTRY', 'VALIDATION', 'SIGNING']);

/** What went wrong, what to do next, whom to call; `home` always, `retry` when the core says it can help. */
export function ErrorScreen({ view, t, send }: ScreenProps<'error'>) {
  const reason = view.reason ?? 'service-unavailable';
  const stage = view.stage && KNOWN_STAGES.has(view.stage) ? t(`stage.${view.stage}`) : t('stage.unknown');
  return (
    <ScreenFrame screen="error" reason={reason} locale={view.locale} t={t} send={send}>
      <div class="error-icon" aria-hidden="true">
        !
      </div>
      <h1>{t(`error.${reason}`)}</h1>
      {reason === 'not-ready' && (
        <p class="stage" data-stage={view.stage ?? ''}>
          {t('error.not-ready.stage', { stage })}
        </p>
      )}
      <section class="next-step" aria-labelledby="next-title">
        <h2 id="next-title">{t('error.whatNext')}</h2>
        <p class="lead">{t(`error.${reason}.next`)}</p>
      </section>
      <div class="actions actions-row">
        {view.canRetry && (
          <button
            type="button"
            class="btn btn-primary"
            data-action="retry"
            onClick={() => send({ type: 'retry' })}
          >
            {t('action.retry')}
          </button>
        )}
        <button
          type="button"
          class={view.canRetry ? 'btn btn-secondary' : 'btn btn-primary'}
          data-action="home"
          onClick={() => send({ type: 'home' })}
        >
          {t('action.home')}
        </button>
      </div>
      <HelpdeskPanel helpdesk={view.helpdesk} t={t} />
    </ScreenFrame>
  );
}
