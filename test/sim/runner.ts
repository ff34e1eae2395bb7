import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CARD_FAULT_KIND, PAPER_FAULT_KIND } from '../../kiosk/incidents/kinds.ts';
import type { FlatView } from '../../kiosk/view.ts';
import { kioskPage } from '../support/browser.ts';
import { startKiosk, type TestKiosk } from '../support/kiosk.ts';
import { describeStep, type Scenario, type Step } from './scenario.ts';

/** How long an `expect` waits for its screen unless the step says otherwise. */
export const EXPECT_TIMEOUT_MS = 20_000;
/** How long the central API's record may take to show what the outbox sends. */
export const RECORDS_TIMEOUT_MS = 20_000;
/** How long the kiosk may take, after a scenario, to settle every claim once the API answers again. */
export const SETTLE_TIMEOUT_MS = 30_000;
/** One UI action (a click, a key) may take this long on a loaded machine. */
const ACTION_TIMEOUT_MS = 10_000;
/** The kiosk's central API timeout in the scenarios: the contract's minimum, so a `hang` costs about 2 s. */
export const SCENARIO_API_TIMEOUT_MS = 1000;
/**
 * How long `collect` stays on screen in the scenarios (the kiosk's own 6 s is the flow tests' business):
 * long enough for an `expect` to see the screen and check the View behind it on a loaded machine, short
 * enough not to make every printing scenario wait 6 s for the survey.
 */
export const SCENARIO_COLLECT_MS = 2000;
/** Blank cards and sheets kept in the simulated printers between scenarios. */
const MIN_BLANK_CARDS = 20;
const MIN_PAPER_SHEETS = 50;
const POLL_MS = 50;

/** One kiosk with its real UI open in Chromium: scenarios run on it one after the other. */
export interface Lane {
  kiosk: TestKiosk;
  context: BrowserContext;
  page: Page;
}

