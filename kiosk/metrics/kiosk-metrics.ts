import { statfsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type OpenMetricsContentType,
  Registry,
} from 'prom-client';
import {
  DEVICES,
  type DeviceName,
  deviceState,
  HANDOFF_REASONS,
  httpStatus,
  KIOSK_STATES,
  type KioskState,
  MEDIA,
  OUTCOMES,
  type Outcome,
  oneOf,
  REFUSAL_REASONS,
  ROUTES,
  type Route,
  SERVICES,
  STEPS,
  type Step,
  SUPPLIES,
  type SupplyName,
} from './labels.ts';

export interface KioskMetricsOptions {
  kioskId: string;
  region: string;
  version: string;
  /** The data folder, whose free space is `adm_disk_free_bytes`. */
  dataDir?: string;
  /** The length of the audit chain (`adm_audit_chain_length`), read by `refreshSources`. */
  auditLength?: () => number;
  /** Messages waiting for the central API (`adm_outbox_pending`), read by `refreshSources`. */
  outboxPending?: () => number;
  /** The kinds of the incidents open now (`adm_incidents_open`), read by `refreshSources`. */
  openIncidents?: () => Array<{ kind: string }>;
  /** Called by `refreshSources`, to set what is read rather than reported (supplies, say). */
  beforeScrape?: () => void;
  /** Node's process metrics (`process_*`, `nodejs_*`); on by default. */
  processMetrics?: boolean;
}

/**
 * Step durations: the software's own part is milliseconds; a slow central API can make a step seconds.
 */
const STEP_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The kiosk's Prometheus metrics (kiosk-runtime.md "Metrics", 1.1), in a registry of its own (several
 * kiosks may run in one process in tests). Every label value goes through a closed set (`labels.ts`),
 * so no personal data can reach the exposition whatever a caller passes.
 */
export class KioskMetrics {
  readonly registry = new Registry();
  /** The same metrics for a scraper that asks for OpenMetrics. */
  private readonly openMetrics = new Registry<OpenMetricsContentType>();
  private readonly state: Gauge;
  private readonly deviceUp: Gauge;
  private readonly deviceStateGauge: Gauge;
  private readonly supply: Gauge;
  private readonly sessions: Counter;
  private readonly documents: Counter;
  private readonly refusals: Counter;
  private readonly assistance: Gauge;
  private readonly handoffs: Counter;
  private readonly steps: Histogram;
  private readonly requests: Counter;
  private readonly cooling: Counter;
  private readonly headCards: Gauge;
  private readonly deviceStates = new Map<DeviceName, string>();
  private readonly stepStarts = new Map<Step, number>();
  private readonly outboxPending: Gauge;
  /** Reads what the kiosk's store and disk hold into their gauges (`refreshSources`). */
  private readonly sources: () => void;

