import { describe, expect, it, vi } from 'vitest';
import type { View } from '../view.ts';
import type { KioskCore } from './core-port.ts';
import { LateCore } from './late-core.ts';

const view = (screen: View['screen']): View =>
  ({
    screen,
    locale: 'id',
    kioskId: 'K',
    available: { card: true, a4: true },
    helpdesk: {},
  }) as View;

describe('LateCore', () => {
  it('shows the starting view, drops intents until the core arrives, then forwards both ways', () => {
    const late = new LateCore(view('out-of-service'));
    const seen: string[] = [];
    late.subscribe((v) => seen.push(v.screen));
    late.send({ type: 'home' });
    const listeners: Array<(v: View) => void> = [];
    const core: KioskCore = {
      subscribe: (l) => {
        listeners.push(l);
        l(view('home'));
        return () => undefined;
      },
      send: vi.fn(),
      currentView: () => view('home'),
      readAsset: async () => undefined,
    };
    late.resolve(core);
    late.send({ type: 'info' });
    listeners[0]!(view('info'));
    expect(seen).toEqual(['out-of-service', 'home', 'info']);
    expect(core.send).toHaveBeenCalledTimes(1);
    expect(late.currentView().screen).toBe('home');
  });
});
