import { PinEntry, pinWarning } from '../components/pin-entry.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The PIN of a scanned code whose application requires one. */
export function PinScreen({ view, t, send }: ScreenProps<'pin'>) {
  return (
    <ScreenFrame
      screen="pin"
      view={view}
      t={t}
      send={send}
      title={{ key: 'pin.title' }}
      instruction={[{ key: 'pin.hint' }]}
      speakAlso={pinWarning(view.pin)}
      actions={<CancelButton t={t} send={send} />}
    >
      <PinEntry key={view.pin?.wrongCount ?? 0} pin={view.pin} t={t} send={send} />
    </ScreenFrame>
  );
}

/** Leaves the typing screens: the core ends the session and goes home. */
export function CancelButton({ t, send }: Pick<ScreenProps, 't' | 'send'>) {
  return (
    <button
      type="button"
      class="btn btn-secondary btn-wide"
      data-action="cancel"
      onClick={() => send({ type: 'cancel' })}
    >
      {t('action.cancel')}
    </button>
  );
}