  constructor(opts: KioskMetricsOptions) {
    this.openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const registers = [this.registry, this.openMetrics] as Registry[];
    if (opts.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      collectDefaultMetrics({ register: this.openMetrics });
    }
    new Gauge({
      name: 'adm_kiosk_info',
      help: 'The kiosk: its id, region and software version (always 1).',
      labelNames: ['kiosk_id', 'region', 'version'],
      registers,
    }).set({ kiosk_id: opts.kioskId, region: opts.region, version: opts.version }, 1);
    this.state = new Gauge({
      name: 'adm_kiosk_state',
      help: '1 for the kiosk state now, 0 for the others.',
      labelNames: ['state'],
      registers,
    });
    this.deviceUp = new Gauge({
      name: 'adm_device_up',
      help: '1 when the device answers and can work, else 0; one series per configured device.',
      labelNames: ['device'],
      registers,
    });
    this.deviceStateGauge = new Gauge({
      name: 'adm_device_state',
      help: "1 for the device's current state (the heartbeat's state name).",
      labelNames: ['device', 'state'],
      registers,
    });
    this.supply = new Gauge({
      name: 'adm_supply_remaining',
      help: 'Supplies left, as in the heartbeat.',
      labelNames: ['supply'],
      registers,
    });
    this.sessions = new Counter({
      name: 'adm_sessions_total',
      help: 'Sessions ended, by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.documents = new Counter({
      name: 'adm_documents_printed_total',
      help: 'Documents that came out printed.',
      labelNames: ['service', 'medium'],
      registers,
    });
    this.refusals = new Counter({
      name: 'adm_refusals_total',
      help: 'Times each error reason was shown.',
      labelNames: ['reason'],
      registers,
    });
    this.outboxPending = new Gauge({
      name: 'adm_outbox_pending',
      help: 'Messages waiting for the central API.',
      registers,
    });
    this.assistance = new Gauge({
      name: 'adm_assistance_requested',
      help: "1 while an applicant's call for staff is open, else 0.",
      registers,
    });
    this.handoffs = new Counter({
      name: 'adm_handoffs_total',
      help: 'Hand-offs to the counter, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.steps = new Histogram({
      name: 'adm_step_duration_seconds',
      help: "The software's own time in each step of a session.",
      labelNames: ['step'],
      buckets: STEP_BUCKETS,
      registers,
    });
    this.requests = new Counter({
      name: 'adm_central_api_requests_total',
      help: 'Requests made to the central API, by route and HTTP status (or timeout/network).',
      labelNames: ['route', 'status'],
      registers,
    });
    this.cooling = new Counter({
      name: 'adm_card_printer_cooling_total',
      help: 'Times the card printer went COOLING (head too hot).',
      registers,
    });
    this.headCards = new Gauge({
      name: 'adm_card_printer_head_cards_since_cleaning',
      help: 'Cards printed since the print head was last cleaned (Rco;cl).',
      registers,
    });
    this.sources = readSources(opts, {
      diskFree: opts.dataDir
        ? new Gauge({
            name: 'adm_disk_free_bytes',
            help: 'Bytes free for the kiosk on the file system of its data folder.',
            registers,
          })
        : undefined,
      auditLength: opts.auditLength
        ? new Gauge({ name: 'adm_audit_chain_length', help: 'Entries in the audit hash chain.', registers })
        : undefined,
      incidents: opts.openIncidents
        ? new Gauge({
            name: 'adm_incidents_open',
            help: 'Incidents open for a technician, by kind.',
            labelNames: ['kind'],
            registers,
          })
        : undefined,
      outboxPending: this.outboxPending,
    });
    // Every series a rule compares over time exists from the start at 0: a counter born at 1 would show
    // no increase, and the per-region outage rule counts kiosks by their refusals.
    for (const outcome of OUTCOMES) this.sessions.inc({ outcome }, 0);
    for (const reason of REFUSAL_REASONS) this.refusals.inc({ reason }, 0);
    this.assistance.set(0);
    this.cooling.inc(0);
    this.setState('OUT_OF_SERVICE');
  }

  /** The kiosk state (as the heartbeat says it). */
  setState(state: KioskState): void {
    for (const s of KIOSK_STATES) this.state.set({ state: s }, s === state ? 1 : 0);
  }

  /**
   * A configured device's state as the heartbeat names it (`READY`, `CARD_JAM`, `OFFLINE`...). `up` is
   * whether it answers and can work. A former state's series is dropped.
   */
  setDevice(device: DeviceName, state: string, up: boolean): void {
    const name = oneOf(device, DEVICES);
    const now = deviceState(state);
    const before = this.deviceStates.get(device);
    if (before !== undefined && before !== now) this.deviceStateGauge.remove({ device: name, state: before });
    this.deviceStates.set(device, now);
    this.deviceStateGauge.set({ device: name, state: now }, 1);
    this.deviceUp.set({ device: name }, up ? 1 : 0);
  }

  /** What is left of a supply. */
  setSupply(supply: SupplyName, remaining: number): void {
    if (Number.isFinite(remaining)) this.supply.set({ supply: oneOf(supply, SUPPLIES) }, remaining);
  }

  /** A session ended with `outcome`. */
  sessionEnded(outcome: Outcome): void {
    this.sessions.inc({ outcome: oneOf(outcome, OUTCOMES) });
  }

  /** An error screen with `reason` was shown. */
  refusal(reason: string): void {
    this.refusals.inc({ reason: oneOf(reason, REFUSAL_REASONS) });
  }

  /** A document came out printed. `service` is the application's Service. */
  documentPrinted(service: string, medium: 'CARD' | 'A4'): void {
    this.documents.inc({ service: oneOf(service, SERVICES), medium: oneOf(medium, MEDIA) });
  }

  /** One request to the central API and how it ended. */
  centralApiRequest(route: Route, status: number | 'timeout' | 'network'): void {
    this.requests.inc({ route: oneOf(route, ROUTES), status: httpStatus(status) });
  }

