import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The goodbye; the core returns home by itself. */
export function DoneScreen({ view, t, send }: ScreenProps) {
  return (
    <ScreenFrame screen="done" locale={view.locale} t={t} send={send}>
      <div class="big-check" aria-hidden="true">
        ✓
      </div>
      <h1>{t('done.title')}</h1>
      <p class="lead">{t('done.body')}</p>
      <div class="actions">
        <button
          type="button"
          class="btn btn-primary btn-wide"
          data-action="home"
          onClick={() => send({ type: 'home' })}
        >
          {t('action.home')}
        </button>
      </div>
    </ScreenFrame>
  );
}
