import type { Intent, View } from '../view.ts';
import type { KioskCore } from './core-port.ts';

/**
 * A core that arrives later, or is replaced (the technician's restart). The Electron host must register its privileged scheme before the app is
 * ready, which is before the kiosk core has opened its store and devices; until `resolve` is called this
 * shows a neutral "starting" view and drops intents (nobody can have seen a screen to act on yet).
 */
export class LateCore implements KioskCore {
  private core: KioskCore | undefined;
  private readonly waiting = new Set<{ listener: (view: View) => void; off?: () => void }>();

  constructor(private readonly starting: View) {}

  /** Hands over to `core`; called again (a restart), the hosts' listeners move to the new core. */
  resolve(core: KioskCore): void {
    this.core = core;
    for (const w of this.waiting) {
      w.off?.();
      w.off = core.subscribe(w.listener);
    }
  }

  subscribe(listener: (view: View) => void): () => void {
    const entry: { listener: (view: View) => void; off?: () => void } = { listener };
    this.waiting.add(entry);
    if (this.core) entry.off = this.core.subscribe(listener);
    else listener(this.starting);
    return () => {
      entry.off?.();
      this.waiting.delete(entry);
    };
  }

  send(intent: Intent): void {
    this.core?.send(intent);
  }

  currentView(): View {
    return this.core?.currentView() ?? this.starting;
  }

  readAsset(path: string): Promise<{ body: Uint8Array; type: string } | undefined> {
    return this.core ? this.core.readAsset(path) : Promise.resolve(undefined);
  }
}