  /** The messages waiting in the outbox (when no `outboxPending` source was given). */
  setOutboxPending(n: number): void {
    this.outboxPending.set(n);
  }

  /** An applicant's call for staff opened (`true`) or ended (`false`). */
  setAssistanceRequested(open: boolean): void {
    this.assistance.set(open ? 1 : 0);
  }

  /** A hand-off to the counter was sent. */
  handoff(reason: string): void {
    this.handoffs.inc({ reason: oneOf(reason, HANDOFF_REASONS) });
  }

  /** The software's own time in one step of a session, in seconds. */
  stepDuration(step: Step, seconds: number): void {
    if (Number.isFinite(seconds) && seconds >= 0) this.steps.observe({ step: oneOf(step, STEPS) }, seconds);
  }

  /**
   * A step of the session begins now (measured on the monotonic clock: the software's own time, whatever
   * clock the flow runs on). A step begun again starts over.
   */
  stepStart(step: Step): void {
    this.stepStarts.set(step, performance.now());
  }

  /** The step ends now: its time is observed once; an end without a start is ignored. */
  stepEnd(step: Step): void {
    const started = this.stepStarts.get(step);
    if (started === undefined) return;
    this.stepStarts.delete(step);
    this.stepDuration(step, (performance.now() - started) / 1000);
  }

  /** The card printer went COOLING once more. */
  cardPrinterCooling(): void {
    this.cooling.inc();
  }

  /** `Rco;cl`: cards printed since the head was last cleaned. */
  setHeadCardsSinceCleaning(cards: number): void {
    if (Number.isFinite(cards)) this.headCards.set(cards);
  }

  /**
   * Reads the values that come from the kiosk's store and disk rather than from events: the outbox,
   * the audit chain, the open incidents, the disk's free space and what `beforeScrape` sets. The metrics
   * server calls it on a timer (`SOURCES_MS`), never on a scraper's request; a source that cannot be
   * read now keeps its last value.
   */
  refreshSources(): void {
    this.sources();
  }

  /** The exposition of the values held now: text 0.0.4, or OpenMetrics when `openMetrics`. */
  async render(openMetrics = false): Promise<{ body: string; contentType: string }> {
    const registry = openMetrics ? this.openMetrics : this.registry;
    return { body: await registry.metrics(), contentType: registry.contentType };
  }

  /** The sources read now, then rendered: a fresh answer (tests, tools); the server serves snapshots. */
  async scrape(openMetrics = false): Promise<{ body: string; contentType: string }> {
    this.refreshSources();
    return this.render(openMetrics);
  }
}

/** The gauges `readSources` sets, each present when its source was given. */
interface SourceGauges {
  diskFree: Gauge | undefined;
  auditLength: Gauge | undefined;
  incidents: Gauge | undefined;
  outboxPending: Gauge;
}

/**
 * One function that reads every source into its gauge. Each is read on its own: one that throws (a
 * store closing, a folder gone) keeps its last value and the others are still read.
 */
function readSources(opts: KioskMetricsOptions, g: SourceGauges): () => void {
  const { dataDir, auditLength, outboxPending, openIncidents, beforeScrape } = opts;
  const reads: Array<() => void> = [];
  if (beforeScrape) reads.push(beforeScrape);
  if (outboxPending) reads.push(() => g.outboxPending.set(outboxPending()));
  if (dataDir && g.diskFree) {
    const diskFree = g.diskFree;
    reads.push(() => {
      const s = statfsSync(dataDir);
      diskFree.set(s.bavail * s.bsize);
    });
  }
  if (auditLength && g.auditLength) {
    const gauge = g.auditLength;
    reads.push(() => gauge.set(auditLength()));
  }
  if (openIncidents && g.incidents) {
    const gauge = g.incidents;
    reads.push(() => {
      const counts = new Map<string, number>();
      for (const i of openIncidents()) {
        const kind = incidentKind(i.kind);
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
      }
      gauge.reset();
      for (const [kind, n] of counts) gauge.set({ kind }, n);
    });
  }
  return () => {
    for (const read of reads) {
      try {
        read();
      } catch {
        // What could not be read now keeps its last value; the kiosk's own checks raise the fault.
      }
    }
  };
}

/** Incident kinds are the kiosk's own words (`claim-lost`, `partial-print`...): lower-case and dashes only. */
function incidentKind(kind: string): string {
  return /^[a-z][a-z-]{0,47}$/.test(kind) ? kind : 'other';
}
