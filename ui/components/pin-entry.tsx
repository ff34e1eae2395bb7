import { useCallback, useState } from 'preact/hooks';
import type { Intent, View } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';
import { DIGIT_KEYS, Keypad } from './keypad.tsx';
import { useTypedKeys } from './use-typed-keys.ts';

/** A print-code PIN has exactly six digits. */
export const PIN_LENGTH = 6;

interface PinEntryProps {
  pin: View['pin'];
  t: Translate;
  send: (intent: Intent) => void;
}

const isDigit = (key: string) => /^[0-9]$/.test(key);

/**
 * Six-digit PIN entry. Submits on `submit` or by itself after the sixth digit. The parent keys this on
 * `pin.wrongCount`, so a wrong PIN remounts it and the field starts empty.
 */
export function PinEntry({ pin, t, send }: PinEntryProps) {
  const [digits, setDigits] = useState('');
  // Once a PIN is sent, a second tap on submit must not send it again: the core could count it as a
  // second wrong attempt. A wrong PIN remounts this component, which clears the flag.
  const [sent, setSent] = useState(false);
  const submit = useCallback(
    (value: string) => {
      if (sent || value.length !== PIN_LENGTH) return;
      setSent(true);
      send({ type: 'pin', pin: value });
    },
    [send, sent],
  );
  const onKey = useCallback(
    (key: string) => {
      if (sent || digits.length >= PIN_LENGTH) return;
      const next = digits + key;
      setDigits(next);
      if (next.length === PIN_LENGTH) submit(next);
    },
    [digits, sent, submit],
  );
  const onBackspace = useCallback(() => {
    if (!sent) setDigits((current) => current.slice(0, -1));
  }, [sent]);
  const onSubmit = useCallback(() => submit(digits), [submit, digits]);
  useTypedKeys(isDigit, onKey, onBackspace, onSubmit);

  const wrong = (pin?.wrongCount ?? 0) > 0;
  return (
    <div class="pin-entry">
      <h1>{t('pin.title')}</h1>
      <p class="lead">{t('pin.hint')}</p>
      {wrong && (
        <p class="warning" role="alert">
          {pin?.attemptsLeft !== undefined
            ? t('pin.wrong', { attempts: pin.attemptsLeft })
            : t('pin.wrongNoCount')}
        </p>
      )}
      <div class="pin-field" role="status" aria-label={t('pin.field', { count: digits.length })}>
        {Array.from({ length: PIN_LENGTH }, (_, i) => (
          <span key={i} class={i < digits.length ? 'pin-box filled' : 'pin-box'} aria-hidden="true">
            {i < digits.length ? '●' : ''}
          </span>
        ))}
      </div>
      <Keypad
        keys={DIGIT_KEYS}
        t={t}
        onKey={onKey}
        onBackspace={onBackspace}
        onSubmit={onSubmit}
        canSubmit={!sent && digits.length === PIN_LENGTH}
      />
    </div>
  );
}
