import { useRef } from 'preact/hooks';
import type { Intent, ViewOf } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';
import { DIGIT_KEYS, Keypad } from './keypad.tsx';
import { useTypedKeys } from './use-typed-keys.ts';
import { useTypedValue } from './use-typed-value.ts';

/** A print-code PIN has exactly six digits. */
export const PIN_LENGTH = 6;

interface PinEntryProps {
  pin: ViewOf<'pin'>['pin'] | undefined;
  t: Translate;
  send: (intent: Intent) => void;
  /** Catalogue keys of the title and hint (the print PIN's by default; the login PIN's on `nik-entry`). */
  titleKey?: string;
  hintKey?: string;
}

const isDigit = (key: string) => /^[0-9]$/.test(key);

/**
 * Six-digit PIN entry. Submits on `submit` or by itself after the sixth digit. The parent keys this on
 * `pin.wrongCount`, so a wrong PIN remounts it and the field starts empty.
 */
export function PinEntry({ pin, t, send, titleKey = 'pin.title', hintKey = 'pin.hint' }: PinEntryProps) {
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

  const wrong = (pin?.wrongCount ?? 0) > 0;
  return (
    <div class="pin-entry">
      <h1>{t(titleKey)}</h1>
      <p class="lead">{t(hintKey)}</p>
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
        onSubmit={submit}
        canSubmit={!sent.current && digits.length === PIN_LENGTH}
      />
    </div>
  );
}
