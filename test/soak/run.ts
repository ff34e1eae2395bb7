import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from '../../kiosk/app.ts';
import type { FlatView } from '../../kiosk/view.ts';
import { startKiosk, type TestKiosk, waitForView } from '../support/kiosk.ts';

/**
 * The soak: `npm run soak [-- --sessions N]`. Sessions back to back on the simulators (card printer at a
 * high time factor, A4, refusals, PIN), sampling the process's memory (after a forced GC) and open
 * handles every few sessions. Reports growth after warm-up; exits 1 on any failed session or on growth of
 * 10% or more. The central API simulator runs as its own process (driven through its `/sim/` control
 * surface), so that the memory measured is the kiosk's.
 */
const argv = process.argv.slice(2);
const SESSIONS = Number(argv[argv.indexOf('--sessions') + 1] ?? '') || 1000;
const SAMPLE_EVERY = 10;
const WARMUP = Math.min(200, Math.floor(SESSIONS / 5));
const GROWTH_LIMIT = 0.1;

type Kind = 'card' | 'a4' | 'pin' | 'refused';
const PLAN: Array<{ kind: Kind; app: string }> = [
  { kind: 'card', app: '3574-KIA-2611-000123' },
  { kind: 'card', app: '3574-KTP-2611-000046' },
  { kind: 'a4', app: '3574-KK-2611-000200' },
  { kind: 'card', app: '3574-KIA-2611-000124' },
  { kind: 'pin', app: '3574-KTP-2611-000045' },
  { kind: 'a4', app: '3574-AKL-2611-000300' },
  { kind: 'refused', app: '3574-KTP-2611-000400' },
  { kind: 'card', app: '3574-KIA-2611-000123' },
  { kind: 'a4', app: '3574-BIO-2611-000350' },
  { kind: 'card', app: '3574-KTP-2611-000046' },
];

interface Sample {
  session: number;
  heapUsedMb: number;
  rssMb: number;
  handles: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<number> {
  const central = await RemoteCentral.start();
  const kiosk = await startKiosk({
    config: {
      centralApiSim: undefined,
      centralApi: { baseUrl: central.baseUrl, token: 'sim-token', timeoutMs: 4000 },
    },
    devices: {
      cardPrinter: { driver: 'sim', timeFactor: 0.0005, blankCards: SESSIONS + 100 },
      paperPrinter: { driver: 'sim', timeFactor: 0.001, paperSheets: SESSIONS * 3 + 100 },
      scanner: { driver: 'sim' },
    },
    delays: { collectMs: 0, doneMs: 0 },
  });
  kiosk.app.cardSim!.loadRibbon(SESSIONS + 100);
  const samples: Sample[] = [];
  const failures: Array<{ session: number; kind: Kind; error: string }> = [];
  const durations: number[] = [];
  const started = performance.now();
  try {
    for (let i = 0; i < SESSIONS; i++) {
      const step = PLAN[i % PLAN.length]!;
      const t0 = performance.now();
      try {
        await session(kiosk, central, step.kind, step.app);
      } catch (e) {
        failures.push({ session: i, kind: step.kind, error: (e as Error).message.slice(0, 300) });
        kiosk.app.core.send({ type: 'home' });
      }
      durations.push(performance.now() - t0);
      if (i % 50 === 49) await central.resetRecords();
      if (i % SAMPLE_EVERY === 0 || i === SESSIONS - 1) samples.push(sample(i));
      if (i % 100 === 99)
        process.stderr.write(`soak: ${i + 1}/${SESSIONS} sessions, ${failures.length} failed\n`);
    }
    await kiosk.app.outbox.flush(true);
  } finally {
    await kiosk.stop();
    central.stop();
  }
  const after = samples.filter((s) => s.session >= WARMUP);
  const tenth = Math.max(1, Math.floor(after.length / 10));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const first = after.slice(0, tenth);
  const last = after.slice(-tenth);
  const heapGrowth = median(last.map((s) => s.heapUsedMb)) / median(first.map((s) => s.heapUsedMb)) - 1;
  const rssGrowth = median(last.map((s) => s.rssMb)) / median(first.map((s) => s.rssMb)) - 1;
  const handleGrowth = median(last.map((s) => s.handles)) - median(first.map((s) => s.handles));
  const report = {
    sessions: SESSIONS,
    failed: failures.length,
    warmupSessions: WARMUP,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    sessionMs: {
      p50: round(median(durations)),
      p95: round([...durations].sort((a, b) => a - b)[Math.floor(durations.length * 0.95)]!),
    },
    heapUsedMb: {
      afterWarmup: round(median(first.map((s) => s.heapUsedMb))),
      atEnd: round(median(last.map((s) => s.heapUsedMb))),
      growth: round(heapGrowth),
    },
    rssMb: {
      afterWarmup: round(median(first.map((s) => s.rssMb))),
      atEnd: round(median(last.map((s) => s.rssMb))),
      growth: round(rssGrowth),
    },
    openHandles: {
      afterWarmup: median(first.map((s) => s.handles)),
      atEnd: median(last.map((s) => s.handles)),
      growth: handleGrowth,
    },
    gcExposed: gc !== undefined,
    failures: failures.slice(0, 20),
    samples,
  };
  const out = join(ROOT, 'test', 'output');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'soak-report.json'), JSON.stringify(report, null, 2));
  const { samples: _s, ...summary } = report;
  console.log(JSON.stringify(summary, null, 2));
  const pass = failures.length === 0 && heapGrowth < GROWTH_LIMIT && handleGrowth <= 0;
  console.log(pass ? 'SOAK PASS' : 'SOAK FAIL');
  return pass ? 0 : 1;
}

