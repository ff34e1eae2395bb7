import { isBlockedShortcut } from '../blocked-shortcuts.ts';

/** What Electron's `before-input-event` reports about a key. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

const DEVTOOLS_KEYS = new Set(['f12', 'i', 'j', 'c']);

/**
 * Whether the main process swallows this key before the page or Electron's own accelerators see it:
 * reload, zoom, devtools, print, close, history. In development devtools keys still work.
 */
export function isSwallowedInput(input: KeyInput, dev: boolean): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  const event = {
    key: input.key,
    ctrlKey: input.control,
    metaKey: input.meta,
    altKey: input.alt,
    shiftKey: input.shift,
  };
  const key = input.key.toLowerCase();
  if (dev && (key === 'f12' || ((input.control || input.meta) && input.shift && DEVTOOLS_KEYS.has(key)))) {
    return false;
  }
  if ((input.control || input.meta) && ['q', 'w', 'm'].includes(key)) return true;
  return isBlockedShortcut(event);
}
