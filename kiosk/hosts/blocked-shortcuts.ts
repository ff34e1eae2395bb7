/**
 * Keyboard shortcuts that would reload, zoom, print, save, open devtools or navigate in a browser.
 * The Electron host swallows them too (before-input-event); this covers the browser host.
 */
export function isBlockedShortcut(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
) {
  const key = event.key.toLowerCase();
  const mod = event.ctrlKey || event.metaKey;
  if (
    ['f1', 'f3', 'f5', 'f6', 'f7', 'f11', 'f12', 'browserback', 'browserforward', 'browserrefresh'].includes(
      key,
    )
  ) {
    return true;
  }
  if (event.altKey && ['arrowleft', 'arrowright', 'home', 'f4'].includes(key)) return true;
  if (
    mod &&
    [
      '+',
      '=',
      '-',
      '_',
      '0',
      'r',
      'p',
      's',
      'o',
      'u',
      'f',
      'g',
      'l',
      'n',
      't',
      'w',
      'j',
      'h',
      'd',
      'a',
    ].includes(key)
  ) {
    return true;
  }
  if (mod && event.shiftKey && ['i', 'j', 'c', 'k', 'delete'].includes(key)) return true;
  return false;
}
