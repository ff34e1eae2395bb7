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

/**
 * Locks the page down for a public touch screen: no context menu, no text selection, no pinch or
 * ctrl-wheel zoom, no drag-and-drop of files, no `window.open`, no browser shortcuts. The host does
 * the rest (navigation, permissions, CSP); this is the part only the page can do.
 */
export function installPageLockdown(win: Window): void {
  const doc = win.document;
  const block = (event: Event) => {
    event.preventDefault();
    event.stopPropagation();
  };
  for (const type of [
    'contextmenu',
    'selectstart',
    'dragstart',
    'dragenter',
    'dragover',
    'drop',
    'auxclick',
  ]) {
    win.addEventListener(type, block, { capture: true });
  }
  // Safari-style gesture events and two-finger touches: pinch zoom.
  for (const type of ['gesturestart', 'gesturechange', 'gestureend']) {
    doc.addEventListener(type, block, { capture: true, passive: false });
  }
  doc.addEventListener(
    'touchmove',
    (event) => {
      if (event.touches.length > 1) block(event);
    },
    { capture: true, passive: false },
  );
  win.addEventListener(
    'wheel',
    (event) => {
      if (event.ctrlKey || event.metaKey) block(event);
    },
    { capture: true, passive: false },
  );
  win.addEventListener(
    'keydown',
    (event) => {
      if (isBlockedShortcut(event)) block(event);
    },
    { capture: true },
  );
  // Middle-click and modifier-click on anything would open a new tab or window.
  win.addEventListener(
    'click',
    (event) => {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) block(event);
    },
    { capture: true },
  );
  Object.defineProperty(win, 'open', { value: () => null, writable: false, configurable: false });
}
