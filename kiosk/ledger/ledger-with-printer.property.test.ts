import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CardPrinterSimulator,
  openCardPrinter,
  renderTestPattern,
} from '../../drivers/card-printer/index.ts';
import type {
  CardCounters,
  CardPanels,
  CardPrinter,
  CardPrintOutcome,
  CardPrintStep,
} from '../../drivers/card-printer/types.ts';
import { sleep, systemClock } from '../../drivers/shared/clock.ts';
import { Incidents } from '../incidents/incidents.ts';
import { type Db, openDb } from '../store/db.ts';
import { CardLedger } from './ledger.ts';

/**
 * The ledger against the real card printer simulator, reached through the real protocol driver
 * (`openCardPrinter({ driver: 'sim' })`): random loads, prints, spoils, refusals, silences, removals,
 * power cuts mid-sequence and restarts. A power cut closes the store and the printer (driver and
 * simulator) wherever the print sequence is; the simulator comes back from its state file as a real
 * printer does (a card caught between the rollers goes to the reject box), and the kiosk's start
 * recovers the pending feed from the counters, as `kiosk/core/recovery.ts` does. After every step the
 * ledger's balance holds, its feeder count is the simulator's, and it reconciles with the counters.
 *
 * `ledger.property.test.ts` keeps the same property over an arithmetic printer: it runs many more
 * sequences per second, so it explores the ledger's own logic more widely; this one checks that the
 * ledger agrees with what the printer really does.
 */
const TIME_FACTOR = 0.001;
const START_CARDS = 8;
/** How long the kiosk's start waits for a card still on its way out before reading the counters. */
const RECOVERY_WAIT_MS = 5_000;
const RECOVERY_POLL_MS = 20;
const REF = { applicationNo: '3574-KIA-2611-000123', sessionId: 's1', service: 'KIA' };
/** The test's own limit. */
const TEST_TIMEOUT_MS = 120_000;
/**
 * One run (up to 20 operations) takes well under a second, a few seconds with silences: a run still going
 * after this has hung, and fails with where it stood, so that fast-check reports its seed and path.
 */
const RUN_LIMIT_MS = 30_000;
/** Runs and shrinking stop here, short of the test's limit, so that a failure is still reported. */
const ASSERT_LIMIT_MS = TEST_TIMEOUT_MS - 15_000;

type CrashPoint = 'none' | CardPrintStep | 'after-outcome';
type PrintFault = 'none' | 'jam' | 'cover-open' | 'mechanical' | 'silent';

type Op =
  | { op: 'load'; n: number }
  | { op: 'remove'; n: number }
  | { op: 'print'; fault: PrintFault; crash: CrashPoint; delayMs: number }
  | { op: 'report-again' }
  | { op: 'restart' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('load' as const), n: fc.integer({ min: 1, max: 6 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('remove' as const), n: fc.integer({ min: 1, max: 4 }) }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      op: fc.constant('print' as const),
      fault: fc.oneof(
        { weight: 6, arbitrary: fc.constant('none' as const) },
        { weight: 2, arbitrary: fc.constant('jam' as const) },
        { weight: 1, arbitrary: fc.constant('cover-open' as const) },
        { weight: 1, arbitrary: fc.constant('mechanical' as const) },
        { weight: 1, arbitrary: fc.constant('silent' as const) },
      ),
      crash: fc.oneof(
        { weight: 6, arbitrary: fc.constant('none' as const) },
        {
          weight: 4,
          arbitrary: fc.constantFrom(
            'sequence-started' as const,
            'panels-sent' as const,
            'card-fed' as const,
            'card-ejected' as const,
            'after-outcome' as const,
          ),
        },
      ),
      delayMs: fc.integer({ min: 0, max: 25 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('report-again' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const) }) },
);

/** One kiosk's store and card printer, with the folders they persist in. */
interface Rig {
  dataDir: string;
  stateDir: string;
  db: Db;
  ledger: CardLedger;
  printer: CardPrinter;
  sim: CardPrinterSimulator;
}

async function openPrinter(stateDir: string): Promise<{ printer: CardPrinter; sim: CardPrinterSimulator }> {
  const r = await openCardPrinter({
    driver: 'sim',
    stateDir,
    timeFactor: TIME_FACTOR,
    blankCards: START_CARDS,
  });
  return { printer: r.printer, sim: r.sim! };
}

function openLedger(dataDir: string): { db: Db; ledger: CardLedger } {
  const db = openDb(dataDir);
  return { db, ledger: new CardLedger(db, { incidents: new Incidents(db) }) };
}

/** The counters once no card is on its way (what the kiosk's start waits for). */
async function settledCounters(printer: CardPrinter): Promise<CardCounters> {
  const deadline = systemClock.now() + RECOVERY_WAIT_MS;
  for (;;) {
    const st = await printer.getStatus();
    if (st.state !== 'PRINTING' && st.state !== 'OFFLINE') {
      const c = await printer.readCounters();
      if (c.ok) return c.value;
    }
    if (systemClock.now() > deadline) throw new Error(`printer never settled: ${st.state}`);
    await sleep(systemClock, RECOVERY_POLL_MS);
  }
}

/** Power cut: the store and the printer go down wherever they are. */
async function powerCut(rig: Rig): Promise<void> {
  rig.db.close();
  await rig.printer.close();
}

/** Power back: the store reopens from its file, the printer from its state; the start recovers a pending feed. */
async function powerOn(rig: Rig): Promise<void> {
  Object.assign(rig, openLedger(rig.dataDir), await openPrinter(rig.stateDir));
  if (rig.ledger.feedPending()) rig.ledger.recover(await settledCounters(rig.printer));
}

