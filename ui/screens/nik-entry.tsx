import { NikField } from '../components/nik-field.tsx';
import { PinEntry } from '../components/pin-entry.tsx';
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
  return (
    <ScreenFrame screen="nik-entry" locale={view.locale} t={t} send={send}>
      {step === 'pin' ? (
        <PinEntry
          key={wrongCount}
          pin={{ wrongCount, ...(attemptsLeft !== undefined ? { attemptsLeft } : {}) }}
          t={t}
          send={send}
          titleKey="nik.pinTitle"
          hintKey="nik.pinHint"
        />
      ) : (
        <NikField t={t} send={send} />
      )}
      <CancelButton t={t} send={send} />
    </ScreenFrame>
  );
}
