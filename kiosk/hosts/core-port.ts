import type { Intent, View } from '../view.ts';

/**
 * What a host (Electron or browser) needs from the kiosk core: the Views to show, a way to pass the
 * applicant's intents on, the current View for a page that (re)loads, and the assets Views point at
 * (previews under `/preview/...`). The core owns all the truth; a host only carries it.
 */
export interface KioskCore {
  /** Calls `listener` with every new View; returns the unsubscribe function. */
  subscribe(listener: (view: View) => void): () => void;
  /** An intent from the applicant (already validated by the host). */
  send(intent: Intent): void;
  /** The View to show right now: what a freshly (re)loaded page starts with. */
  currentView(): View;
  /** A same-origin asset named in a View, e.g. `/preview/<id>.png`; undefined when there is none. */
  readAsset(path: string): Promise<{ body: Uint8Array; type: string } | undefined>;
}
