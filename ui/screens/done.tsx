import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The goodbye; the core returns home by itself. */
export function DoneScreen({ view, t, send }: ScreenProps) {
  return (
    <ScreenFrame
      screen="done"
      view={view}
      t={t}
      send={send}
      icon="check"
      title={{ key: 'done.title' }}
      instruction={[{ key: 'done.body' }]}
      actions={
        <button
          type="button"
          class="btn btn-primary btn-wide"
          data-action="home"
          onClick={() => send({ type: 'home' })}
        >
          {t('action.home')}
        </button>
      }
    />
  );
}
