import type { View } from '../../view.ts';
import type { KioskCore } from '../core-port.ts';
import { VIEW_CHANNEL } from './channels.ts';

/** The slice of Electron's `WebContents` the view channel uses. */
export interface ViewTarget {
  send(channel: string, view: View): void;
  isDestroyed(): boolean;
  on(event: 'did-finish-load', listener: () => void): unknown;
}

/**
 * `kiosk:view`, main -> renderer: every View the core publishes, and the current one whenever the page
 * (re)loads, so a reload after a crash resumes the session the core still holds. Returns unsubscribe.
 */
export function wireViewChannel(core: KioskCore, target: ViewTarget): () => void {
  const push = (view: View) => {
    if (!target.isDestroyed()) target.send(VIEW_CHANNEL, view);
  };
  target.on('did-finish-load', () => push(core.currentView()));
  return core.subscribe(push);
}
