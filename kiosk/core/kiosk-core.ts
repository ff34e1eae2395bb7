import { createHash, randomUUID } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { type Actor, createActor, fromPromise, type InspectionEvent } from 'xstate';
import type { KioskConfig } from '../../config/schema.ts';
import type {
  CardCounters,
  CardPrinterFault,
  CardPrinterStatus,
  CardPrintOutcome,
} from '../../drivers/card-printer/types.ts';
import { pageCount } from '../../drivers/paper-printer/page-count.ts';
import type { PaperPrinterStatus } from '../../drivers/paper-printer/types.ts';
import { CameraScanner } from '../../drivers/scanner/camera-scanner.ts';
import { type Clock, sleep } from '../../drivers/shared/clock.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { maskNik } from '../audit/mask.ts';
import type { SessionOutcome } from '../audit/types.ts';
import type { CentralApi } from '../central-api/client.ts';
import type { ReleaseReason } from '../central-api/contract.ts';
import { cardDocumentSchema } from '../central-api/schemas.ts';
import {
  decideApplication,
  decideClaimFailure,
  decideLookupFailure,
  decidePinFailure,
} from '../flow/decide.ts';
import { type ClaimDecision, type FlowEvent, flowMachine, type PrintDecision } from '../flow/machine.ts';
import { idleSplit, TIMINGS } from '../flow/timings.ts';
import type { Incidents } from '../incidents/incidents.ts';
import type { Journal } from '../journal/journal.ts';
import type { CardLedger } from '../ledger/ledger.ts';
import type { PaperLedger } from '../ledger/paper-ledger.ts';
import type { KioskMetrics } from '../metrics/kiosk-metrics.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { verifyCode } from '../print-code/verify.ts';
import type { ErrorReason, Intent, Locale, View } from '../view.ts';
import { capabilitiesOf, type DeviceSnapshot, type Devices } from './devices.ts';
import { recoverOpenSessions } from './recovery.ts';
import { screenOf } from './screen-of.ts';
import type { FetchedDocument, SessionData } from './session-data.ts';

export interface KioskCoreDeps {
  config: KioskConfig;
  clock: Clock;
  api: CentralApi;
  journal: Journal;
  outbox: Outbox;
  devices: Devices;
  ledger?: CardLedger;
  paperLedger?: PaperLedger;
  incidents?: Incidents;
  audit?: AuditLog;
  /** The kiosk's Prometheus metrics (kiosk/metrics): what only the core knows is reported here. */
  metrics?: KioskMetrics;
  softwareVersion: string;
  log?: (line: string) => void;
  /** Sessions that recovery at start could not decide yet (the card printer did not answer). */
  undecidedSessions?: number;
  /** Shorter `collect` / `done` pauses, for benchmarks that run hundreds of sessions back to back. */
  delays?: { collectMs?: number; doneMs?: number };
  /** Sees every step of the flow machine (tests measure transition coverage with it). */
  inspect?: (event: InspectionEvent) => void;
}

/** What the core needs of the maintenance menu (kiosk/maintenance/controller.ts). */
export interface MaintenancePort {
  handle(intent: Intent): void | Promise<void>;
  view(): { screen: View['screen']; maintenance: unknown } | undefined;
  setApplicantBusy(busy: boolean): void;
  onChange(listener: () => void): () => void;
}

/** Intents that are one flow event each, with nothing to carry. */
const SIMPLE_INTENTS: Partial<Record<Intent['type'], FlowEvent['type']>> = {
  confirm: 'CONFIRM',
  cancel: 'CANCEL',
  retry: 'RETRY',
  home: 'HOME',
  info: 'INFO',
  skip: 'SKIP',
  touch: 'TOUCH',
};

/** Seconds a card takes on a real printer, for the words on the `printing` screen. */
const CARD_SECONDS = 21;
const A4_SECONDS_PER_PAGE = 5;
const TECH_TYP = 'adm-tech+jwt';

/**
 * The kiosk core: the flow machine behind a small facade. It owns the session, the journal writes,
 * the outbox and the devices; the hosts only carry its View to the UI and the applicant's Intents back.
 */
export class KioskCore {
  private readonly actor: Actor<typeof flowMachine>;
  private session: SessionData | undefined;
  private listeners = new Set<(view: View) => void>();
  private locale: Locale;
  private devicesNow: DeviceSnapshot = { scanner: [] };
  private outOfService = false;
  private progress: View['printing'];
  private warningSince: number | undefined;
  private tickTimer: unknown;
  private pollTimer: unknown;
  private heartbeatTimer: unknown;
  private lastHeartbeatKey = '';
  private stopped = false;
  private readonly unsubscribers: Array<() => void> = [];
  private maintenance: MaintenancePort | undefined;
  /**
   * A card whose fate is not known yet (the printer went silent after it may have been fed). No card is
   * printed until the printer answers and that card is reconciled from its counters: a card printed
   * meanwhile would move the counters and make the old card look printed.
   */
  private cardUndecided = false;
  /** Read once the card printer answers; reported with every completion that printed a card. */
  private cardPrinterSerial: string | undefined;
  private reconciling = false;

