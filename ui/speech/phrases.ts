/**
 * The fixed phrases of spoken guidance: every text of the catalogue in its own language, cut at its
 * `{parameters}`, and each character a number or a reference is spelled with. `ui/speech/build.ts`
 * renders each one with espeak-ng into `speech/<voice>/<hash>.wav`; the UI plays them from there. Both
 * sides compute the list from the catalogue with this file, so they cannot disagree.
 */
import type { ServiceInfo } from '../../kiosk/documents/service-info/schema.ts';
import type { Locale } from '../../kiosk/view.ts';
import { en } from '../i18n/en.ts';
import { id, type MessageKey } from '../i18n/id.ts';
import { serviceInfoEntries } from '../service-info.ts';

/** The espeak-ng voices (`-v id`, `-v en`): one per locale. */
export type Voice = Locale;

/** What numbers and references are spelled with, one clip each: digits and letters. */
export const SPELLED_CHARACTERS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'];

/** Keys whose text is in the other language (the language switch names the language it leads to). */
const OTHER_LANGUAGE_KEYS: ReadonlySet<string> = new Set(['language.switch', 'language.switchLabel']);

const catalogues: Record<Locale, Record<MessageKey, string>> = { id, en };

/** One piece of a catalogue template: fixed text, or a parameter's name. */
export type TemplatePiece = { text: string } | { param: string };

/** Text with nothing to say (blank, or punctuation only) is not a phrase. */
const isSilent = (text: string) => /^[\s\p{P}]*$/u.test(text);

/** Cuts a template at its `{parameters}`; the fixed pieces are trimmed, silent ones dropped. */
export function templatePieces(template: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  for (const [i, part] of template.split(/\{(\w+)\}/).entries()) {
    if (i % 2 === 1) pieces.push({ param: part });
    else if (!isSilent(part)) pieces.push({ text: part.trim() });
  }
  return pieces;
}

/** The voice a catalogue key is spoken with in `locale`. */
export function voiceOf(key: string, locale: Locale): Voice {
  if (!OTHER_LANGUAGE_KEYS.has(key)) return locale;
  return locale === 'id' ? 'en' : 'id';
}

/** A phrase to render: the voice and the exact text. */
export interface Phrase {
  voice: Voice;
  text: string;
}

/**
 * Every fixed phrase of both languages, without repeats: the catalogue, the spelled characters, and the
 * titles of the service information (in the page, those the bundle carries; the build passes them).
 */
export function fixedPhrases(serviceInfo: readonly ServiceInfo[] = serviceInfoEntries()): Phrase[] {
  const seen = new Set<string>();
  const out: Phrase[] = [];
  const add = (voice: Voice, text: string) => {
    const id = `${voice}\n${text}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ voice, text });
  };
  for (const locale of ['id', 'en'] as const) {
    for (const [key, template] of Object.entries(catalogues[locale])) {
      for (const piece of templatePieces(template))
        if ('text' in piece) add(voiceOf(key, locale), piece.text);
    }
    for (const character of SPELLED_CHARACTERS) add(locale, character);
    for (const entry of serviceInfo) add(locale, entry.title[locale].trim());
  }
  return out;
}

/** FNV-1a, 32 bits, as 8 hex digits: a stable file name for a phrase, the same in Node and the browser. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Where the clip of a phrase is, relative to the UI's root. */
export function phrasePath(phrase: Phrase): string {
  return `speech/${phrase.voice}/${fnv1a(phrase.text)}.wav`;
}
