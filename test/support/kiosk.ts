import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../config/load.ts';
import type { KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../../drivers/shared/clock.ts';
import { type KioskApp, ROOT, type StartOptions, startKioskApp } from '../../kiosk/app.ts';
import type { CentralApiSimulator } from '../../kiosk/central-api/sim/server.ts';
import { startBrowserHost } from '../../kiosk/hosts/browser/server.ts';
import type { FlatView } from '../../kiosk/view.ts';

export interface TestKiosk {
  /** The URL to open, with the per-launch secret. */
  url: string;
  app: KioskApp;
  /** The built-in central API simulator. */
  central: CentralApiSimulator;
  dataDir: string;
  config: KioskConfig;
  /** Types a code into the simulated scanner. */
  scan(text: string): void;
  stop(): Promise<void>;
}

export interface StartKioskOptions {
  /** Merged over the simulator config (config/sim.json) key by key at the top level. */
  config?: Record<string, unknown>;
  /** Devices to use instead of the default all-simulated set. */
  devices?: Record<string, unknown>;
  clock?: Clock;
  /** Reuse a data folder (a restart after a crash). */
  dataDir?: string;
  /** A central API simulator that outlives this kiosk (restarts); else the built-in one is started. */
  central?: CentralApiSimulator;
  inspect?: StartOptions['inspect'];
  delays?: StartOptions['delays'];
  /** Where the kiosk's log lines go (nowhere by default). */
  log?: (line: string) => void;
}

/** The UI must be built for the browser host to serve it (`npm test` builds it first). */
export function ensureUiBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'ui', 'index.html'))) {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'ui', 'build.ts')],
      { stdio: 'inherit' },
    );
  }
}

/**
 * Starts a whole kiosk in this process for a test: the built-in central API simulator on a free port,
 * every device simulated (the card printer's real protocol over an in-memory line), a fresh data folder
 * and the browser host on a free port.
 */
export async function startKiosk(opts: StartKioskOptions = {}): Promise<TestKiosk> {
  ensureUiBuilt();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'adm-kiosk-'));
  const base = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8')) as Record<string, unknown>;
  const raw = {
    ...base,
    ...(opts.central
      ? {
          centralApiSim: undefined,
          centralApi: { baseUrl: opts.central.baseUrl, token: 'sim-token', timeoutMs: 2000 },
        }
      : { centralApiSim: { port: 0 } }),
    host: { kind: 'browser', port: 0 },
    // Test kiosks serve no metrics unless a test asks (many of them at once would share port 9464).
    metrics: false,
    devices: opts.devices ?? {
      cardPrinter: { driver: 'sim', timeFactor: 0.01, blankCards: 100 },
      paperPrinter: { driver: 'sim', timeFactor: 0.01, paperSheets: 500 },
      scanner: { driver: 'sim' },
    },
    ...opts.config,
    dataDir,
  };
  if (raw.centralApiSim === undefined) delete raw.centralApiSim;
  const parsed = parseConfig(raw);
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  const config = parsed.value;
  const app = await startKioskApp(config, {
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.inspect ? { inspect: opts.inspect } : {}),
    ...(opts.delays ? { delays: opts.delays } : {}),
    log: opts.log ?? (() => undefined),
  });
  const host = await startBrowserHost(app.core, { uiDir: join(ROOT, 'dist', 'ui'), port: 0 });
  return {
    url: host.url,
    app,
    central: opts.central ?? app.centralSim!,
    dataDir,
    config,
    scan: (text) => {
      if (!app.simScanner) throw new Error('no simulated scanner configured');
      app.simScanner.scan(text);
    },
    stop: async () => {
      await host.close();
      await app.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first View that satisfies `pred` (or rejects after `timeoutMs`). */
export function waitForView(
  kiosk: TestKiosk,
  pred: (view: FlatView) => boolean,
  timeoutMs = 20_000,
): Promise<FlatView> {
  return new Promise((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    const timer = setTimeout(() => {
      unsubscribe?.();
      reject(
        new Error(
          `no such view within ${timeoutMs} ms; last: ${JSON.stringify(kiosk.app.core.currentView()).slice(0, 300)}`,
        ),
      );
    }, timeoutMs);
    let done = false;
    unsubscribe = kiosk.app.core.subscribe((view) => {
      if (done || !pred(view)) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe?.());
      resolve(view);
    });
  });
}

/** Waits for a screen by its `data-screen` name. */
export function waitForScreen(kiosk: TestKiosk, screen: string, timeoutMs = 20_000) {
  return waitForView(kiosk, (v) => v.screen === screen, timeoutMs);
}
