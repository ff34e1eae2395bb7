import { describe, expect, it, vi } from 'vitest';
import type { View } from '../../view.ts';
import { INTENT_CHANNEL, VIEW_CHANNEL } from './channels.ts';

const bridge = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  listeners: new Map<string, (event: unknown, payload: unknown) => void>(),
  sent: [] as Array<[string, unknown]>,
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.set(key, api) },
  ipcRenderer: {
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) =>
      bridge.listeners.set(channel, listener),
    send: (channel: string, payload: unknown) => bridge.sent.push([channel, payload]),
  },
}));

await import('./preload.ts');

interface Api {
  subscribe(listener: (view: View) => void): () => void;
  send(intent: unknown): void;
}

describe('preload', () => {
  it('exposes exactly one bridge with subscribe and send', () => {
    expect([...bridge.exposed.keys()]).toEqual(['admKiosk']);
    expect(Object.keys(bridge.exposed.get('admKiosk') as object).sort()).toEqual(['send', 'subscribe']);
  });

  it('delivers Views, replays the latest to a late subscriber, and sends intents on kiosk:intent', () => {
    const api = bridge.exposed.get('admKiosk') as Api;
    const first: string[] = [];
    const stop = api.subscribe((view) => first.push(view.screen));
    bridge.listeners.get(VIEW_CHANNEL)!({}, { screen: 'home' });
    bridge.listeners.get(VIEW_CHANNEL)!({}, { screen: 'pin' });
    stop();
    bridge.listeners.get(VIEW_CHANNEL)!({}, { screen: 'confirm' });
    expect(first).toEqual(['home', 'pin']);
    const late: string[] = [];
    api.subscribe((view) => late.push(view.screen));
    expect(late).toEqual(['confirm']);
    api.send({ type: 'confirm' });
    expect(bridge.sent).toEqual([[INTENT_CHANNEL, { type: 'confirm' }]]);
  });
});
