import { useState } from 'preact/hooks';
import type { Intent } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';
import { DIGIT_KEYS, Keypad } from './keypad.tsx';
import { useTypedKeys } from './use-typed-keys.ts';
import { useTypedValue } from './use-typed-value.ts';

/** A NIK has exactly 16 digits. */
export const NIK_LENGTH = 16;

const isDigit = (key: string) => /^[0-9]$/.test(key);

/** The NIK as the KTP-el prints it: 6-6-4 (region, birth date, number). */
export function groupNik(digits: string): string {
  return [digits.slice(0, 6), digits.slice(6, 12), digits.slice(12, 16)].filter(Boolean).join(' ');
}

/**
 * The NIK on a numeric keypad. Nothing is sent until all 16 digits are there; `submit` earlier says
 * how many are still missing instead.
 */
export function NikField({ t, send }: { t: Translate; send: (intent: Intent) => void }) {
  const [getDigits, setDigits, digits] = useTypedValue();
  const [short, setShort] = useState(false);
  const onKey = (key: string) => {
    const current = getDigits();
    if (current.length < NIK_LENGTH) setDigits(current + key);
    setShort(false);
  };
  const onBackspace = () => setDigits(getDigits().slice(0, -1));
  const onSubmit = () => {
    const nik = getDigits();
    if (nik.length !== NIK_LENGTH) {
      setShort(true);
      return;
    }
    send({ type: 'nik', nik });
  };
  useTypedKeys({ accept: isDigit, onKey, onBackspace, onSubmit });
  return (
    <div class="nik-entry">
      {short && (
        <p class="warning" role="alert">
          {t('nik.tooShort', { missing: NIK_LENGTH - digits.length })}
        </p>
      )}
      <p class="appno-field nik-field" role="status" aria-label={t('nik.field', { count: digits.length })}>
        <span aria-hidden="true">{groupNik(digits) || '\u00a0'}</span>
      </p>
      <Keypad
        secret
        keys={DIGIT_KEYS}
        t={t}
        onKey={onKey}
        onBackspace={onBackspace}
        onSubmit={onSubmit}
        canSubmit={digits.length === NIK_LENGTH}
      />
    </div>
  );
}
