import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { KioskApp } from '../../kiosk/app.ts';
import type { PrinterComparison } from '../../kiosk/ledger/ledger.ts';
import { ROOT } from '../../kiosk/paths.ts';
import type { FlatView } from '../../kiosk/view.ts';
import type { FigureLine } from '../bench/harness.ts';

/**
 * The soak: `npm run soak [-- --sessions N] [--json]`. The kiosk as built (compiled by the project's own
 * build script, as it runs on a kiosk PC: the A4 preview's worker is the compiled one, with no TypeScript
 * loader in it), started in this process so that the soak can skip the screens' pauses and force a GC
 * before each sample. Sessions back to back on the simulators (card
 * printer at a high time factor with an exit bezel and a head that overheats, A4, refusals, PIN), sampling
 * the process's memory (after a forced GC) and open handles every few sessions. The applicant takes the
 * card from the bezel in most card sessions and leaves it in a few (the kiosk draws it back). At the end
 * the blank-card ledger is compared with the printer's counters (`Rco;tc`, `Rco;sc`, `Rco;rt`) by the
 * kiosk's own start-up check. Exits 1 on any failed session, a ledger that differs, heap growth of 10% or
 * more, RSS growth of 5% or more after the first 100 sessions, or more open handles. The central API
 * simulator runs as its own process (driven through its `/sim/` control surface), so that the memory
 * measured is the kiosk's. `--json`: the figure lines (test/bench/harness.ts) on standard output, the
 * report on standard error.
 */
