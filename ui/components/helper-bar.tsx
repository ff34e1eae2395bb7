import type { Intent, Locale } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';
import { Icon } from './icon.tsx';

interface HelperBarProps {
  locale: Locale;
  audio: boolean;
  largeText: boolean;
  t: Translate;
  send: (intent: Intent) => void;
}

/**
 * The helpers every applicant screen has, at the bottom within seated reach: language, spoken
 * guidance, large text and a call for staff. Audio and text size are toggles (`aria-pressed`).
 */
export function HelperBar({ locale, audio, largeText, t, send }: HelperBarProps) {
  const next: Locale = locale === 'id' ? 'en' : 'id';
  return (
    <nav class="helpers" aria-label={t('helpers.label')}>
      <button
        type="button"
        class="btn helper"
        data-action="language"
        lang={next}
        aria-label={t('language.switchLabel')}
        onClick={() => send({ type: 'language', locale: next })}
      >
        <Icon name="language" />
        <span>{t('language.switch')}</span>
      </button>
      <button
        type="button"
        class="btn helper"
        data-action="audio"
        aria-pressed={audio}
        onClick={() => send({ type: 'audio' })}
      >
        <Icon name="audio" />
        <span>{t('action.audio')}</span>
      </button>
      <button
        type="button"
        class="btn helper"
        data-action="text-size"
        aria-pressed={largeText}
        onClick={() => send({ type: 'text-size' })}
      >
        <Icon name="text-size" />
        <span>{t('action.textSize')}</span>
      </button>
      <button
        type="button"
        class="btn helper helper-staff"
        data-action="call-staff"
        onClick={() => send({ type: 'call-staff' })}
      >
        <Icon name="call-staff" />
        <span>{t('action.callStaff')}</span>
      </button>
    </nav>
  );
}
