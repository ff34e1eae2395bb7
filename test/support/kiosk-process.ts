import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../kiosk/app.ts';
import type { Intent, View } from '../../kiosk/view.ts';
import { ensureUiBuilt } from './kiosk.ts';
import { followViews, sendIntent } from './view-stream.ts';

/**
 * The kiosk as its own process, started as `npm run kiosk` does with a config file and the browser host, so
 * tests can kill it (SIGKILL: a power cut) and start it again on the same data folder. Codes are scanned
 * through the simulated scanner on its standard input.
 */
export class KioskProcess {
  private child: ChildProcess | undefined;
  url = '';
  latest: View | undefined;
  private listeners = new Set<(v: View) => void>();
  private stream: { close(): void } | undefined;
  stderr = '';

  /**
   * `main`: a compiled `main.js` to run with plain Node. By default the build of `npm run build` when it
   * is newer than every file it was built from (`npm test` builds just before the tests), else the
   * sources through tsx: a test never runs a stale build, and does not compile the kiosk again at every
   * start when the build is fresh (about a second per start).
   */
  constructor(
    private readonly configPath: string,
    private readonly options: {
      main?: string;
      /** Called the moment the `KIOSK READY` line is read. */
      onReady?: () => void;
    } = {},
  ) {}

  static writeConfig(dir: string, config: Record<string, unknown>): string {
    const path = join(dir, 'kiosk.json');
    writeFileSync(path, JSON.stringify(config, null, 2));
    return path;
  }

  /**
   * The simulator config (config/sim.json: every device simulated, the built-in central API simulator)
   * with free ports and its data folder in `dir`, written to `dir`.
   */
  static writeSimConfig(dir: string): string {
    const config = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8'));
    return KioskProcess.writeConfig(dir, {
      ...config,
      centralApiSim: { port: 0 },
      host: { ...config.host, port: 0 },
      dataDir: join(dir, 'data'),
    });
  }

  async start(timeoutMs = 20_000): Promise<void> {
    ensureUiBuilt();
    // `node --import tsx`, not the tsx CLI: the CLI runs the kiosk in a child process, which a SIGKILL
    // of the CLI would leave running.
    const built = this.options.main ?? freshBuild();
    const main = built ? [built] : ['--import', 'tsx', join(ROOT, 'kiosk', 'main.ts')];
    const child = spawn(process.execPath, [...main, '--config', this.configPath, '--host', 'browser'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no KIOSK READY within ${timeoutMs} ms: ${this.stderr}`)),
        timeoutMs,
      );
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /KIOSK READY (\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          this.options.onReady?.();
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kiosk exited with ${code}: ${this.stderr}`));
      });
    });
    this.follow();
    await this.waitFor((v) => v.screen === 'home' || v.screen === 'out-of-service');
  }

  /** Types a code into the simulated scanner. */
  scan(text: string): void {
    this.child?.stdin?.write(`${text}\n`);
  }

  send(intent: Intent): Promise<void> {
    return sendIntent(this.url, intent);
  }

  waitFor(pred: (v: View) => boolean, timeoutMs = 20_000): Promise<View> {
    if (this.latest && pred(this.latest)) return Promise.resolve(this.latest);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(on);
        reject(
          new Error(
            `view not reached within ${timeoutMs} ms; last ${JSON.stringify(this.latest)?.slice(0, 200)}`,
          ),
        );
      }, timeoutMs);
      const on = (v: View) => {
        if (!pred(v)) return;
        clearTimeout(timer);
        this.listeners.delete(on);
        resolve(v);
      };
      this.listeners.add(on);
    });
  }

  /** Ends the process: SIGKILL is a power cut, SIGTERM a clean stop. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    // A process ended by a signal keeps exitCode null: it has ended all the same.
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    this.stream?.close();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  private follow(): void {
    this.stream = followViews(this.url, (view) => {
      this.latest = view;
      for (const l of [...this.listeners]) l(view);
    });
  }
}

/** What `scripts/build-kiosk.mjs` compiles and copies into `dist/app/`, and what decides how. */
const BUILT_FROM = ['kiosk', 'drivers', 'config', 'package.json', 'tsconfig.json', 'scripts'];
let fresh: { main: string | undefined } | undefined;

/** `dist/app/kiosk/main.js` when it is newer than every file it was built from (looked up once). */
function freshBuild(): string | undefined {
  if (fresh) return fresh.main;
  const main = join(ROOT, 'dist', 'app', 'kiosk', 'main.js');
  const builtAt = statSync(main, { throwIfNoEntry: false })?.mtimeMs;
  const newer = (path: string): boolean => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return false;
    if (!st.isDirectory()) return builtAt === undefined || st.mtimeMs > builtAt;
    return readdirSync(path).some((name) => newer(join(path, name)));
  };
  fresh = { main: builtAt !== undefined && !BUILT_FROM.some((p) => newer(join(ROOT, p))) ? main : undefined };
  return fresh.main;
}
