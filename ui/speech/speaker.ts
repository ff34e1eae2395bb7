/**
 * Spoken guidance in the page: plays the prerendered espeak-ng clip of each fixed phrase, one after the
 * other; a part no clip can exist for (a name) goes to Chromium's `speechSynthesis` when it has a voice
 * for the language, and is skipped otherwise. A new utterance stops the one being spoken.
 */
import type { Locale } from '../../kiosk/view.ts';
import { en } from '../i18n/en.ts';
import { id, type MessageKey } from '../i18n/id.ts';
import { fixedPhrases, type Phrase, phrasePath, templatePieces, type Voice, voiceOf } from './phrases.ts';

/** One piece of what is said: a prerendered phrase, or free text for the platform's voice. */
export type SpokenPart = { phrase: Phrase } | { free: string; voice: Voice };

/**
 * What a screen says, line by line: a catalogue key with its parameters, or free text (a name).
 * Numbers and codes in parameters are spelled digit by digit.
 */
export type SpokenLine = { key: string; params?: Record<string, string | number> } | { free: string };

const catalogues: Record<Locale, Record<MessageKey, string>> = { id, en };
let known: Set<string> | undefined;

/** Whether a clip exists for this text in this voice. */
export function isFixedPhrase(voice: Voice, text: string): boolean {
  known ??= new Set(fixedPhrases().map((p) => `${p.voice}\n${p.text}`));
  return known.has(`${voice}\n${text}`);
}

/** A code or a number (`2`, `K7Q2-9XMD`, `3574-KIA-2611-000123`): spoken one character at a time. */
const isSpelled = (value: string) => /^[0-9A-Z-]+$/.test(value);

function spell(voice: Voice, value: string): SpokenPart[] {
  return [...value].filter((c) => c !== '-').map((text) => ({ phrase: { voice, text } }));
}

/** A text of `voice`: its clip when there is one, spelled when it is a code, else free. */
export function partsOfText(voice: Voice, text: string): SpokenPart[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (isFixedPhrase(voice, trimmed)) return [{ phrase: { voice, text: trimmed } }];
  if (isSpelled(trimmed)) return spell(voice, trimmed);
  return [{ free: trimmed, voice }];
}

/** The parts of the lines of a screen in `locale`. */
export function partsOfLines(lines: readonly SpokenLine[], locale: Locale): SpokenPart[] {
  return lines.flatMap((line): SpokenPart[] => {
    if ('free' in line) return partsOfText(locale, line.free);
    const template = (catalogues[locale] as Record<string, string>)[line.key] ?? '';
    const voice = voiceOf(line.key, locale);
    return templatePieces(template).flatMap((piece) => {
      if ('text' in piece) return [{ phrase: { voice, text: piece.text } }];
      const value = String(line.params?.[piece.param] ?? '');
      return partsOfText(voice, value);
    });
  });
}

/** Plays utterances. `say` stops whatever is being said first. */
export interface Speaker {
  say(parts: readonly SpokenPart[]): void;
  stop(): void;
  /** 0 to 1: what is being said and all that follows. */
  setVolume(volume: number): void;
}

/** A speaker for this page; clip paths are resolved against the page (the UI's own origin). */
export function createSpeaker(win: Window & typeof globalThis): Speaker {
  let generation = 0;
  let current: HTMLAudioElement | undefined;
  let volume = 1;

  const playClip = (phrase: Phrase) =>
    new Promise<void>((resolve) => {
      const audio = new win.Audio(phrasePath(phrase));
      audio.volume = volume;
      current = audio;
      audio.addEventListener('ended', () => resolve(), { once: true });
      audio.addEventListener('error', () => resolve(), { once: true });
      audio.play().catch(() => resolve());
    });

  const speakFree = (text: string, voice: Voice) =>
    new Promise<void>((resolve) => {
      const synth = win.speechSynthesis;
      const platformVoice = synth?.getVoices().find((v) => v.lang.toLowerCase().startsWith(voice));
      // No voice for the language (Debian's Chromium has none unless speech-dispatcher is set up): skip.
      if (!synth || !platformVoice) return resolve();
      const utterance = new win.SpeechSynthesisUtterance(text);
      utterance.voice = platformVoice;
      utterance.lang = platformVoice.lang;
      utterance.volume = volume;
      utterance.onend = () => resolve();
      utterance.onerror = () => resolve();
      synth.speak(utterance);
    });

  const stop = () => {
    generation++;
    current?.pause();
    current = undefined;
    win.speechSynthesis?.cancel();
  };

  return {
    stop,
    setVolume(v) {
      volume = Math.min(1, Math.max(0, v));
      if (current) current.volume = volume;
    },
    say(parts) {
      stop();
      const mine = generation;
      void (async () => {
        for (const part of parts) {
          if (generation !== mine) return;
          if ('phrase' in part) await playClip(part.phrase);
          else await speakFree(part.free, part.voice);
        }
      })();
    },
  };
}

/** The name a touched button says: its `aria-label`, else its text without hidden decoration. */
export function spokenNameOf(button: Element): string {
  const label = button.getAttribute('aria-label');
  if (label) return label;
  const walk = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    if (node instanceof Element && node.getAttribute('aria-hidden') === 'true') return '';
    return [...node.childNodes].map(walk).join(' ');
  };
  return walk(button).replace(/\s+/g, ' ').trim();
}
