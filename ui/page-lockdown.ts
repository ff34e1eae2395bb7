import { isBlockedShortcut } from '../kiosk/hosts/blocked-shortcuts.ts';

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
