import type { Intent, View } from '../kiosk/view.ts';

/** How the UI talks to the core, whichever host runs it. */
export interface KioskBridge {
  /** Calls `listener` with every View the core sends (the latest first, on connect); returns unsubscribe. */
  subscribe(listener: (view: View) => void): () => void;
  send(intent: Intent): void;
  /** The URL of a same-origin asset named in a View (a preview), as this host serves it. */
  assetUrl(path: string): string;
}

/** What the Electron preload puts on `window.admKiosk`: one typed bridge, nothing else. */
export interface AdmKioskApi {
  subscribe(listener: (view: View) => void): () => void;
  send(intent: Intent): void;
}

/** The parts of the page's globals the browser bridge uses, injectable for tests. */
export interface BrowserBridgeDeps {
  search: string;
  openEvents: (url: string) => Pick<EventSource, 'addEventListener' | 'close'>;
  post: (url: string, init: RequestInit) => Promise<unknown>;
}

/**
 * The bridge for this page: Electron's preload bridge when present, otherwise the browser host's
 * server-sent events and POSTs, authenticated by the per-launch secret `s` from the page's query.
 */
export function createBridge(win: typeof window & { admKiosk?: AdmKioskApi }): KioskBridge {
  if (win.admKiosk) return createElectronBridge(win.admKiosk);
  return createBrowserBridge({
    search: win.location.search,
    openEvents: (url) => new win.EventSource(url),
    post: (url, init) => win.fetch(url, init),
  });
}

/** Electron: the preload bridge as it is; assets are served by the app's own protocol. */
export function createElectronBridge(api: AdmKioskApi): KioskBridge {
  return {
    subscribe: (listener) => api.subscribe(listener),
    send: (intent) => api.send(intent),
    assetUrl: (path) => path,
  };
}

/** The browser host: `/api/events` (SSE, each `data` a View) and `/api/intent` (POST JSON). */
export function createBrowserBridge(deps: BrowserBridgeDeps): KioskBridge {
  const secret = new URLSearchParams(deps.search).get('s') ?? '';
  const withSecret = (path: string) => {
    const separator = path.includes('?') ? '&' : '?';
    return `${path}${separator}s=${encodeURIComponent(secret)}`;
  };
  return {
    subscribe(listener) {
      const events = deps.openEvents(withSecret('/api/events'));
      const onMessage = (event: Event) => {
        const data = (event as MessageEvent<string>).data;
        let view: View;
        try {
          view = JSON.parse(data) as View;
        } catch {
          // A torn or foreign message is dropped; the next View replaces the whole screen anyway.
          return;
        }
        listener(view);
      };
      events.addEventListener('message', onMessage);
      // EventSource reconnects by itself after a dropped connection; the host resends the current View.
      return () => events.close();
    },
    send(intent) {
      deps
        .post(withSecret('/api/intent'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(intent),
        })
        // A lost intent is like a lost tap: the applicant taps again, the core never depends on one.
        .catch(() => undefined);
    },
    assetUrl: withSecret,
  };
}