  constructor(private readonly deps: KioskCoreDeps) {
    this.locale = deps.config.locale;
    this.cardUndecided = (deps.undecidedSessions ?? 0) > 0;
    const machine = flowMachine.provide({
      actors: {
        checkCode: fromPromise(({ input }) => this.checkCode(input.text)),
        lookUp: fromPromise(({ input }) => this.lookUp(input.applicationNo, input.source)),
        checkPin: fromPromise(({ input }) => this.checkPin(input.applicationNo, input.pin)),
        claimAndFetch: fromPromise(({ input }) => this.claimAndFetch(input.applicationNo)),
        print: fromPromise(() => this.printAll()),
      },
      actions: {
        startSession: (_, params) => this.startSession(params.source),
        endSession: () => this.endSession(),
        releaseClaim: (_, params) => this.release(params.reason),
        sendFeedback: (_, params) => this.feedback(params.rating),
      },
      delays: {
        ...(deps.delays?.collectMs !== undefined ? { collectMs: deps.delays.collectMs } : {}),
        ...(deps.delays?.doneMs !== undefined ? { doneMs: deps.delays.doneMs } : {}),
      },
    });
    this.actor = createActor(machine, {
      input: { idleTimeoutSeconds: deps.config.idleTimeoutSeconds, available: true },
      clock: {
        setTimeout: (fn, ms) => deps.clock.setTimeout(fn, ms),
        clearTimeout: (h) => deps.clock.clearTimeout(h),
      },
      ...(deps.inspect ? { inspect: deps.inspect } : {}),
    });
    this.actor.subscribe(() => this.changed());
  }

