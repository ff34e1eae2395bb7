import { NikField } from '../components/nik-field.tsx';
import { PinEntry, pinWarning } from '../components/pin-entry.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import { CancelButton } from './pin.tsx';
import type { ScreenProps } from './screen-props.ts';

/**
 * Signing in with NIK and login PIN (1.1): the 16-digit NIK on a numeric keypad, grouped 6-6-4 as it is
 * typed and checked for shape before anything is sent; then the 6-digit login PIN, masked. A wrong PIN
 * clears the field and shows the attempts left.
 */
export function NikEntryScreen({ view, t, send }: ScreenProps<'nik-entry'>) {
  const { step, wrongCount, attemptsLeft } = view.nikEntry;
  const pin = { wrongCount, ...(attemptsLeft !== undefined ? { attemptsLeft } : {}) };
  const onPin = step === 'pin';
  return (
    <ScreenFrame
      screen="nik-entry"
      view={view}
      t={t}
      send={send}
      title={{ key: onPin ? 'nik.pinTitle' : 'nik.title' }}
      instruction={[{ key: onPin ? 'nik.pinHint' : 'nik.hint' }]}
      {...(onPin ? { speakAlso: pinWarning(pin) } : {})}
      actions={<CancelButton t={t} send={send} />}
    >
      {onPin ? <PinEntry key={wrongCount} pin={pin} t={t} send={send} /> : <NikField t={t} send={send} />}
    </ScreenFrame>
  );
}