async function session(kiosk: TestKiosk, central: RemoteCentral, kind: Kind, app: string): Promise<void> {
  await central.setStatus(app, kind === 'refused' ? 'IN_PROCESS' : 'READY');
  const before = await central.completionsOf(app);
  const screen = (s: string) => (v: FlatView) => v.screen === s;
  await waitForView(kiosk, screen('home'), 10_000);
  kiosk.scan(await central.code(app));
  if (kind === 'refused') {
    const v = await waitForView(kiosk, (x) => x.screen === 'error', 10_000);
    if (v.reason !== 'not-ready') throw new Error(`expected not-ready, got ${v.reason}`);
    kiosk.app.core.send({ type: 'home' });
    return;
  }
  if (kind === 'pin') {
    await waitForView(kiosk, screen('pin'), 10_000);
    kiosk.app.core.send({ type: 'pin', pin: await central.pin(app) });
  }
  await waitForView(kiosk, screen('confirm'), 10_000);
  kiosk.app.core.send({ type: 'confirm' });
  const collect = await waitForView(kiosk, (v) => v.screen === 'collect' || v.screen === 'error', 20_000);
  if (collect.screen !== 'collect' || collect.collect?.incomplete)
    throw new Error(`print failed: ${collect.reason ?? 'incomplete'}`);
  await waitForView(kiosk, screen('survey'), 10_000);
  kiosk.app.core.send({ type: 'skip' });
  await waitForView(kiosk, screen('home'), 10_000);
  // The completion reaches the (simulated) central API, exactly once per session.
  let after = before;
  for (let i = 0; i < 200 && after === before; i++) {
    await new Promise((r) => setTimeout(r, 5));
    after = await central.completionsOf(app);
  }
  if (after !== before + 1) throw new Error(`completion not delivered (${before} -> ${after})`);
}

/** The central API simulator in its own process, driven over its `/sim/` control surface. */
class RemoteCentral {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<RemoteCentral> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'kiosk', 'central-api', 'sim', 'cli.ts'), '--port', '0'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const baseUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /CENTRAL SIM (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`central simulator exited with ${code}`)));
    });
    return new RemoteCentral(child, baseUrl);
  }

  private url(path: string): string {
    return `${this.baseUrl.replace(/\/v1$/, '')}/sim/${path}`;
  }

  async code(no: string): Promise<string> {
    return (await fetch(this.url(`code/${no}`))).text();
  }

  async pin(no: string): Promise<string> {
    return ((await (await fetch(this.url(`pin/${no}`))).json()) as { pin: string }).pin;
  }

  async completionsOf(no: string): Promise<number> {
    return ((await (await fetch(this.url(`completions/${no}`))).json()) as { count: number }).count;
  }

  async setStatus(no: string, status: string): Promise<void> {
    await fetch(this.url(`status/${no}/${status}`), { method: 'POST' });
  }

  async resetRecords(): Promise<void> {
    await fetch(this.url('reset-records'), { method: 'POST' });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

function sample(session: number): Sample {
  gc?.();
  const m = process.memoryUsage();
  return {
    session,
    heapUsedMb: m.heapUsed / 2 ** 20,
    rssMb: m.rss / 2 ** 20,
    handles: process.getActiveResourcesInfo().filter((t) => t !== 'Timeout' && t !== 'Immediate').length,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
