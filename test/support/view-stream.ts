import type { Intent, View } from '../../kiosk/view.ts';

/**
 * The browser host's bridge as the UI uses it, for tests and benchmarks that drive a kiosk without a
 * browser: the View stream (`/api/events`, server-sent events) and the intent endpoint.
 */
export function followViews(url: string, onView: (view: View) => void): { close(): void } {
  const u = new URL(url);
  const abort = new AbortController();
  void (async () => {
    try {
      const res = await fetch(`${u.origin}/api/events?s=${u.searchParams.get('s')}`, {
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const data = buf
            .slice(0, i)
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          buf = buf.slice(i + 2);
          if (data) onView(JSON.parse(data) as View);
          i = buf.indexOf('\n\n');
        }
      }
    } catch {
      // The stream ends when the kiosk stops or the caller closes it.
    }
  })();
  return { close: () => abort.abort() };
}

/** Sends an intent as the page would (same origin, with the per-launch secret). */
export async function sendIntent(url: string, intent: Intent): Promise<void> {
  const u = new URL(url);
  const res = await fetch(`${u.origin}/api/intent?s=${u.searchParams.get('s')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: u.origin },
    body: JSON.stringify(intent),
  });
  if (res.status !== 204) throw new Error(`intent refused: ${res.status}`);
}