  /** Starts the flow, the scanners, device polling, the outbox and the heartbeat. */
  async start(): Promise<void> {
    await this.pollDevices();
    this.actor.start();
    this.actor.send({ type: 'SERVICE_CHANGED', available: this.canPrintAnything() });
    for (const scanner of this.deps.devices.scanners) {
      this.unsubscribers.push(scanner.onCode((text) => this.scanned(text)));
      this.unsubscribers.push(scanner.onStatus(() => void this.pollDevices()));
    }
    if (this.deps.devices.cardPrinter)
      this.unsubscribers.push(this.deps.devices.cardPrinter.onStatus(() => void this.pollDevices()));
    this.deps.outbox.start();
    this.schedulePoll();
    this.heartbeat(true);
    this.scheduleHeartbeat();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unsubscribers) u();
    for (const t of [this.tickTimer, this.pollTimer, this.heartbeatTimer])
      if (t !== undefined) this.deps.clock.clearTimeout(t);
    this.actor.stop();
    await this.deps.outbox.stop();
  }

  // ---- the port the hosts use ----

  subscribe(listener: (view: View) => void): () => void {
    this.listeners.add(listener);
    listener(this.currentView());
    return () => this.listeners.delete(listener);
  }

  currentView(): View {
    const flow = this.flowView();
    const m = this.maintenance?.view();
    if (!m) return flow;
    return {
      screen: m.screen,
      locale: flow.locale,
      kioskId: flow.kioskId,
      available: flow.available,
      helpdesk: flow.helpdesk,
      maintenance: m.maintenance,
    };
  }

  send(intent: Intent): void {
    if (this.stopped) return;
    const camera = this.deps.devices.scanners.find((sc): sc is CameraScanner => sc instanceof CameraScanner);
    switch (intent.type) {
      case 'scan':
        // The camera's decoded text goes through its Scanner (which folds repeats of one code).
        if (camera) camera.push(String(intent.text));
        else this.scanned(intent.text);
        break;
      case 'camera':
        camera?.setAvailable(intent.available, intent.detail);
        break;
      case 'language':
        this.locale = intent.locale === 'en' ? 'en' : 'id';
        this.actor.send({ type: 'TOUCH' });
        this.emit();
        break;
      case 'manual-entry':
        this.actor.send({ type: 'MANUAL_ENTRY' });
        break;
      case 'application-no':
        this.actor.send({
          type: 'APPLICATION_NO',
          applicationNo: String(intent.applicationNo).toUpperCase(),
        });
        break;
      case 'pin':
        this.actor.send({ type: 'PIN', pin: String(intent.pin) });
        break;
      case 'rating':
        this.actor.send({ type: 'RATING', rating: intent.rating });
        break;
      case 'maintenance':
        void Promise.resolve(this.maintenance?.handle(intent)).catch((e: unknown) =>
          this.deps.log?.(`maintenance: ${(e as Error).message}`),
        );
        break;
      default: {
        const type = SIMPLE_INTENTS[intent.type];
        if (type) this.actor.send({ type } as FlowEvent);
      }
    }
  }

  /** A preview image of the current session, by the path the View gave. */
  async readAsset(path: string): Promise<{ body: Uint8Array; type: string } | undefined> {
    const m = /^\/preview\/([A-Za-z0-9-]+)\.png$/.exec(path);
    if (!m || !this.session) return undefined;
    const doc = this.session.documents.find((d) => d.previewId === m[1]);
    return doc?.preview ? { body: doc.preview, type: 'image/png' } : undefined;
  }

  /** Whether an applicant is being served (maintenance waits until not). */
  applicantBusy(): boolean {
    const s = screenOf(this.actor.getSnapshot().value);
    return !['home', 'out-of-service', 'info'].includes(s);
  }

  /**
   * Connects the maintenance menu: its screens take over the display while it is active, which it only
   * becomes once no applicant is being served.
   */
  attachMaintenance(port: MaintenancePort): void {
    this.maintenance = port;
    port.setApplicantBusy(this.applicantBusy());
    this.unsubscribers.push(
      port.onChange(() => {
        this.heartbeat(false);
        this.emit();
      }),
    );
    this.emit();
  }

  /** Out of service by a technician's hand. */
  setOutOfService(on: boolean): void {
    this.outOfService = on;
    this.actor.send({ type: 'SERVICE_CHANGED', available: this.canPrintAnything() });
    this.heartbeat(true);
    this.emit();
  }

  isOutOfService(): boolean {
    return this.outOfService;
  }

  devices(): DeviceSnapshot {
    return this.devicesNow;
  }

  /** Re-reads the devices now (after a technician cleared a fault or loaded cards). */
  async refreshDevices(): Promise<void> {
    await this.pollDevices();
  }

  /** Re-renders (maintenance overlay changes). */
  emit(): void {
    const view = this.currentView();
    for (const l of this.listeners) {
      try {
        l(view);
      } catch {
        // A host that fails to deliver a view must not stop the others.
      }
    }
  }

  // ---- the flow's actors ----

  private scanned(text: string): void {
    const trimmed = String(text).trim();
    if (!trimmed) return;
    // A technician badge goes to the maintenance menu, which waits for an applicant to finish.
    if (isBadge(trimmed)) {
      if (this.maintenance)
        void Promise.resolve(
          this.maintenance.handle({ type: 'maintenance', action: 'badge', args: { token: trimmed } }),
        );
      return;
    }
    if (this.maintenance?.view()) return;
    this.actor.send({ type: 'SCAN', text: trimmed });
  }

  private async checkCode(text: string) {
    const r = await verifyCode(text, {
      kind: 'print',
      issuerKeys: this.deps.config.qr.issuerKeys,
      regionCode: this.deps.config.regionCode,
      now: this.deps.clock.now(),
    });
    if (!r.ok) {
      this.refused(r.error);
      return { next: 'error' as const, reason: r.error };
    }
    if (this.session) this.session.codeService = r.value.service;
    return { next: 'lookup' as const, applicationNo: r.value.applicationNo };
  }

  private async lookUp(applicationNo: string, source: 'code' | 'manual') {
    const r = await this.deps.api.getApplication(applicationNo);
    if (!r.ok) {
      const d = decideLookupFailure(r.error);
      if (d.next === 'error') this.refused(d.reason, r.error.kind !== 'refused' ? r.error.detail : undefined);
      return d;
    }
    const app = r.value;
    const s = this.session;
    if (s) {
      s.application = app;
      this.journal({
        step: 'looked-up',
        applicationNo: app.applicationNo,
        service: app.service,
        nikMasked: maskNik(app.subject.nik),
        documents: app.documents.map((d) => ({
          documentId: d.documentId,
          medium: d.medium,
          ...(d.pages ? { pages: d.pages } : {}),
        })),
      });
    }
    const d = decideApplication(app, {
      codeService: s?.codeService,
      regionCode: this.deps.config.regionCode,
      source,
      capabilities: this.capabilities(),
    });
    if (d.next === 'error') this.refused(d.reason);
    return d;
  }

  private async checkPin(applicationNo: string, pin: string) {
    const r = await this.deps.api.verifyPin(applicationNo, pin, randomUUID());
    if (r.ok) {
      if (this.session) this.session.pinProof = r.value.pinProof;
      return { next: 'claim' as const, pinProof: r.value.pinProof };
    }
    const d = decidePinFailure(r.error);
    if (d.next === 'error') this.refused(d.reason);
    return d;
  }

  private async claimAndFetch(applicationNo: string): Promise<ClaimDecision> {
    const s = this.session;
    const app = s?.application;
    if (!s || !app) return { next: 'error', reason: 'service-unavailable', canRetry: true };
    // The devices may have failed since the lookup: nothing is claimed that cannot be finished.
    await this.pollDevices();
    const again = decideApplication(app, {
      regionCode: this.deps.config.regionCode,
      source: s.source,
      capabilities: this.capabilities(),
    });
    if (again.next === 'error') {
      this.refused(again.reason);
      return again;
    }
    const claim = await this.deps.api.claim(applicationNo, s.pinProof, randomUUID());
    if (!claim.ok) {
      const d = decideClaimFailure(claim.error);
      if (d.next === 'error') this.refused(d.reason);
      return d;
    }
    s.claim = claim.value;
    // A retry after a released claim (a failed download) works on a new claim: it must be settled again.
    s.settled = false;
    this.journal({
      step: 'claimed',
      claimId: claim.value.claimId,
      leaseExpiresAt: claim.value.leaseExpiresAt,
    });
    const docs: FetchedDocument[] = [];
    for (const doc of app.documents) {
      const bytes = await this.deps.api.getDocument(doc.documentId, claim.value.claimId);
      if (!bytes.ok) {
        this.release('INTERRUPTED', `download failed: ${bytes.error.kind}`);
        // A 401 is the kiosk's credentials, not the document: service-unavailable, as for a lookup.
        const reason: ErrorReason =
          bytes.error.kind === 'refused' && bytes.error.status !== 401
            ? 'document-invalid'
            : 'service-unavailable';
        this.refused(reason);
        return { next: 'error', reason, canRetry: reason === 'service-unavailable' };
      }
      const checked = await this.checkDocument(doc, bytes.value);
      if (!checked) {
        this.release('DOCUMENT_INVALID', `document ${doc.documentId} failed its check`);
        this.refused('document-invalid');
        return { next: 'error', reason: 'document-invalid' };
      }
      docs.push(checked);
    }
    s.documents = docs;
    this.journal({ step: 'downloaded' });
    this.deps.metrics?.stepEnd('scan_to_confirm');
    return { next: 'confirm' };
  }

  private async checkDocument(
    doc: FetchedDocument['doc'],
    bytes: Uint8Array,
  ): Promise<FetchedDocument | undefined> {
    if (createHash('sha256').update(bytes).digest('hex') !== doc.sha256) return undefined;
    const previewId = randomUUID();
    if (doc.medium === 'CARD') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
      } catch {
        return undefined;
      }
      const card = cardDocumentSchema.safeParse(parsed);
      if (!card.success || (doc.template && card.data.template !== doc.template)) return undefined;
      const render = this.deps.devices.renderCard;
      if (!render) return undefined;
      const data = card.data as Parameters<typeof render>[0];
      // The card prints as issued; the picture on screen masks the identity numbers (a passer-by may see it).
      const [rendered, masked] = await Promise.all([render(data), render(maskCardNumbers(data))]);
      return { doc, bytes, card: rendered, previewId, preview: masked.previewPng };
    }
    const pages = await pageCount(bytes);
    if (!pages.ok || pages.value !== doc.pages) return undefined;
    const preview = await this.deps.devices.renderPdfPreview?.(bytes).catch(() => undefined);
    return { doc, bytes, previewId, ...(preview ? { preview } : {}) };
  }

  private async printAll(): Promise<PrintDecision> {
    const s = this.session;
    if (!s?.claim || !s.application) return { next: 'error', reason: 'device-fault' };
    this.journal({ step: 'confirmed' });
    this.deps.metrics?.stepStart('confirm_to_print_start');
    let failed = false;
    const total = s.documents.length;
    for (const [index, d] of s.documents.entries()) {
      const medium = d.doc.medium;
      const eta = medium === 'CARD' ? CARD_SECONDS : A4_SECONDS_PER_PAGE * (d.doc.pages ?? 1);
      this.setProgress({ medium, index: index + 1, of: total, progress: index / total, etaSeconds: eta });
      const ok = medium === 'CARD' ? await this.printCard(s, d) : await this.printA4(s, d);
      if (!ok) {
        failed = true;
        break;
      }
      s.printed.documents++;
      this.deps.metrics?.documentPrinted(s.application.service, medium);
    }
    this.deps.metrics?.stepStart('print_end_to_collect');
    this.setProgress(undefined);
    if (s.printed.documents === 0 && s.cardOutcomeUnknown) {
      // The card may be out: releasing could let it print twice, completing could lose it. The session
      // stays open in the journal and is reconciled from the counters as soon as the printer answers.
      s.settled = true;
      s.leaveOpen = true;
      this.cardUndecided = true;
      s.outcome = 'fault';
      this.deps.incidents?.record({
        kind: 'card-outcome-unknown',
        applicationNo: s.application.applicationNo,
        claimId: s.claim.claimId,
        detail: { waitedMs: TIMINGS.cardOutcomeWaitMs },
      });
      this.refused('device-fault');
      void this.pollDevices();
      return { next: 'error', reason: 'device-fault' };
    }
    if (s.printed.documents === 0) {
      this.release('DEVICE_FAULT', 'the printer failed before anything came out');
      s.outcome = 'fault';
      this.refused('device-fault');
      void this.pollDevices();
      return { next: 'error', reason: 'device-fault' };
    }
    this.complete(s);
    if (failed) {
      s.outcome = 'partial';
      this.deps.incidents?.record({
        kind: 'partial-print',
        applicationNo: s.application.applicationNo,
        claimId: s.claim.claimId,
        detail: { printed: s.printed.documents, of: total },
      });
      void this.pollDevices();
    } else {
      s.outcome = 'printed';
    }
    return { next: 'collect', incomplete: failed };
  }

  private async printCard(s: SessionData, d: FetchedDocument): Promise<boolean> {
    const printer = this.deps.devices.cardPrinter;
    if (!printer || !d.card) return false;
    const before = await printer.readCounters();
    if (!before.ok) return false;
    this.journal({
      step: 'card-before',
      documentId: d.doc.documentId,
      total: before.value.total,
      spoiled: before.value.spoiled,
    });
    const ref = {
      applicationNo: s.application?.applicationNo,
      sessionId: s.sessionId,
      service: s.application?.service,
    };
    this.deps.ledger?.feedStarted(before.value, ref);
    this.deps.metrics?.stepEnd('confirm_to_print_start');
    const started = this.deps.clock.now();
    let outcome = await printer.printCard(d.card.panels, (step) => {
      this.journal({ step: 'card-progress', documentId: d.doc.documentId, at: step });
      if (this.progress) {
        const part = { 'sequence-started': 0.05, 'panels-sent': 0.2, 'card-fed': 0.3, 'card-ejected': 1 }[
          step
        ];
        this.setProgress({
          ...this.progress,
          progress: Math.max(this.progress.progress, part ?? 0),
          etaSeconds: Math.max(1, CARD_SECONDS - Math.round((this.deps.clock.now() - started) / 1000)),
        });
      }
    });
    if (outcome.kind === 'unknown' && outcome.before) {
      // Neither complete nor release may be guessed: the counters, once readable, say what came out.
      outcome = await this.awaitCardOutcome(outcome.before, outcome.fault);
    }
    const after = 'after' in outcome ? outcome.after : undefined;
    this.journal({
      step: 'card-after',
      documentId: d.doc.documentId,
      outcome: outcome.kind as 'printed' | 'spoiled' | 'not-fed' | 'unknown',
      ...(after ? { total: after.total, spoiled: after.spoiled } : {}),
    });
    this.deps.ledger?.recordOutcome(outcome, ref);
    if (outcome.kind === 'printed') {
      s.printed.cards++;
      return true;
    }
    if (outcome.kind === 'unknown') s.cardOutcomeUnknown = true;
    return false;
  }

  /** Reads the counters until the printer answers (or the wait ends) and decides the card's fate. */
  private async awaitCardOutcome(before: CardCounters, fault: CardPrinterFault): Promise<CardPrintOutcome> {
    const printer = this.deps.devices.cardPrinter;
    const deadline = this.deps.clock.now() + TIMINGS.cardOutcomeWaitMs;
    while (printer && !this.stopped && this.deps.clock.now() < deadline) {
      const c = await printer.readCounters();
      if (c.ok) {
        const after = c.value;
        if (after.total > before.total) return { kind: 'printed', before, after };
        if (after.spoiled > before.spoiled) return { kind: 'spoiled', before, after, fault };
        return { kind: 'not-fed', before, after, fault };
      }
      await sleep(this.deps.clock, TIMINGS.cardOutcomePollMs);
    }
    return { kind: 'unknown', before, fault };
  }

  private async printA4(s: SessionData, d: FetchedDocument): Promise<boolean> {
    const printer = this.deps.devices.paperPrinter;
    if (!printer) return false;
    const pages = d.doc.pages ?? 1;
    this.deps.metrics?.stepEnd('confirm_to_print_start');
    const r = await printer.print(
      { pdf: d.bytes, expectedPages: pages, jobName: s.application?.applicationNo ?? 'ADM' },
      (job) => {
        this.journal({
          step: 'a4-submitted',
          documentId: d.doc.documentId,
          jobId: job.jobId,
          pages: job.pages,
        });
      },
    );
    this.journal({
      step: 'a4-after',
      documentId: d.doc.documentId,
      outcome: r.ok ? 'printed' : 'failed',
      pages,
    });
    if (r.ok) s.printed.pages += pages;
    return r.ok;
  }

  // ---- outcomes: journal, outbox, audit ----

  private complete(s: SessionData): void {
    if (s.settled || !s.claim || !s.application) return;
    const claim = s.claim;
    const serial = this.cardPrinterSerial;
    const body = {
      printedAt: new Date(this.deps.clock.now()).toISOString(),
      cardsPrinted: s.printed.cards,
      pagesPrinted: s.printed.pages,
      ...(s.printed.cards > 0 && serial ? { cardPrinterSerial: serial } : {}),
    };
    this.deps.journal.transaction(() => {
      const outboxId = this.deps.outbox.enqueue({
        kind: 'complete',
        claimId: claim.claimId,
        applicationNo: claim.applicationNo,
        body,
      });
      this.journal({
        step: 'completion-queued',
        outboxId,
        cardsPrinted: s.printed.cards,
        pagesPrinted: s.printed.pages,
      });
    });
    s.settled = true;
  }

  private release(reason: ReleaseReason, detail?: string): void {
    const s = this.session;
    if (!s?.claim || s.settled) return;
    const claim = s.claim;
    this.deps.journal.transaction(() => {
      const outboxId = this.deps.outbox.enqueue({
        kind: 'release',
        claimId: claim.claimId,
        applicationNo: claim.applicationNo,
        reason,
        ...(detail ? { detail } : {}),
      });
      this.journal({ step: 'release-queued', outboxId, reason });
    });
    s.settled = true;
    if (reason === 'CANCELLED_BY_APPLICANT') s.outcome = 'cancelled';
    if (reason === 'TIMEOUT') s.outcome = 'timeout';
  }

  private feedback(rating: number): void {
    if (!Number.isInteger(rating) || rating < 1 || rating > 4) return;
    const service = this.session?.application?.service;
    this.deps.outbox.enqueue({
      kind: 'feedback',
      body: {
        kioskId: this.deps.config.kioskId,
        rating: rating as 1 | 2 | 3 | 4,
        ...(service ? { service } : {}),
        at: new Date(this.deps.clock.now()).toISOString(),
      },
    });
  }

  private refused(reason: ErrorReason, detail?: string): void {
    this.deps.metrics?.refusal(reason);
    const s = this.session;
    if (!s) return;
    s.outcome ??= reason === 'device-fault' ? 'fault' : 'refused';
    this.journal({ step: 'refused', reason });
    if (detail) this.deps.log?.(`session ${s.sessionId}: ${reason} (${detail})`);
    s.reason = reason;
  }

  private startSession(source: 'code' | 'manual'): void {
    this.endSession();
    this.deps.metrics?.stepStart('scan_to_confirm');
    const sessionId = this.deps.journal.start(source);
    this.session = {
      sessionId,
      source,
      documents: [],
      settled: false,
      printed: { cards: 0, pages: 0, documents: 0 },
    };
  }

  /** Ends the session: journal closed, audit entry, and the applicant's data dropped from memory. */
  private endSession(): void {
    const s = this.session;
    this.locale = this.deps.config.locale;
    this.progress = undefined;
    if (!s) return;
    this.session = undefined;
    // A claim still live here (should not happen: every exit path settles it) is released, never left dangling.
    if (s.claim && !s.settled) {
      this.session = s;
      this.release('INTERRUPTED', 'session ended without an outcome');
      this.session = undefined;
    }
    const outcome = s.outcome ?? (s.application ? 'cancelled' : 'refused');
    if (!s.leaveOpen) this.deps.journal.append(s.sessionId, { step: 'closed', outcome });
    const reason = s.reason;
    try {
      this.deps.audit?.append({
        type: 'session',
        outcome: outcome as SessionOutcome,
        ...(s.application
          ? { applicationNo: s.application.applicationNo, nik: s.application.subject.nik }
          : {}),
        detail: {
          sessionId: s.sessionId,
          ...(s.application
            ? { service: s.application.service }
            : s.codeService
              ? { service: s.codeService }
              : {}),
          ...(reason ? { reason } : {}),
          cards: s.printed.cards,
          sheets: s.printed.pages,
        },
      });
    } catch (e) {
      this.deps.log?.(`audit append failed: ${(e as Error).message}`);
    }
    for (const d of s.documents) {
      d.bytes.fill(0);
      d.preview = undefined;
    }
    s.documents = [];
  }

  private journal(step: Parameters<Journal['append']>[1]): void {
    const s = this.session;
    if (s) this.deps.journal.append(s.sessionId, step);
  }

  // ---- devices, availability, heartbeat ----

  private capabilities() {
    const c = capabilitiesOf(
      this.devicesNow,
      { card: !!this.deps.devices.cardPrinter, a4: !!this.deps.devices.paperPrinter },
      this.outOfService,
    );
    return this.cardUndecided && c.CARD === 'ok' ? { ...c, CARD: 'out-of-supplies' as const } : c;
  }

  /** Once the card printer answers again, settles the sessions whose card was undecided. */
  private async reconcileUndecided(): Promise<void> {
    const card = this.devicesNow.card;
    if (
      !this.cardUndecided ||
      this.reconciling ||
      !card ||
      card.state === 'OFFLINE' ||
      card.state === 'PRINTING'
    )
      return;
    this.reconciling = true;
    try {
      const current = this.session?.sessionId;
      const left = await recoverOpenSessions({
        journal: this.deps.journal,
        outbox: this.deps.outbox,
        ...(this.deps.ledger ? { ledger: this.deps.ledger } : {}),
        ...(this.deps.incidents ? { incidents: this.deps.incidents } : {}),
        ...(this.deps.devices.cardPrinter ? { cardPrinter: this.deps.devices.cardPrinter } : {}),
        ...(this.deps.devices.paperPrinter ? { paperPrinter: this.deps.devices.paperPrinter } : {}),
        clock: this.deps.clock,
        ...(this.deps.log ? { log: this.deps.log } : {}),
        ...(current ? { skip: current } : {}),
      });
      this.cardUndecided = left.length > 0;
    } finally {
      this.reconciling = false;
    }
  }

  private canPrintAnything(): boolean {
    const c = this.capabilities();
    return c.CARD === 'ok' || c.A4 === 'ok';
  }

  private async pollDevices(): Promise<void> {
    const { cardPrinter, paperPrinter, scanners } = this.deps.devices;
    const [card, paper] = await Promise.all([
      cardPrinter?.getStatus().catch((): CardPrinterStatus => ({ state: 'OFFLINE' })),
      paperPrinter?.getStatus().catch((): PaperPrinterStatus => ({ state: 'OFFLINE' })),
    ]);
    if (cardPrinter && !this.cardPrinterSerial && card && card.state !== 'OFFLINE') {
      const info = await cardPrinter.readInfo().catch(() => undefined);
      if (info?.ok) this.cardPrinterSerial = info.value.serial;
    }
    const paperSheets = paper && 'paperSheets' in paper ? paper.paperSheets : undefined;
    this.devicesNow = {
      ...(card ? { card } : {}),
      ...(paper ? { paper } : {}),
      scanner: scanners.map((sc) => ({ source: sc.source, state: sc.getStatus().state })),
      // The ledger's count governs once a load was recorded; before that only the feeder sensor can tell.
      ...(this.deps.ledger && cardPrinter && ledgerCounts(this.deps.ledger)
        ? { blankCards: this.deps.ledger.remaining() }
        : {}),
      ...(paperSheets !== undefined ? { paperSheets } : {}),
    };
    if (this.stopped) return;
    if (this.cardUndecided) await this.reconcileUndecided();
    this.actor.send({ type: 'SERVICE_CHANGED', available: this.canPrintAnything() });
    this.heartbeat(false);
    this.emit();
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = this.deps.clock.setTimeout(() => {
      // While a card prints, the driver's own polling tells us enough; keep the wire free.
      const busy = screenOf(this.actor.getSnapshot().value) === 'printing';
      void (busy ? Promise.resolve() : this.pollDevices()).finally(() => this.schedulePoll());
    }, TIMINGS.devicePollMs);
  }

  private scheduleHeartbeat(): void {
    if (this.stopped) return;
    this.heartbeatTimer = this.deps.clock.setTimeout(() => {
      this.heartbeat(true);
      this.scheduleHeartbeat();
    }, TIMINGS.heartbeatMs);
  }

  /** Queues a heartbeat when forced (every 60 s) or when the kiosk's or a device's state changed. */
  heartbeat(force: boolean): void {
    const d = this.devicesNow;
    const devices: Record<string, string> = {};
    if (this.deps.devices.cardPrinter) devices.cardPrinter = d.card?.state ?? 'UNKNOWN';
    if (this.deps.devices.paperPrinter) devices.paperPrinter = d.paper?.state ?? 'UNKNOWN';
    if (this.deps.devices.scanners.length)
      devices.scanner = d.scanner.every((x) => x.state === 'READY') ? 'READY' : 'OFFLINE';
    const state = this.maintenance?.view()
      ? 'MAINTENANCE'
      : this.canPrintAnything()
        ? 'IN_SERVICE'
        : 'OUT_OF_SERVICE';
    const key = JSON.stringify([state, devices]);
    if (!force && key === this.lastHeartbeatKey) return;
    this.lastHeartbeatKey = key;
    const ribbon = d.card && 'ribbonPanelsLeft' in d.card ? d.card.ribbonPanelsLeft : undefined;
    this.deps.outbox.enqueue({
      kind: 'heartbeat',
      body: {
        at: new Date(this.deps.clock.now()).toISOString(),
        state,
        softwareVersion: this.deps.softwareVersion,
        devices,
        supplies: {
          ...(d.blankCards !== undefined ? { blankCards: d.blankCards } : {}),
          ...(ribbon !== undefined ? { ribbonPanelsLeft: ribbon } : {}),
          ...(d.paperSheets !== undefined ? { paperSheets: d.paperSheets } : {}),
        },
        outboxPending: this.deps.outbox.pendingCount(),
      },
    });
  }

  // ---- the view ----

  private setProgress(p: View['printing']): void {
    this.progress = p;
    this.emit();
  }

  private changed(): void {
    const snap = this.actor.getSnapshot();
    const inWarning = JSON.stringify(snap.value).includes('"warning"');
    if (inWarning && this.warningSince === undefined) {
      this.warningSince = this.deps.clock.now();
      this.tick();
    } else if (!inWarning) {
      this.warningSince = undefined;
    }
    this.maintenance?.setApplicantBusy(this.applicantBusy());
    this.emit();
    if (screenOf(snap.value) === 'collect') this.deps.metrics?.stepEnd('print_end_to_collect');
    if (!this.applicantBusy()) this.heartbeat(false);
  }

  /** Re-renders every second while the idle countdown runs. */
  private tick(): void {
    if (this.tickTimer !== undefined) this.deps.clock.clearTimeout(this.tickTimer);
    this.tickTimer = this.deps.clock.setTimeout(() => {
      this.tickTimer = undefined;
      if (this.warningSince === undefined || this.stopped) return;
      this.emit();
      this.tick();
    }, 1000);
  }

  private flowView(): View {
    const snap = this.actor.getSnapshot();
    const ctx = snap.context;
    const screen = screenOf(snap.value);
    const cap = this.capabilities();
    const s = this.session;
    const view: View = {
      screen,
      locale: this.locale,
      kioskId: this.deps.config.kioskId,
      available: { card: cap.CARD === 'ok', a4: cap.A4 === 'ok' },
      helpdesk: this.deps.config.helpdesk ?? {},
    };
    if (this.deps.devices.scanners.some((sc) => sc.source === 'camera')) view.camera = true;
    if (this.warningSince !== undefined) {
      const { countdownMs } = idleSplit(ctx.idleTimeoutSeconds);
      const left = Math.max(0, Math.ceil((this.warningSince + countdownMs - this.deps.clock.now()) / 1000));
      view.idleWarning = { secondsLeft: left };
    }
    switch (screen) {
      case 'error':
        view.reason = ctx.reason ?? 'service-unavailable';
        if (ctx.stage) view.stage = ctx.stage;
        view.canRetry = ctx.canRetry === true;
        break;
      case 'manual-entry':
        view.manualEntry = { step: 'application-no' };
        break;
      case 'pin':
        view.pin = {
          wrongCount: ctx.pinWrongCount,
          ...(ctx.pinAttemptsLeft !== undefined ? { attemptsLeft: ctx.pinAttemptsLeft } : {}),
        };
        break;
      case 'confirm':
        if (s?.application) {
          view.confirm = {
            name: s.application.subject.name,
            nikMasked: maskNik(s.application.subject.nik),
            service: s.application.service,
            documents: s.documents.map((d) => ({
              medium: d.doc.medium,
              ...(d.doc.template ? { template: d.doc.template } : {}),
              ...(d.doc.pages ? { pages: d.doc.pages } : {}),
              previewUrl: d.preview ? `/preview/${d.previewId}.png` : '',
            })),
          };
        }
        break;
      case 'printing':
        view.printing = this.progress ?? {
          medium: 'CARD',
          index: 1,
          of: 1,
          progress: 0,
          etaSeconds: CARD_SECONDS,
        };
        break;
      case 'collect': {
        const media = [...new Set(s?.documents.slice(0, s.printed.documents).map((d) => d.doc.medium) ?? [])];
        view.collect = { media, incomplete: ctx.incomplete === true };
        break;
      }
      case 'survey':
        if (s?.application) view.survey = { service: s.application.service };
        break;
    }
    return view;
  }
}

/** Whether the blank-card ledger has a stock to count from (a load, removal or correction recorded). */
export function ledgerCounts(ledger: CardLedger): boolean {
  const t = ledger.totals();
  return t.loaded > 0 || t.removed > 0 || t.corrected !== 0;
}

/** The NIK and the KK number (KIA) masked as the confirm screen shows them: first 6 and last 4 digits. */
function maskCardNumbers<T extends { fields: Record<string, string> }>(doc: T): T {
  const fields = { ...doc.fields };
  for (const key of ['nik', 'noKk']) if (fields[key]) fields[key] = maskNik(fields[key]);
  return { ...doc, fields };
}

function isBadge(text: string): boolean {
  if (text.length > 2048 || text.split('.').length !== 3) return false;
  try {
    return decodeProtectedHeader(text).typ === TECH_TYP;
  } catch {
    return false;
  }
}
