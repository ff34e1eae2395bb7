import { useRef } from 'preact/hooks';
import type { Intent, ViewOf } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';
import type { SpokenLine } from '../speech/speaker.ts';
import { DIGIT_KEYS, Keypad } from './keypad.tsx';
import { useTypedKeys } from './use-typed-keys.ts';
import { useTypedValue } from './use-typed-value.ts';

/** A print-code PIN has exactly six digits. */
export const PIN_LENGTH = 6;

type PinState = ViewOf<'pin'>['pin'] | undefined;

interface PinEntryProps {
  pin: PinState;
  t: Translate;
  send: (intent: Intent) => void;
}

const isDigit = (key: string) => /^[0-9]$/.test(key);

/** What is said after a wrong PIN (the warning PinEntry shows), or nothing. */
export function pinWarning(pin: PinState): SpokenLine[] {
  if (!pin || pin.wrongCount === 0) return [];
  return [
    pin.attemptsLeft !== undefined
      ? { key: 'pin.wrong', params: { attempts: pin.attemptsLeft } }
      : { key: 'pin.wrongNoCount' },
  ];
}

/**
 * Six-digit PIN entry. Submits on `submit` or by itself after the sixth digit. The parent keys this on
 * `pin.wrongCount`, so a wrong PIN remounts it and the field starts empty.
 */
export function PinEntry({ pin, t, send }: PinEntryProps) {
  const [getDigits, setDigits, digits] = useTypedValue();
  // Once a PIN is sent, a second tap on submit must not send it again: the core could count it as a
  // second wrong attempt. A wrong PIN remounts this component, which clears the flag.
  const sent = useRef(false);
  const submit = () => {
    const value = getDigits();
    if (sent.current || value.length !== PIN_LENGTH) return;
    sent.current = true;
    send({ type: 'pin', pin: value });
  };
  const onKey = (key: string) => {
    const current = getDigits();
    if (sent.current || current.length >= PIN_LENGTH) return;
    setDigits(current + key);
    if (current.length + 1 === PIN_LENGTH) submit();
  };
  const onBackspace = () => {
    if (!sent.current) setDigits(getDigits().slice(0, -1));
  };
  useTypedKeys({ accept: isDigit, onKey, onBackspace, onSubmit: submit });

  const [warning] = pinWarning(pin);
  return (
    <div class="pin-entry">
      {warning && 'key' in warning && (
        <p class="warning" role="alert">
          {t(warning.key, warning.params)}
        </p>
      )}
      <div class="pin-field" role="status" aria-label={t('pin.field', { count: digits.length })}>
        {Array.from({ length: PIN_LENGTH }, (_, i) => (
          <span key={i} class={i < digits.length ? 'pin-box filled' : 'pin-box'} aria-hidden="true" />
        ))}
      </div>
      <Keypad
        secret
        keys={DIGIT_KEYS}
        t={t}
        onKey={onKey}
        onBackspace={onBackspace}
        onSubmit={submit}
        canSubmit={!sent.current && digits.length === PIN_LENGTH}
      />
    </div>
  );
}
