import type { Intent, Locale } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';

interface LanguageButtonProps {
  locale: Locale;
  t: Translate;
  send: (intent: Intent) => void;
}

/** Toggles between Bahasa Indonesia and English; the label names the language it switches to. */
export function LanguageButton({ locale, t, send }: LanguageButtonProps) {
  const next: Locale = locale === 'id' ? 'en' : 'id';
  return (
    <button
      type="button"
      class="btn btn-language"
      data-action="language"
      lang={next}
      aria-label={t('language.switchLabel')}
      onClick={() => send({ type: 'language', locale: next })}
    >
      {t('language.switch')}
    </button>
  );
}