const argv = process.argv.slice(2);
const SESSIONS = Number(argv[argv.indexOf('--sessions') + 1] ?? '') || 1000;
const JSON_LINES = argv.includes('--json');
const SAMPLE_EVERY = 10;
const WARMUP = Math.min(200, Math.floor(SESSIONS / 5));
const GROWTH_LIMIT = 0.1;
/** `memory.kiosk.rss-growth-*` is measured against the RSS after this many sessions (issue 20). */
const RSS_BASE_SESSIONS = Math.min(100, Math.floor(SESSIONS / 5));
const RSS_GROWTH_LIMIT = 0.05;
/** Samples whose median is the RSS after the first 100 sessions, and at the end. */
const RSS_WINDOW = 10;
/** Cards in a row before the simulated head overheats (it cools for 60 s x the time factor). */
const COOLING_AFTER_CARDS = 20;
/** One card session in this many leaves the card in the bezel, to be drawn back after `cardTakeSeconds`. */
const LEAVE_CARD_EVERY = 50;
/** The shortest time to take a card the config allows: each card left in the bezel costs this long. */
const CARD_TAKE_SECONDS = 10;

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
  const kiosk = await startBuiltKiosk({
    centralApi: { baseUrl: central.baseUrl, token: 'sim-token', timeoutMs: 4000 },
    devices: {
      cardPrinter: {
        driver: 'sim',
        timeFactor: 0.0005,
        blankCards: SESSIONS + 100,
        bezel: true,
        coolingAfterCards: COOLING_AFTER_CARDS,
        coolingSeconds: 60,
        cardTakeSeconds: CARD_TAKE_SECONDS,
      },
      paperPrinter: { driver: 'sim', timeFactor: 0.001, paperSheets: SESSIONS * 3 + 100 },
      scanner: { driver: 'sim' },
    },
  });
  const sim = kiosk.app.cardSim!;
  sim.loadRibbon(SESSIONS + 100);
  const samples: Sample[] = [];
  const failures: Array<{ session: number; kind: Kind; error: string }> = [];
  const durations: number[] = [];
  const started = performance.now();
  let cardSessions = 0;
  let cardsLeft = 0;
  let ledgerCheck: PrinterComparison | { status: 'printer-unreadable' } | undefined;
  let printerCounters: unknown;
  let ledgerTotals: unknown;
  try {
    for (let i = 0; i < SESSIONS; i++) {
      const step = PLAN[i % PLAN.length]!;
      const t0 = performance.now();
      const card = step.kind === 'card' || step.kind === 'pin';
      const leaveCard = card && cardSessions++ % LEAVE_CARD_EVERY === LEAVE_CARD_EVERY - 1;
      if (leaveCard) cardsLeft++;
      try {
        await session(kiosk, central, step.kind, step.app, leaveCard);
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
    // The check the kiosk makes at every start, on the ledger and the printer as the soak left them.
    ledgerCheck = await kiosk.checkLedger();
    const counters = await kiosk.app.cardPrinter!.readCounters();
    printerCounters = counters.ok ? counters.value : counters.error;
    ledgerTotals = kiosk.app.ledger.totals();
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
  // RSS after the first 100 sessions against RSS at the end, each the median of ten samples (a hundred
  // sessions): one sample moves by ±15 MB with what the allocator happens to hold at that moment.
  const rssBase = median(
    samples
      .filter((s) => s.session >= RSS_BASE_SESSIONS)
      .slice(0, RSS_WINDOW)
      .map((s) => s.rssMb),
  );
  const rssEnd = median(samples.slice(-RSS_WINDOW).map((s) => s.rssMb));
  const rssGrowthAfterBase = rssEnd / rssBase - 1;
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
    rssAfterFirstSessions: {
      sessions: RSS_BASE_SESSIONS,
      mb: round(rssBase),
      atEnd: round(rssEnd),
      growth: round(rssGrowthAfterBase),
    },
    cardPrinter: {
      counters: printerCounters,
      coolings: sim.coolings,
      cardsLeftInBezel: cardsLeft,
    },
    ledger: { totals: ledgerTotals, check: ledgerCheck },
    gcExposed: gc !== undefined,
    failures: failures.slice(0, 20),
    samples,
  };
  const out = join(ROOT, 'test', 'output');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'soak-report.json'), JSON.stringify(report, null, 2));
  const { samples: _s, ...summary } = report;
  const say = (line: string) => (JSON_LINES ? process.stderr : process.stdout).write(`${line}\n`);
  say(JSON.stringify(summary, null, 2));
  if (JSON_LINES) {
    const figures: FigureLine[] = [
      {
        name: `memory.kiosk.rss-growth-${SESSIONS}`,
        unit: 'ratio',
        value: round(rssGrowthAfterBase),
        n: SESSIONS,
      },
      { name: 'memory.kiosk.rss-soak-end', unit: 'MB', value: round(rssEnd), n: SESSIONS },
    ];
    for (const f of figures) process.stdout.write(`${JSON.stringify(f)}\n`);
  }
  const problems = [
    ...(failures.length > 0 ? [`${failures.length} sessions failed`] : []),
    ...(ledgerCheck?.status !== 'match'
      ? [`the ledger does not match the printer's counters: ${JSON.stringify(ledgerCheck)}`]
      : []),
    ...(heapGrowth >= GROWTH_LIMIT ? [`heap grew by ${round(heapGrowth)}`] : []),
    ...(rssGrowthAfterBase >= RSS_GROWTH_LIMIT ? [`RSS grew by ${round(rssGrowthAfterBase)}`] : []),
    ...(handleGrowth > 0 ? [`${handleGrowth} more open handles`] : []),
  ];
  for (const p of problems) say(`soak: ${p}`);
  say(problems.length === 0 ? 'SOAK PASS' : 'SOAK FAIL');
  return problems.length === 0 ? 0 : 1;
}

