import type { Translate } from '../i18n/translate.ts';

/** The keys of the PIN pad. */
export const DIGIT_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

/** The keys of the application-number keyboard: digits, letters and the hyphen. */
export const APPLICATION_NO_KEYS = [...DIGIT_KEYS, ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''), '-'] as const;

interface KeypadProps {
  keys: readonly string[];
  t: Translate;
  onKey: (key: string) => void;
  onBackspace: () => void;
  onSubmit: () => void;
  canSubmit: boolean;
  /** Dense layout for the 37-key application-number keyboard. */
  wide?: boolean;
  /** Whether a key can come next; the others are disabled. Default: all can. */
  canType?: (key: string) => boolean;
  /**
   * A PIN or a NIK: spoken guidance never says which key was touched (a bystander or the loudspeaker
   * would hear it), only that a digit went in.
   */
  secret?: boolean;
}

/** An on-screen keypad: one button per key (`data-key`), then backspace and submit. */
export function Keypad(props: KeypadProps) {
  const { keys, t, onKey, onBackspace, onSubmit, canSubmit, wide, canType, secret } = props;
  return (
    <div class={wide ? 'keypad keypad-wide' : 'keypad'} data-secret={secret ? '' : undefined}>
      <div class="keys">
        {keys.map((key) => (
          <button
            type="button"
            class="key"
            key={key}
            data-key={key}
            disabled={canType ? !canType(key) : false}
            aria-label={key === '-' ? t('key.hyphen') : undefined}
            onClick={() => onKey(key)}
          >
            {key}
          </button>
        ))}
      </div>
      <div class="keypad-actions">
        <button
          type="button"
          class="btn btn-secondary"
          data-action="backspace"
          aria-label={t('action.backspaceLabel')}
          onClick={onBackspace}
        >
          {t('action.backspace')}
        </button>
        <button
          type="button"
          class="btn btn-primary"
          data-action="submit"
          disabled={!canSubmit}
          onClick={onSubmit}
        >
          {t('action.submit')}
        </button>
      </div>
    </div>
  );
}
