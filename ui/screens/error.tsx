import { HelpdeskPanel } from '../components/helpdesk.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** Stages the central API reports for an application still IN_PROCESS, with words in the catalogue. */
const KNOWN_STAGES = new Set(['VERIFICATION', 'DATA_ENTRY', 'VALIDATION', 'SIGNING']);

/**
 * What went wrong, what to do next, whom to call; `home` always, `retry` when the core says it can help.
 * `not-ready` is not a failure: it says calmly that the application is on its way, at which stage.
 */
export function ErrorScreen({ view, t, send }: ScreenProps<'error'>) {
  const reason = view.reason ?? 'service-unavailable';
  const calm = reason === 'not-ready';
  // A paused queue is not an empty one: say what is true (the reason stays `out-of-supplies`).
  const text =
    reason === 'out-of-supplies' && view.paused ? 'error.out-of-supplies.paused' : `error.${reason}`;
  const stage = view.stage && KNOWN_STAGES.has(view.stage) ? `stage.${view.stage}` : 'stage.unknown';
  return (
    <ScreenFrame
      screen="error"
      reason={reason}
      view={view}
      t={t}
      send={send}
      tone={calm ? 'calm' : 'alert'}
      icon={calm ? 'hourglass' : 'alert'}
      title={{ key: text }}
      instruction={[
        ...(calm ? [{ key: 'error.not-ready.stage', params: { stage: t(stage) } }] : []),
        { key: `${text}.next` },
      ]}
      actions={
        <div class="actions-row">
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
      }
    >
      <HelpdeskPanel helpdesk={view.helpdesk} t={t} />
    </ScreenFrame>
  );
}
