import { describe, expect, it } from 'vitest';
import { isBlockedShortcut } from '../kiosk/hosts/blocked-shortcuts.ts';

const key = (
  k: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('blocked shortcuts', () => {
  it('blocks reload, zoom, devtools, print, history and new windows', () => {
    for (const event of [
      key('F5'),
      key('r', { ctrlKey: true }),
      key('=', { ctrlKey: true }),
      key('-', { ctrlKey: true }),
      key('0', { ctrlKey: true }),
      key('F12'),
      key('I', { ctrlKey: true, shiftKey: true }),
      key('p', { ctrlKey: true }),
      key('ArrowLeft', { altKey: true }),
      key('n', { metaKey: true }),
    ]) {
      expect(isBlockedShortcut(event), JSON.stringify(event)).toBe(true);
    }
  });

  it('lets typing through', () => {
    for (const event of [
      key('1'),
      key('A'),
      key('-'),
      key('Backspace'),
      key('Enter'),
      key('Tab'),
      key('Tab', { shiftKey: true }),
    ]) {
      expect(isBlockedShortcut(event), event.key).toBe(false);
    }
  });
});