async function session(
  kiosk: BuiltKiosk,
  central: RemoteCentral,
  kind: Kind,
  app: string,
  leaveCard: boolean,
): Promise<void> {
  await central.setStatus(app, kind === 'refused' ? 'IN_PROCESS' : 'READY');
  const before = await central.completionsOf(app);
  const screen = (s: string) => (v: FlatView) => v.screen === s;
  await waitFor(kiosk.app, screen('home'), 10_000);
  kiosk.scan(await central.code(app));
  if (kind === 'refused') {
    const v = await waitFor(kiosk.app, (x) => x.screen === 'error', 10_000);
    if (v.reason !== 'not-ready') throw new Error(`expected not-ready, got ${v.reason}`);
    kiosk.app.core.send({ type: 'home' });
    return;
  }
  if (kind === 'pin') {
    await waitFor(kiosk.app, screen('pin'), 10_000);
    kiosk.app.core.send({ type: 'pin', pin: await central.pin(app) });
  }
  await waitFor(kiosk.app, screen('confirm'), 10_000);
  kiosk.app.core.send({ type: 'confirm' });
  const collect = await waitFor(kiosk.app, (v) => v.screen === 'collect' || v.screen === 'error', 20_000);
  if (collect.screen !== 'collect' || collect.collect?.incomplete)
    throw new Error(`print failed: ${collect.reason ?? 'incomplete'}`);
  const sim = kiosk.app.cardSim!;
  if (sim.cardInBezel) {
    if (leaveCard) {
      // Nobody takes it: drawn back after cardTakeSeconds, and the applicant is sent to the counter.
      await waitFor(kiosk.app, (v) => v.collect?.notTaken === true, (CARD_TAKE_SECONDS + 10) * 1000);
    } else sim.takeCard();
  }
  await waitFor(kiosk.app, screen('survey'), 10_000);
  kiosk.app.core.send({ type: 'skip' });
  await waitFor(kiosk.app, screen('home'), 10_000);
  // The completion reaches the (simulated) central API, exactly once per session.
  let after = before;
  for (let i = 0; i < 200 && after === before; i++) {
    await new Promise((r) => setTimeout(r, 5));
    after = await central.completionsOf(app);
  }
  if (after !== before + 1) throw new Error(`completion not delivered (${before} -> ${after})`);
}

interface BuiltKiosk {
  app: KioskApp;
  scan(text: string): void;
  /** `checkLedgerAtStart` of the built code, on this kiosk's ledger and card printer. */
  checkLedger(): Promise<PrinterComparison | { status: 'printer-unreadable' }>;
  stop(): Promise<void>;
}

/**
 * The kiosk compiled into a folder of its own (inside the project, so it finds its root) and started
 * here on the simulator config, with `config` merged over it, a fresh data folder, no pauses on `collect`
 * and `done`, and no metrics port.
 */
async function startBuiltKiosk(config: Record<string, unknown>): Promise<BuiltKiosk> {
  const out = join(ROOT, 'dist', `.soak-app-${process.pid}`);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-kiosk.mjs'), '--out', out], { stdio: 'pipe' });
  const built = async <T>(path: string): Promise<T> =>
    (await import(pathToFileURL(join(out, path)).href)) as T;
  const { parseConfig } = await built<typeof import('../../config/load.ts')>('config/load.js');
  const { startKioskApp } = await built<typeof import('../../kiosk/app.ts')>('kiosk/app.js');
  const { checkLedgerAtStart } = await built<typeof import('../../kiosk/ledger/startup-check.ts')>(
    'kiosk/ledger/startup-check.js',
  );
  const { systemClock } =
    await built<typeof import('../../drivers/shared/clock.ts')>('drivers/shared/clock.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'adm-soak-'));
  const { centralApiSim: _sim, ...base } = JSON.parse(
    readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8'),
  ) as Record<string, unknown>;
  const parsed = parseConfig({ ...base, metrics: false, ...config, dataDir });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  const app = await startKioskApp(parsed.value, {
    delays: { collectMs: 0, doneMs: 0 },
    log: () => undefined,
  });
  return {
    app,
    scan: (text) => app.simScanner!.scan(text),
    checkLedger: () =>
      checkLedgerAtStart(app.ledger, app.cardPrinter!, { clock: systemClock, waitMs: 10_000 }),
    stop: async () => {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first view that satisfies `pred`, or rejects after `timeoutMs`. */
function waitFor(app: KioskApp, pred: (view: FlatView) => boolean, timeoutMs: number): Promise<FlatView> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      off();
      reject(
        new Error(
          `no such view within ${timeoutMs} ms; last: ${JSON.stringify(app.core.currentView()).slice(0, 300)}`,
        ),
      );
    }, timeoutMs);
    const off = app.core.subscribe((view) => {
      if (done || !pred(view)) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => off());
      resolve(view);
    });
  });
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
