import type { Locale } from '../../kiosk/view.ts';
import { en } from './en.ts';
import { id, type MessageKey } from './id.ts';

/** Looks a catalogue key up in the current language and fills `{name}` parameters. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

const catalogues: Record<Locale, Record<MessageKey, string>> = { id, en };

/** Whether `key` is in the catalogue (every locale has the same keys). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(id, key);
}

/**
 * The translator for one locale. An unknown key returns the key itself: visible on screen, and the
 * catalogue test catches it long before an applicant could.
 */
export function createTranslate(locale: Locale): Translate {
  const catalogue = catalogues[locale] ?? catalogues.id;
  return (key, params) => {
    const template = isMessageKey(key) ? catalogue[key] : key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  };
}