/** What a technician does before a print: remove the cause, clear the fault (reset for a mechanical one). */
async function fix(rig: Rig): Promise<void> {
  rig.sim.clearCause();
  const st = await rig.printer.getStatus();
  if (st.state === 'MECHANICAL_ERROR') await rig.printer.reset();
  if (st.state !== 'READY') await rig.printer.clearFault();
}

async function check(rig: Rig, start: CardCounters): Promise<void> {
  const t = rig.ledger.totals();
  expect(t.loaded + t.corrected).toBe(t.printed + t.spoiled + t.removed + t.remaining);
  if (rig.ledger.feedPending()) return;
  const counters = await settledCounters(rig.printer);
  expect(counters).toMatchObject(rig.sim.counters);
  expect(t.remaining).toBe(rig.sim.blankCards);
  expect(rig.ledger.reconcile(counters)).toEqual({
    status: 'match',
    printed: counters.total - start.total,
    spoiled: counters.spoiled - start.spoiled,
  });
}

let panels: CardPanels;

beforeAll(async () => {
  panels = (await renderTestPattern()).panels;
});

describe('CardLedger against the real card printer simulator', () => {
  it(
    'keeps its balance, the feeder count and the counters in agreement through faults and power cuts',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 20 }), (ops) => {
          /** Where the run stands: the operation under way and the print step it reached. */
          const trace: string[] = [];
          const at = () => trace.slice(trace.findLastIndex((t) => t.startsWith('#'))).join(' > ');
          return withinLimit(runOps(ops, trace), RUN_LIMIT_MS, () => `run hung at ${at()}`);
        }),
        { numRuns: 16, plugins: [fc.interruptAfterTimeLimit(ASSERT_LIMIT_MS, { failOnInterrupt: true })] },
      );
    },
    TEST_TIMEOUT_MS,
  );
});

/** Runs the operations against a fresh store and printer; `trace` gets each operation and print step. */
async function runOps(ops: Op[], trace: string[]): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'adm-ledger-printer-'));
  const rig = {
    dataDir: join(root, 'data'),
    stateDir: join(root, 'printer'),
    ...openLedger(join(root, 'data')),
    ...(await openPrinter(join(root, 'printer'))),
  } as Rig;
  try {
    const start = rig.sim.counters;
    rig.ledger.ensureBaseline(start);
    rig.ledger.load(START_CARDS, 'T-3574-01');
    let lastOutcome: CardPrintOutcome | undefined;
    for (const [i, o] of ops.entries()) {
      trace.push(`#${i} ${JSON.stringify(o)}`);
      switch (o.op) {
        case 'load':
          rig.sim.loadBlankCards(o.n);
          rig.ledger.load(o.n, 'T-3574-01');
          await fix(rig);
          break;
        case 'remove': {
          const n = rig.sim.removeBlankCards(o.n);
          if (n > 0) rig.ledger.removed(n, 'tergores', 'T-3574-01');
          break;
        }
        case 'report-again':
          // The flow's own recovery may report the last outcome a second time.
          if (lastOutcome && !rig.ledger.feedPending()) rig.ledger.recordOutcome(lastOutcome, REF);
          break;
        case 'restart':
          await powerCut(rig);
          await powerOn(rig);
          lastOutcome = undefined;
          break;
        case 'print': {
          await fix(rig);
          const before = await rig.printer.readCounters();
          if (!before.ok) throw new Error(`counters unreadable: ${before.error}`);
          rig.ledger.feedStarted(before.value, REF);
          const sim = rig.sim;
          if (o.fault === 'jam') sim.injectFault('CARD_JAM', 'during-print');
          if (o.fault === 'cover-open') sim.injectFault('COVER_OPEN', 'before-ss');
          if (o.fault === 'mechanical') sim.injectFault('MECHANICAL_ERROR', 'between-panels');
          let crashed = false;
          let silenced = false;
          const outcome = await rig.printer.printCard(panels, async (step) => {
            trace.push(step);
            if (o.fault === 'silent' && step === 'card-fed') {
              sim.setSilent(true);
              silenced = true;
            }
            if (step !== o.crash) return;
            await sleep(systemClock, o.delayMs);
            crashed = true;
            trace.push('power cut');
            await powerCut(rig);
          });
          trace.push(`outcome ${outcome.kind}`);
          sim.setSilent(false);
          if (!crashed && o.crash === 'after-outcome') {
            crashed = true;
            await powerCut(rig);
          }
          if (crashed) {
            trace.push('power on');
            await powerOn(rig);
            lastOutcome = undefined;
            break;
          }
          rig.ledger.recordOutcome(outcome, REF);
          lastOutcome = outcome;
          // A printer that fell silent once the card was fed cannot say what became of it; one that
          // refused the card (an empty feeder) never got that far.
          if (silenced) expect(outcome.kind).toBe('unknown');
          break;
        }
      }
      trace.push('check');
      await check(rig, start);
    }
    trace.push('final restart');
    // Whatever is still pending is settled at the next start.
    await powerCut(rig);
    await powerOn(rig);
    expect(rig.ledger.feedPending()).toBe(false);
    await check(rig, start);
    expect(new Incidents(rig.db).open()).toEqual([]);
  } finally {
    rig.db.close();
    await rig.printer.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** `work`, or a failure naming where it stood once `limitMs` passed. */
async function withinLimit(work: Promise<void>, limitMs: number, where: () => string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${where()} (${limitMs} ms)`)), limitMs);
  });
  try {
    await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}
