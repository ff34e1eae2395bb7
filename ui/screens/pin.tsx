import { PinEntry } from '../components/pin-entry.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The PIN of a scanned code whose application requires one. */
export function PinScreen({ view, t, send }: ScreenProps<'pin'>) {
  return (
    <ScreenFrame screen="pin" locale={view.locale} t={t} send={send}>
      <PinEntry key={view.pin?.wrongCount ?? 0} pin={view.pin} t={t} send={send} />
      <CancelButton t={t} send={send} />
    </ScreenFrame>
  );
}

/** Leaves the typing screens: the core ends the session and goes home. */
export function CancelButton({ t, send }: Pick<ScreenProps, 't' | 'send'>) {
  return (
    <div class="actions">
      <button
        type="button"
        class="btn btn-ghost btn-wide"
        data-action="cancel"
        onClick={() => send({ type: 'cancel' })}
      >
        {t('action.cancel')}
      </button>
    </div>
  );
}
