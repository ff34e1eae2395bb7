import type { ComponentChildren } from 'preact';
import type { Intent, Locale, Screen } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';
import { LanguageButton } from './language-button.tsx';

interface ScreenFrameProps {
  screen: Screen;
  locale: Locale;
  t: Translate;
  send: (intent: Intent) => void;
  /** Extra attributes on the root, e.g. `data-reason`. */
  reason?: string;
  /** `busy` screens (checking, printing) announce themselves politely to screen readers. */
  busy?: boolean;
  children: ComponentChildren;
}

/**
 * The root of every applicant screen: the one `data-screen` element, the title bar with the language
 * switch, and the screen's content below it.
 */
export function ScreenFrame(props: ScreenFrameProps) {
  const { screen, locale, t, send, reason, busy, children } = props;
  return (
    <main class={`screen screen-${screen}`} data-screen={screen} data-reason={reason} aria-busy={busy}>
      <header class="topbar">
        <div class="brand">
          <span class="brand-title">{t('app.title')}</span>
          <span class="brand-office">{t('app.office')}</span>
        </div>
        <LanguageButton locale={locale} t={t} send={send} />
      </header>
      <div class="content">{children}</div>
    </main>
  );
}
