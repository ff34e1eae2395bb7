import { describe, expect, it } from 'vitest';
import type { Intent, View } from '../kiosk/view.ts';
import { createBridge, createBrowserBridge } from './bridge.ts';

function fakeEvents() {
  const opened: string[] = [];
  let onMessage: ((event: Event) => void) | undefined;
  let closed = false;
  return {
    opened,
    emit: (data: string) => onMessage?.({ data } as unknown as Event),
    get closed() {
      return closed;
    },
    open: (url: string) => {
      opened.push(url);
      return {
        addEventListener: (_type: string, listener: (event: Event) => void) => {
          onMessage = listener;
        },
        close: () => {
          closed = true;
        },
      } as unknown as Pick<EventSource, 'addEventListener' | 'close'>;
    },
  };
}

describe('browser bridge', () => {
  it('subscribes to the events with the secret and delivers each View, dropping a torn message', () => {
    const events = fakeEvents();
    const bridge = createBrowserBridge({
      search: '?s=abc%2B1',
      openEvents: events.open,
      post: async () => undefined,
    });
    const seen: View[] = [];
    const stop = bridge.subscribe((view) => seen.push(view));
    expect(events.opened).toEqual(['/api/events?s=abc%2B1']);
    events.emit('{"screen":"home"');
    events.emit(JSON.stringify({ screen: 'pin' }));
    expect(seen.map((view) => view.screen)).toEqual(['pin']);
    stop();
    expect(events.closed).toBe(true);
  });

  it('posts intents as JSON with the secret and appends it to preview URLs', async () => {
    const posts: Array<[string, RequestInit]> = [];
    const bridge = createBrowserBridge({
      search: '?s=k3y',
      openEvents: fakeEvents().open,
      post: async (url, init) => posts.push([url, init]),
    });
    bridge.send({ type: 'rating', rating: 4 });
    expect(posts[0]![0]).toBe('/api/intent?s=k3y');
    expect(posts[0]![1].method).toBe('POST');
    expect(JSON.parse(String(posts[0]![1].body))).toEqual({ type: 'rating', rating: 4 });
    expect(bridge.assetUrl('/preview/card-1.png')).toBe('/preview/card-1.png?s=k3y');
    expect(bridge.assetUrl('/preview/a.png?page=1')).toBe('/preview/a.png?page=1&s=k3y');
  });

  it('swallows a failed POST (a lost tap)', async () => {
    const bridge = createBrowserBridge({
      search: '?s=x',
      openEvents: fakeEvents().open,
      post: () => Promise.reject(new Error('offline')),
    });
    expect(() => bridge.send({ type: 'touch' })).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it('uses the Electron preload bridge when the page has one', () => {
    const sent: Intent[] = [];
    const win = {
      admKiosk: { subscribe: () => () => undefined, send: (intent: Intent) => sent.push(intent) },
    } as unknown as Parameters<typeof createBridge>[0];
    const bridge = createBridge(win);
    bridge.send({ type: 'confirm' });
    expect(sent).toEqual([{ type: 'confirm' }]);
    expect(bridge.assetUrl('/preview/card-1.png')).toBe('/preview/card-1.png');
  });
});
