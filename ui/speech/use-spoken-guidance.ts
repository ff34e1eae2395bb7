import { useEffect } from 'preact/hooks';
import type { Locale } from '../../kiosk/view.ts';
import {
  createSpeaker,
  partsOfLines,
  partsOfText,
  type Speaker,
  type SpokenLine,
  spokenNameOf,
} from './speaker.ts';

let shared: Speaker | undefined;
/** One speaker per page, so a new screen stops what the last one was saying. */
function speaker(): Speaker {
  shared ??= createSpeaker(window);
  return shared;
}

/**
 * With spoken guidance on, says `lines` when the screen appears (or guidance is switched on), and
 * again only when what is said changes in kind (a warning appears), not at each new number (the
 * printing seconds). Returns the click handler that says the name of a touched button.
 */
export function useSpokenGuidance(
  enabled: boolean,
  locale: Locale,
  lines: readonly SpokenLine[],
  volume = 100,
): (event: MouseEvent) => void {
  speaker().setVolume(volume / 100);
  const kind = lines.map((line) => ('key' in line ? line.key : 'free')).join('|');
  // Said again only when `kind` changes (a warning appears), not when a number in it does.
  useEffect(() => {
    if (!enabled) {
      speaker().stop();
      return;
    }
    speaker().say(partsOfLines(lines, locale));
  }, [enabled, locale, kind]);

  return (event: MouseEvent) => {
    if (!enabled || !(event.target instanceof Element)) return;
    const button = event.target.closest('button');
    if (!button || button.disabled) return;
    // A key of a PIN or a NIK is never said: only that a digit went in.
    if (button.hasAttribute('data-key') && button.closest('[data-secret]')) {
      speaker().say(partsOfLines([{ key: 'keypad.secretKey' }], locale));
      return;
    }
    const lang = button.closest('[lang]')?.getAttribute('lang');
    const voice: Locale = lang === 'en' || lang === 'id' ? lang : locale;
    speaker().say(partsOfText(voice, spokenNameOf(button)));
  };
}
