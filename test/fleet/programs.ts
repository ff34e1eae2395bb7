import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT } from '../../kiosk/paths.ts';

/** The fleet folder's files. */
export const FLEET = join(ROOT, 'fleet');

/** The Debian packages' programs (prometheus, prometheus-alertmanager). */
export const PROGRAMS = {
  prometheus: '/usr/bin/prometheus',
  promtool: '/usr/bin/promtool',
  alertmanager: '/usr/bin/prometheus-alertmanager',
  amtool: '/usr/bin/amtool',
} as const;

/** Why the fleet tests cannot run here, or undefined when every program is installed. */
export function missingPrograms(): string | undefined {
  const missing = Object.entries(PROGRAMS)
    .filter(([, path]) => !existsSync(path))
    .map(([name]) => name);
  return missing.length
    ? `skipped: ${missing.join(', ')} not installed (test/setup-system.sh installs prometheus and prometheus-alertmanager)`
    : undefined;
}

/** Runs a program to its end: its exit code and output. */
export function run(program: string, args: string[], cwd = FLEET): { code: number; out: string } {
  const r = spawnSync(program, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** A free TCP port on 127.0.0.1 (taken and released; the caller binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A server started by hand on 127.0.0.1, stopped by its PID. */
export class Program {
  private output = '';
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => this.append(d));
    child.stderr?.on('data', (d: Buffer) => this.append(d));
  }

  static start(name: string, program: string, args: string[], env: Record<string, string> = {}): Program {
    const child = spawn(program, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Program(name, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  log(): string {
    return this.output;
  }

  /** Waits until `url` answers 200 (the program is ready), or fails with the program's output. */
  async ready(url: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited: ${this.output.slice(-2000)}`);
      const ok = await fetch(url)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not ready within ${timeoutMs} ms: ${this.output.slice(-2000)}`);
  }

  /** SIGTERM to its PID, SIGKILL after 5 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, 5_000);
    await exited;
    clearTimeout(timer);
  }

  private append(d: Buffer): void {
    // Keep the tail only: a program's log over a long test must not grow without bound.
    this.output = (this.output + d.toString()).slice(-20_000);
  }
}

/** One notification as Alertmanager's webhook sends it. */
export interface Notification {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: Array<{ status: 'firing' | 'resolved'; labels: Record<string, string> }>;
}

/** A webhook receiver on 127.0.0.1 that keeps every notification, by the path it was sent to. */
export async function startWebhookReceiver(): Promise<{
  port: number;
  received: Array<{ path: string; body: Notification }>;
  close(): Promise<void>;
}> {
  const received: Array<{ path: string; body: Notification }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      try {
        received.push({ path: req.url ?? '', body: JSON.parse(body) as Notification });
      } catch {
        // Not a notification: ignored.
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Range windows and `for:` durations of the rules, shortened so a test sees them fire in seconds. */
const SHORT_WINDOWS: Record<string, string> = {
  '5m': '6s',
  '10m': '8s',
  '15m': '15s',
  '30m': '30s',
  '1h': '60s',
};

/** Every rule's `for:` in the test copy (shortRules). */
export const SHORT_FOR_MS = 3_000;

/**
 * A test copy of the fleet's rules: the same expressions with seconds for minutes, and always within
 * opening hours (the real rule knows the clock; a test runs at any hour).
 */
export function shortRules(): string {
  const doc = parse(readFileSync(join(FLEET, 'prometheus', 'adm-rules.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ record?: string; expr: string; for?: string }> }>;
  };
  for (const g of doc.groups)
    for (const r of g.rules) {
      if (r.record === 'adm:opening_hours') r.expr = 'vector(1)';
      r.expr = r.expr
        .replace(/\[(\d+[mh])\]/g, (all, d: string) => (SHORT_WINDOWS[d] ? `[${SHORT_WINDOWS[d]}]` : all))
        .replace(/offset (\d+[mh])/g, (all, d: string) =>
          SHORT_WINDOWS[d] ? `offset ${SHORT_WINDOWS[d]}` : all,
        );
      if (r.for) r.for = `${SHORT_FOR_MS / 1000}s`;
    }
  return stringify(doc);
}

/** Writes a YAML document into `dir` and returns its path. */
export function writeYaml(dir: string, name: string, doc: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : stringify(doc));
  return path;
}

/** Reads one of the fleet's YAML files. */
export function fleetYaml<T = Record<string, unknown>>(path: string): T {
  return parse(readFileSync(join(FLEET, path), 'utf8')) as T;
}

/** The agent's systemd unit on a kiosk. */
export const AGENT_UNIT = join(FLEET, 'prometheus', 'adm-kiosk-agent.service');

/** The nice value the kiosk's agent runs at (`Nice=` of its unit, 0 where it sets none). */
export function agentNice(): number {
  const nice = /^Nice=(-?\d+)$/m.exec(readFileSync(AGENT_UNIT, 'utf8'));
  return nice ? Number(nice[1]) : 0;
}

/** Calls `read` until `ok` holds of its value (for hooks, where expect.poll is not available). */
export async function until<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined);
    if (last !== undefined && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not reached within ${timeoutMs} ms; last ${JSON.stringify(last)}`);
}