export interface StepResult {
  step: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface ScenarioResult {
  name: string;
  ok: boolean;
  ms: number;
  steps: StepResult[];
}

/** Starts a kiosk with every device simulated and opens its UI in a new page of `browser`. */
export async function openLane(browser: Browser): Promise<Lane> {
  const kiosk = await startKiosk({
    config: {
      centralApi: {
        baseUrl: 'http://127.0.0.1:9/v1',
        token: 'sim-token',
        timeoutMs: SCENARIO_API_TIMEOUT_MS,
      },
    },
    delays: { collectMs: SCENARIO_COLLECT_MS },
  });
  const { context, page } = await kioskPage(browser);
  await page.goto(kiosk.url);
  await page.locator('[data-screen="home"]').waitFor({ timeout: EXPECT_TIMEOUT_MS });
  return { kiosk, context, page };
}

export async function closeLane(lane: Lane): Promise<void> {
  await lane.context.close().catch(() => undefined);
  await lane.kiosk.stop();
}

/** What the world looked like when a scenario began: its checks count from here. */
interface Baseline {
  requests: number;
  claims: number;
  completions: number;
  releases: number;
  heartbeats: number;
  feedback: number;
  cards: { total: number; spoiled: number };
  paperJobs: number;
  ledger: { printed: number; spoiled: number };
  incidentIds: Set<number>;
}

/**
 * Runs one scenario on a lane: puts the kiosk back on `home` with no fault anywhere, runs the steps in
 * order (a failed step stops the scenario), then checks what must hold after every scenario: once the
 * API answers again, no claim is left live, no application was completed twice, and the cards and
 * pages that came out are exactly those the completions report (nothing printed without a completion,
 * nothing completed that did not print).
 */
export async function runScenario(lane: Lane, scenario: Scenario): Promise<ScenarioResult> {
  const started = Date.now();
  const steps: StepResult[] = [];
  const record = async (label: string, fn: () => Promise<void>): Promise<boolean> => {
    const t0 = Date.now();
    try {
      await fn();
      steps.push({ step: label, ok: true, ms: Date.now() - t0 });
      return true;
    } catch (e) {
      steps.push({ step: label, ok: false, ms: Date.now() - t0, error: (e as Error).message });
      return false;
    }
  };
  const ctx: RunContext = { lane, base: undefined as unknown as Baseline, scenario, disarm: [] };
  let ok = await record('reset', async () => {
    await resetLane(lane, scenario.apps);
    ctx.base = baseline(lane);
  });
  for (const step of scenario.steps) {
    if (!ok) break;
    ok = await record(describeStep(step), () => runStep(ctx, step));
  }
  for (const d of ctx.disarm) d();
  if (ok) ok = await record('invariants', () => checkInvariants(ctx));
  return { name: scenario.name, ok, ms: Date.now() - started, steps };
}

interface RunContext {
  lane: Lane;
  base: Baseline;
  scenario: Scenario;
  /** Watchers a step armed (a fault that strikes once the card is fed), undone at the end. */
  disarm: Array<() => void>;
}

/** Incidents a device's state opens and closes by itself. */
const DEVICE_STATE_KINDS: ReadonlySet<string> = new Set([
  ...Object.values(CARD_FAULT_KIND),
  ...Object.values(PAPER_FAULT_KIND),
]);

const view = (lane: Lane): FlatView => lane.kiosk.app.core.currentView();

async function runStep(ctx: RunContext, step: Step): Promise<void> {
  const { lane } = ctx;
  const { app, central } = lane.kiosk;
  const page = lane.page;
  if ('scan' in step) {
    lane.kiosk.scan(await central.mintPrintCode(step.scan.app, step.scan.overrides ?? {}));
    return;
  }
  if ('scanRaw' in step) return lane.kiosk.scan(step.scanRaw);
  if ('tap' in step) {
    await page.locator(`[data-action="${step.tap}"]`).click({ timeout: ACTION_TIMEOUT_MS });
    return;
  }
  if ('rate' in step) {
    await page.locator(`[data-rating="${step.rate}"]`).click({ timeout: ACTION_TIMEOUT_MS });
    return;
  }
  if ('keypad' in step) return typeKeys(page, step.keypad);
  if ('enterPin' in step) return typeKeys(page, central.application(step.enterPin).pin);
  if ('fault' in step) return injectDeviceFault(ctx, step.fault);
  if ('clearDeviceFaults' in step) return clearDeviceFaults(lane);
  if ('apiFault' in step) {
    const { route, fault, times } = step.apiFault;
    central.setFault(route, fault, times);
    return;
  }
  if ('clearApiFaults' in step) return central.clearFaults();
  if ('scannerConnected' in step) {
    if (!app.simScanner) throw new Error('this kiosk has no simulated scanner');
    app.simScanner.setConnected(step.scannerConnected);
    return;
  }
  if ('expect' in step) return expectScreen(lane, step.expect);
  if ('expectRecords' in step) return expectRecords(ctx, step.expectRecords);
  if ('expectHeartbeat' in step) return expectHeartbeat(ctx, step.expectHeartbeat);
  if ('expectCounters' in step) return expectCounters(ctx, step.expectCounters);
  if ('expectLedger' in step) {
    const now = app.ledger.totals();
    const got = {
      printed: now.printed - ctx.base.ledger.printed,
      spoiled: now.spoiled - ctx.base.ledger.spoiled,
    };
    assertSubset('ledger', step.expectLedger, got);
    return;
  }
  if ('expectIncidents' in step) {
    // What the session left for the technician; a device's own state (a jam while it lasts) opens and
    // closes its incident by itself and is not part of a scenario's outcome.
    const kinds = newIncidents(ctx)
      .map((i) => i.kind)
      .filter((k) => !DEVICE_STATE_KINDS.has(k));
    assertEqual('incidents', [...step.expectIncidents].sort(), [...kinds].sort());
    return;
  }
  if ('sleep' in step) {
    await delay(step.sleep);
    return;
  }
  throw new Error(`unknown step ${JSON.stringify(step)}`);
}

async function typeKeys(page: Page, keys: string): Promise<void> {
  for (const key of keys) {
    await page.locator(`[data-key="${key}"]`).click({ timeout: ACTION_TIMEOUT_MS });
  }
}

type DeviceFault = Extract<Step, { fault: unknown }>['fault'];

async function injectDeviceFault(ctx: RunContext, f: DeviceFault): Promise<void> {
  const { app } = ctx.lane.kiosk;
  if (f.device === 'paper') {
    const sim = app.paperSim;
    if (!sim) throw new Error('this kiosk has no simulated paper printer');
    const at = f.atDocument;
    if (at !== undefined) {
      const unsubscribe = app.core.subscribe((v) => {
        if (v.screen === 'printing' && (v.printing?.index ?? 0) >= at) {
          sim.injectFault(f.fault, 'now');
          queueMicrotask(() => unsubscribe());
        }
      });
      ctx.disarm.push(unsubscribe);
      return;
    }
    sim.injectFault(f.fault, f.when);
    if (f.when === 'now') await app.core.refreshDevices();
    return;
  }
  const sim = app.cardSim;
  if (!sim) throw new Error('this kiosk has no simulated card printer');
  if (f.fault === 'SILENT' || f.fault === 'GARBAGE') {
    const apply = () => (f.fault === 'SILENT' ? sim.setSilent(true) : sim.setGarbage(true));
    if (f.when === 'now') {
      apply();
      await app.core.refreshDevices();
      return;
    }
    if (f.when !== 'during-print') throw new Error(`${f.fault} strikes now or during-print only`);
    // The line goes quiet once the card is fed: the driver reports `card-fed` as progress 0.3.
    const unsubscribe = app.core.subscribe((v) => {
      if (v.screen === 'printing' && v.printing?.medium === 'CARD' && v.printing.progress >= 0.3) {
        apply();
        queueMicrotask(() => unsubscribe());
      }
    });
    ctx.disarm.push(unsubscribe);
    return;
  }
  sim.injectFault(f.fault, f.when);
  if (f.when === 'now') await app.core.refreshDevices();
}

/** What a technician does: remove every cause, then clear and reset the printers. */
async function clearDeviceFaults(lane: Lane): Promise<void> {
  const { app } = lane.kiosk;
  const sim = app.cardSim;
  if (sim) {
    sim.setSilent(false);
    sim.setGarbage(false);
    sim.clearCause();
    // Srs clears MECHANICAL_ERROR (Scs cannot); then Scs re-reads the sensors.
    await app.cardPrinter?.reset();
    await app.cardPrinter?.clearFault();
  }
  app.paperSim?.clearFault();
  app.simScanner?.setConnected(true);
  await app.core.refreshDevices();
}

async function resetLane(lane: Lane, apps: string[]): Promise<void> {
  const { app, central } = lane.kiosk;
  central.clearFaults();
  await clearDeviceFaults(lane);
  if (app.cardSim && app.ledger.remaining() < MIN_BLANK_CARDS) {
    app.cardSim.loadBlankCards(MIN_BLANK_CARDS * 2);
    app.ledger.load(MIN_BLANK_CARDS * 2, 'SIM');
  }
  if (app.paperSim && app.paperSim.paperSheets < MIN_PAPER_SHEETS)
    app.paperSim.loadPaper(MIN_PAPER_SHEETS * 4);
  await app.core.refreshDevices();
  // Back to home by the applicant's own intents: a screen that waits for a touch is left with `home`.
  await until(
    () => {
      const s = view(lane).screen;
      if (['error', 'info', 'manual-entry', 'pin', 'confirm', 'survey', 'done'].includes(s))
        app.core.send({ type: 'home' });
      return s === 'home';
    },
    SETTLE_TIMEOUT_MS,
    () => `not back home: ${view(lane).screen}`,
  );
  await lane.page.locator('[data-screen="home"]').waitFor({ timeout: EXPECT_TIMEOUT_MS });
  // The previous scenario's messages are out before this one counts anything.
  await until(
    () => app.outbox.pending().every((i) => i.message.kind === 'heartbeat'),
    SETTLE_TIMEOUT_MS,
    () => `outbox not drained: ${app.outbox.pending().map((i) => i.message.kind)}`,
  );
  // A claim a failed scenario left behind is forgotten, as the office would release it by hand.
  for (const c of central.liveClaims()) central.setStatus(c.applicationNo, 'READY');
  for (const no of apps) central.setStatus(no, 'READY');
}

function baseline(lane: Lane): Baseline {
  const { app, central } = lane.kiosk;
  const r = central.records;
  const totals = app.ledger.totals();
  return {
    requests: r.requests.length,
    claims: r.claims.length,
    completions: r.completions.length,
    releases: r.releases.length,
    heartbeats: r.heartbeats.length,
    feedback: r.feedback.length,
    cards: app.cardSim ? { ...app.cardSim.counters } : { total: 0, spoiled: 0 },
    paperJobs: app.paperSim?.jobs.length ?? 0,
    ledger: { printed: totals.printed, spoiled: totals.spoiled },
    incidentIds: new Set(app.incidents.recent(1000).map((i) => i.id)),
  };
}

type ExpectScreen = Extract<Step, { expect: unknown }>['expect'];

async function expectScreen(lane: Lane, e: ExpectScreen): Promise<void> {
  const timeout = e.timeoutMs ?? EXPECT_TIMEOUT_MS;
  const selector = `[data-screen="${e.screen}"]${e.reason ? `[data-reason="${e.reason}"]` : ''}`;
  try {
    await lane.page.locator(selector).waitFor({ timeout });
  } catch {
    const shown = await lane.page
      .locator('[data-screen]')
      .first()
      .evaluate((el) => `${el.getAttribute('data-screen')} ${el.getAttribute('data-reason') ?? ''}`)
      .catch(() => '?');
    throw new Error(`UI shows "${shown.trim()}", not ${selector}`);
  }
  // The View is the truth behind the screen; it may be a moment ahead of the DOM, never behind it.
  const v = view(lane);
  const got: Record<string, unknown> = { screen: v.screen };
  const want: Record<string, unknown> = { screen: e.screen };
  if (e.canRetry !== undefined) {
    want.canRetry = e.canRetry;
    got.canRetry = v.canRetry;
  }
  if (e.incomplete !== undefined) {
    want.incomplete = e.incomplete;
    got.incomplete = v.collect?.incomplete;
  }
  if (e.available?.card !== undefined) {
    want.card = e.available.card;
    got.card = v.available.card;
  }
  if (e.available?.a4 !== undefined) {
    want.a4 = e.available.a4;
    got.a4 = v.available.a4;
  }
  assertEqual('view', want, got);
  if (e.incomplete) {
    const alert = await lane.page.locator('[data-screen="collect"] [role="alert"]').count();
    if (alert === 0) throw new Error('collect says nothing of the documents that could not be printed');
  }
}

type ExpectRecords = Extract<Step, { expectRecords: unknown }>['expectRecords'];

async function expectRecords(ctx: RunContext, e: ExpectRecords): Promise<void> {
  const r = ctx.lane.kiosk.central.records;
  const b = ctx.base;
  const actual = () => {
    const completions = r.completions.slice(b.completions);
    return {
      requests: r.requests.slice(b.requests).filter((q) => !q.path.endsWith('/heartbeat')).length,
      claims: r.claims.length - b.claims,
      completions: completions.length,
      releases: r.releases.slice(b.releases).map((x) => x.reason),
      feedback: r.feedback.length - b.feedback,
      heartbeats: r.heartbeats.length - b.heartbeats,
      completion: completions[0]?.body,
    };
  };
  const want: Record<string, unknown> = {};
  if (e.requests !== undefined) want.requests = e.requests;
  if (e.claims !== undefined) want.claims = e.claims;
  if (e.completions !== undefined) want.completions = e.completions;
  if (e.releases !== undefined) want.releases = e.releases;
  if (e.feedback !== undefined) want.feedback = e.feedback;
  const matches = () => {
    const a = actual();
    const got: Record<string, unknown> = {};
    for (const k of Object.keys(want)) got[k] = a[k as keyof typeof a];
    if (JSON.stringify(got) !== JSON.stringify(want)) return false;
    if (e.heartbeatsAtLeast !== undefined && a.heartbeats < e.heartbeatsAtLeast) return false;
    if (e.completion) {
      const body = (a.completion ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(e.completion)) if (body[k] !== v) return false;
    }
    return true;
  };
  await until(matches, e.timeoutMs ?? RECORDS_TIMEOUT_MS, () => {
    const a = actual();
    return `central API records ${JSON.stringify({ ...a, completion: a.completion })}, expected ${JSON.stringify(e)}`;
  });
}

type ExpectHeartbeat = Extract<Step, { expectHeartbeat: unknown }>['expectHeartbeat'];

async function expectHeartbeat(ctx: RunContext, e: ExpectHeartbeat): Promise<void> {
  const beats = () => ctx.lane.kiosk.central.records.heartbeats.slice(ctx.base.heartbeats);
  const fits = (body: Record<string, unknown>) =>
    (e.state === undefined || body.state === e.state) &&
    Object.entries(e.devices ?? {}).every(
      ([k, v]) => (body.devices as Record<string, unknown> | undefined)?.[k] === v,
    );
  await until(
    () => beats().some((h) => fits(h.body)),
    RECORDS_TIMEOUT_MS,
    () => `no such heartbeat; last: ${JSON.stringify(beats().at(-1)?.body ?? null)}`,
  );
}

type ExpectCounters = Extract<Step, { expectCounters: unknown }>['expectCounters'];

async function expectCounters(ctx: RunContext, e: ExpectCounters): Promise<void> {
  const { app } = ctx.lane.kiosk;
  await app.cardSim?.flush();
  const jobs = app.paperSim?.jobs.slice(ctx.base.paperJobs) ?? [];
  const got = {
    cardsPrinted: (app.cardSim?.counters.total ?? 0) - ctx.base.cards.total,
    cardsSpoiled: (app.cardSim?.counters.spoiled ?? 0) - ctx.base.cards.spoiled,
    a4JobsPrinted: jobs.filter((j) => j.state === 'completed').length,
    a4JobsFailed: jobs.filter((j) => j.state === 'failed').length,
  };
  assertSubset('device counters', e, got);
}

function newIncidents(ctx: RunContext) {
  return ctx.lane.kiosk.app.incidents.recent(1000).filter((i) => !ctx.base.incidentIds.has(i.id));
}

async function checkInvariants(ctx: RunContext): Promise<void> {
  const { app, central } = ctx.lane.kiosk;
  // The network comes back: whatever the scenario broke, every claim must now be settled.
  central.clearFaults();
  const mine = () => central.liveClaims().filter((c) => central.records.claims.indexOf(c) >= ctx.base.claims);
  await until(
    () =>
      mine().length === 0 &&
      !app.outbox.pending().some((i) => i.message.kind === 'complete' || i.message.kind === 'release'),
    SETTLE_TIMEOUT_MS,
    () =>
      `claims still live: ${mine().map((c) => c.applicationNo)}; outbox: ${app.outbox
        .pending()
        .map((i) => `${i.message.kind}(${i.lastError ?? ''})`)}`,
  );
  const completions = central.records.completions.slice(ctx.base.completions);
  const claimsOf = new Map<string, Set<string>>();
  for (const c of completions)
    claimsOf.set(c.applicationNo, (claimsOf.get(c.applicationNo) ?? new Set()).add(c.claimId));
  for (const [no, claims] of claimsOf)
    if (claims.size > 1) throw new Error(`${no} completed under ${claims.size} claims`);
  const reportedCards = completions.reduce((n, c) => n + Number(c.body.cardsPrinted ?? 0), 0);
  const reportedPages = completions.reduce((n, c) => n + Number(c.body.pagesPrinted ?? 0), 0);
  await app.cardSim?.flush();
  const cardsOut = (app.cardSim?.counters.total ?? 0) - ctx.base.cards.total;
  const pagesOut = (app.paperSim?.jobs.slice(ctx.base.paperJobs) ?? [])
    .filter((j) => j.state === 'completed')
    .reduce((n, j) => n + j.pages, 0);
  if (cardsOut !== reportedCards || pagesOut !== reportedPages) {
    throw new Error(
      `printed ${cardsOut} card(s) and ${pagesOut} page(s), completions report ${reportedCards} and ${reportedPages}`,
    );
  }
}

function assertEqual(what: string, want: unknown, got: unknown): void {
  if (JSON.stringify(want) !== JSON.stringify(got))
    throw new Error(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}

function assertSubset(what: string, want: Record<string, unknown>, got: Record<string, unknown>): void {
  const picked: Record<string, unknown> = {};
  for (const k of Object.keys(want)) picked[k] = got[k];
  assertEqual(what, want, picked);
}

async function until(pred: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (pred()) return;
    if (Date.now() > end) throw new Error(describe());
    await delay(POLL_MS);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
