import type { CardPrinter, CardPrintOutcome } from '../../drivers/card-printer/types.ts';
import type { PaperJob, PaperJobFailure, PaperPrinter } from '../../drivers/paper-printer/types.ts';
import type { Clock } from '../../drivers/shared/clock.ts';
import type { Result } from '../../drivers/shared/result.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { redact } from '../audit/mask.ts';
import type { Incidents } from '../incidents/incidents.ts';
import type { CardLedger } from '../ledger/ledger.ts';
import type { PaperLedger } from '../ledger/paper-ledger.ts';
import type { OutboxItem } from '../outbox/outbox.ts';
import type { Db } from '../store/db.ts';
import type { Intent, Screen } from '../view.ts';
import type { TechnicianAuth } from './auth.ts';
import { dailyReport, exportCsv, jakartaDay } from './report.ts';
import { a4TestPage, cardTestPattern } from './test-pattern.ts';
import {
  MAINTENANCE_SECTIONS,
  type MaintenanceNotice,
  type MaintenanceSection,
  type MaintenanceView,
  type OutboxSummary,
  type RecentFault,
} from './view-model.ts';

/** How many recent faults and log entries the screens show. */
const RECENT_FAULTS = 20;
const LOG_ENTRIES = 100;
const LEDGER_ENTRIES = 50;
/** The largest count a technician can type for one load or removal (a few feeders' worth). */
const MAX_COUNT = 10_000;
/** The login and PIN screens close after this long with nobody at them (back to the applicant's home). */
export const LOGIN_IDLE_MS = 60_000;

/** What the maintenance controller needs from the rest of the kiosk. */
export interface MaintenanceDeps {
  clock: Clock;
  db: Db;
  dataDir: string;
  kioskId: string;
  auth: TechnicianAuth;
  /** Checks a scanned `adm-tech+jwt` badge (verifyCode with kind 'technician', this kiosk's keys and region). */
  verifyBadge(token: string): Promise<Result<{ technicianId: string }, string>>;
  cardPrinter?: CardPrinter;
  paperPrinter?: PaperPrinter;
  /** Prints the card test pattern; defaults to `cardTestPattern()` on `cardPrinter`. */
  testPrintCard?(): Promise<CardPrintOutcome>;
  /** Prints the A4 test page; defaults to `a4TestPage()` on `paperPrinter`. */
  testPrintA4?(): Promise<Result<PaperJob, PaperJobFailure>>;
  /** The outbox: pending messages and "send now" (`outbox.flush(true)`). */
  outbox: { pending(): OutboxItem[]; sendNow(): Promise<void> };
  incidents: Incidents;
  cardLedger: CardLedger;
  paperLedger: PaperLedger;
  audit: AuditLog;
  /** The kiosk's config; shown with secrets (token, pinHash, private keys) hidden. */
  config: unknown;
  isOutOfService(): boolean;
  setOutOfService(on: boolean): void;
  restart(): void | Promise<void>;
}

type Args = Record<string, unknown>;

/** A maintenance action's answer: a notice, and optionally where to go. */
interface Answer {
  notice?: MaintenanceNotice;
}

const ok = (key: string, params?: Record<string, string | number>): Answer => ({
  notice: { kind: 'ok', key, params },
});
const fail = (key: string, params?: Record<string, string | number>): Answer => ({
  notice: { kind: 'error', key, params },
});

/**
 * The maintenance menu's logic, behind the core: it takes `{ type: 'maintenance', action, args }`
 * intents and gives the `maintenance-*` screen and its data. The core asks `active()` to know whether
 * maintenance owns the screen, and tells it `setApplicantBusy(true/false)`: a technician who asks in
 * while an applicant is mid-session waits until that session ends (the applicant is never interrupted).
 * Every technician action is appended to the audit trail with the technician id.
 */
export class MaintenanceController {
  private open = false;
  private pendingEntry: { technicianId?: string } | undefined;
  private applicantBusy = false;
  private section: MaintenanceSection = 'home';
  private loginPending: { technicianId: string; attemptsLeft?: number } | undefined;
  private lockedUntil: number | undefined;
  private notice: MaintenanceNotice | undefined;
  private busy = false;
  private readonly faults: RecentFault[] = [];
  private snapshot: Partial<MaintenanceView> = {};
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: Array<() => void> = [];
  private loginTimer: unknown;

  constructor(private readonly deps: MaintenanceDeps) {
    this.unsubscribe.push(
      deps.auth.onLogout((reason, technicianId) => {
        deps.audit.append({ type: 'maintenance', technicianId, outcome: 'logout', detail: { reason } });
        this.close();
        this.changed();
      }),
    );
    if (deps.cardPrinter) {
      this.unsubscribe.push(
        deps.cardPrinter.onStatus((s) => {
          if (s.state !== 'READY' && s.state !== 'PRINTING') this.recordFault('card', s.state);
        }),
      );
    }
  }

  /** Whether maintenance owns the screen (a login prompt or a logged-in technician). */
  active(): boolean {
    return this.open;
  }

  /** Called when the View should be sent again without an intent (idle logout, a deferred entry). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The core says whether an applicant session is running; a deferred technician entry opens once it is not. */
  setApplicantBusy(busy: boolean): void {
    this.applicantBusy = busy;
    if (!busy && this.pendingEntry) {
      const entry = this.pendingEntry;
      this.pendingEntry = undefined;
      this.openLogin(entry.technicianId);
      this.changed();
    }
  }

  /** Whether a technician asked in and waits for the applicant to finish. */
  entryDeferred(): boolean {
    return this.pendingEntry !== undefined;
  }

  /** The screen name and `view.maintenance`, or undefined when maintenance is not active. */
  view(): { screen: Screen; maintenance: MaintenanceView } | undefined {
    if (!this.open) return undefined;
    const technicianId = this.deps.auth.technicianId();
    const base = {
      outOfService: this.deps.isOutOfService(),
      notice: this.notice,
      busy: this.busy || undefined,
    };
    let m: MaintenanceView;
    if (!technicianId && this.loginPending) {
      m = { ...base, screen: 'maintenance-pin', pin: this.loginPending, lockedUntil: this.lockedUntil };
    } else if (!technicianId) {
      m = { ...base, screen: 'maintenance-login', lockedUntil: this.lockedUntil };
    } else {
      m = { ...base, ...this.snapshot, screen: `maintenance-${this.section}`, technicianId };
    }
    return { screen: m.screen, maintenance: m };
  }

  /**
   * Handles one maintenance intent (other intents are not its business and are ignored). Resolves when
   * the action is done and its audit entry committed.
   */
  async handle(intent: Intent): Promise<void> {
    if (intent.type !== 'maintenance') return;
    const args = (intent.args ?? {}) as Args;
    const technicianId = this.deps.auth.technicianId();
    if (technicianId) this.deps.auth.touch();
    else if (this.deps.auth.state().phase === 'pin') this.deps.auth.touch();
    const answer = await this.dispatch(intent.action, args, technicianId);
    if (answer) this.notice = answer.notice;
    this.armLoginTimer();
    this.changed();
  }

  /** Stops listening to the printer and the auth (kiosk shutdown). */
  dispose(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe.length = 0;
  }

  private async dispatch(
    action: string,
    args: Args,
    technicianId: string | undefined,
  ): Promise<Answer | undefined> {
    switch (action) {
      case 'enter':
        return this.enter(undefined);
      case 'badge':
        return this.badge(String(args.token ?? ''));
      case 'login':
        return this.login(String(args.technicianId ?? '').trim());
      case 'pin':
        return this.pin(String(args.pin ?? ''));
      case 'exit':
        if (technicianId) this.deps.auth.logout('requested');
        else {
          this.deps.auth.logout('requested');
          this.close();
        }
        return undefined;
    }
    if (!technicianId) return fail('not-logged-in');
    const answer = await this.technicianAction(action, args, technicianId);
    return answer;
  }

  private enter(technicianId: string | undefined): Answer | undefined {
    if (this.applicantBusy) {
      this.pendingEntry = { technicianId };
      return undefined;
    }
    this.openLogin(technicianId);
    return undefined;
  }

  private openLogin(technicianId: string | undefined): void {
    this.open = true;
    this.armLoginTimer();
    this.notice = undefined;
    this.lockedUntil = undefined;
    this.loginPending = undefined;
    this.section = 'home';
    if (technicianId) this.beginLogin(technicianId);
  }

  private async badge(token: string): Promise<Answer | undefined> {
    const r = await this.deps.verifyBadge(token);
    if (!r.ok) {
      this.deps.audit.append({ type: 'maintenance', outcome: 'badge-refused', detail: { reason: r.error } });
      if (!this.open) return undefined;
      return fail('badge-refused', { reason: r.error });
    }
    this.enter(r.value.technicianId);
    return this.open ? { notice: this.notice } : undefined;
  }

  private login(technicianId: string): Answer | undefined {
    if (!this.open) return undefined;
    if (!technicianId) return fail('technician-id-required');
    this.beginLogin(technicianId);
    return { notice: this.notice };
  }

  private beginLogin(technicianId: string): void {
    const r = this.deps.auth.begin(technicianId);
    if (r.ok) {
      this.loginPending = { technicianId };
      this.lockedUntil = undefined;
      this.notice = undefined;
    } else {
      this.loginPending = undefined;
      this.lockedUntil = r.lockedUntil;
      this.notice = { kind: 'error', key: 'locked', params: { until: r.lockedUntil } };
    }
  }

  private async pin(pin: string): Promise<Answer | undefined> {
    const pending = this.loginPending;
    if (!this.open || !pending) return undefined;
    const r = await this.deps.auth.enterPin(pin);
    const technicianId = pending.technicianId;
    if (r.ok) {
      this.loginPending = undefined;
      this.deps.audit.append({ type: 'maintenance', technicianId, outcome: 'login' });
      this.section = 'home';
      this.refresh();
      return ok('welcome', { technicianId });
    }
    if ('lockedUntil' in r) {
      this.loginPending = undefined;
      this.lockedUntil = r.lockedUntil;
      this.deps.audit.append({
        type: 'maintenance',
        technicianId,
        outcome: 'locked-out',
        detail: { until: r.lockedUntil },
      });
      return fail('locked', { until: r.lockedUntil });
    }
    if ('attemptsLeft' in r) {
      this.loginPending = { technicianId, attemptsLeft: r.attemptsLeft };
      this.deps.audit.append({
        type: 'maintenance',
        technicianId,
        outcome: 'wrong-pin',
        detail: { attemptsLeft: r.attemptsLeft },
      });
      return fail('wrong-pin', { attemptsLeft: r.attemptsLeft });
    }
    this.loginPending = undefined;
    return fail('login-expired');
  }

  private async technicianAction(action: string, args: Args, technicianId: string): Promise<Answer> {
    const d = this.deps;
    const audit = (outcome: string, detail?: Record<string, unknown>) =>
      d.audit.append({ type: 'maintenance', technicianId, outcome, detail });
    switch (action) {
      case 'navigate': {
        const to = String(args.to ?? '');
        if (!(MAINTENANCE_SECTIONS as readonly string[]).includes(to)) return fail('unknown-section');
        this.section = to as MaintenanceSection;
        this.snapshot = {};
        if (to === 'config') audit('view-config');
        if (to === 'log') audit('view-log');
        await this.refresh();
        return {};
      }
      case 'refresh':
        await this.refresh();
        return {};
      case 'test-print-card':
        return this.running(async () => {
          const r = await this.testPrintCard();
          audit('test-print-card', { result: r });
          await this.refresh();
          return r === 'printed' ? ok('test-print-done') : fail('test-print-failed', { reason: r });
        });
      case 'test-print-a4':
        return this.running(async () => {
          const r = await this.testPrintA4();
          audit('test-print-a4', { result: r });
          await this.refresh();
          return r === 'printed' ? ok('test-print-done') : fail('test-print-failed', { reason: r });
        });
      case 'clear-fault':
      case 'reset-card-printer': {
        if (!d.cardPrinter) return fail('no-device');
        const r = action === 'clear-fault' ? await d.cardPrinter.clearFault() : await d.cardPrinter.reset();
        audit(action, { result: r.ok ? 'ok' : r.error });
        await this.refresh();
        return r.ok ? ok('fault-cleared') : fail('fault-remains', { state: r.error });
      }
      case 'load-cards':
      case 'load-paper': {
        const n = count(args.count);
        if (n === undefined) return fail('invalid-count');
        if (action === 'load-cards') d.cardLedger.load(n, technicianId);
        else d.paperLedger.load(n, technicianId);
        audit(action, { count: n });
        await this.refresh();
        return ok('loaded', { count: n });
      }
      case 'remove-cards':
      case 'remove-paper': {
        const n = count(args.count);
        const reason = text(args.reason);
        if (n === undefined) return fail('invalid-count');
        if (!reason) return fail('reason-required');
        if (action === 'remove-cards') d.cardLedger.removed(n, reason, technicianId);
        else d.paperLedger.removed(n, reason, technicianId);
        audit(action, { count: n, reason });
        await this.refresh();
        return ok('removed', { count: n });
      }
      case 'correct-cards':
      case 'correct-paper': {
        const delta = Number(args.delta);
        const reason = text(args.reason);
        if (!Number.isInteger(delta) || delta === 0 || Math.abs(delta) > MAX_COUNT)
          return fail('invalid-count');
        if (!reason) return fail('reason-required');
        if (action === 'correct-cards') d.cardLedger.correct(delta, reason, technicianId);
        else d.paperLedger.correct(delta, reason, technicianId);
        audit(action, { delta, reason });
        await this.refresh();
        return ok('corrected', { delta });
      }
      case 'reconcile':
      case 'set-baseline': {
        if (!d.cardPrinter) return fail('no-device');
        const c = await d.cardPrinter.readCounters();
        if (!c.ok) return fail('counters-unreadable', { state: c.error });
        if (action === 'set-baseline') {
          d.cardLedger.setBaseline(c.value, technicianId);
          audit('set-baseline', { counters: c.value });
          await this.refresh();
          return ok('baseline-set');
        }
        if (d.cardLedger.feedPending()) d.cardLedger.recover(c.value);
        const r = d.cardLedger.reconcile(c.value);
        audit('reconcile', { result: r });
        await this.refresh();
        this.snapshot.ledger = { ...this.snapshot.ledger!, reconciliation: r };
        return r.status === 'match' ? ok('reconciled') : fail(`reconcile-${r.status}`);
      }
      case 'send-now':
        return this.running(async () => {
          const before = d.outbox.pending().length;
          await d.outbox.sendNow();
          const after = d.outbox.pending().length;
          audit('send-now', { before, after });
          await this.refresh();
          return ok('sent', { sent: Math.max(0, before - after), left: after });
        });
      case 'resolve-incident': {
        const id = Number(args.id);
        const note = text(args.note);
        if (!note) return fail('note-required');
        const r = d.incidents.resolve(id, technicianId, note);
        audit('resolve-incident', { id, note, result: r.ok ? 'ok' : r.error });
        await this.refresh();
        return r.ok ? ok('incident-resolved') : fail(`incident-${r.error}`);
      }
      case 'out-of-service': {
        const on = args.on === true || args.on === 'true';
        d.setOutOfService(on);
        audit('out-of-service', { on });
        await this.refresh();
        return ok(on ? 'out-of-service-on' : 'out-of-service-off');
      }
      case 'verify-audit': {
        const v = d.audit.verify();
        audit('verify-audit', { result: v.ok ? 'ok' : 'broken', count: v.ok ? v.count : v.brokenAt });
        await this.refresh();
        this.snapshot.log = { ...this.snapshot.log!, verification: v };
        return v.ok ? ok('audit-ok', { count: v.count }) : fail('audit-broken', { at: v.brokenAt });
      }
      case 'report-day':
      case 'export-report': {
        const day = typeof args.day === 'string' ? args.day : jakartaDay(d.clock.now());
        if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return fail('invalid-day');
        const report = dailyReport(d.db, day);
        if (action === 'report-day') {
          this.section = 'report';
          this.snapshot = { report: { report } };
          return {};
        }
        const path = exportCsv(report, d.dataDir);
        audit('export-report', { day, path });
        this.section = 'report';
        this.snapshot = { report: { report, exportedPath: path } };
        return ok('exported', { path });
      }
      case 'restart':
        audit('restart');
        await d.restart();
        return ok('restarting');
      default:
        return fail('unknown-action', { action });
    }
  }

  private async running(fn: () => Promise<Answer>): Promise<Answer> {
    if (this.busy) return fail('busy');
    this.busy = true;
    this.changed();
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  private async testPrintCard(): Promise<string> {
    const d = this.deps;
    if (!d.cardPrinter && !d.testPrintCard) return 'no-device';
    // The feed is journaled before the card moves, whoever prints it, so a crash mid-print is recovered
    // from the counters like an applicant's card.
    if (d.cardPrinter) {
      const before = await d.cardPrinter.readCounters();
      if (!before.ok) return before.error;
      d.cardLedger.feedStarted(before.value, { service: 'TEST' });
    }
    const outcome = d.testPrintCard
      ? await d.testPrintCard()
      : await d.cardPrinter!.printCard(cardTestPattern());
    d.cardLedger.recordOutcome(outcome, { service: 'TEST' });
    if (outcome.kind === 'printed') return 'printed';
    this.recordFault('card', outcome.fault);
    return outcome.fault;
  }

  private async testPrintA4(): Promise<string> {
    const d = this.deps;
    if (!d.paperPrinter && !d.testPrintA4) return 'no-device';
    const r = d.testPrintA4
      ? await d.testPrintA4()
      : await d.paperPrinter!.print({
          pdf: await a4TestPage(d.kioskId, d.clock.now()),
          expectedPages: 1,
          jobName: 'ADM-TEST',
        });
    if (r.ok) {
      d.paperLedger.printed(r.value.pages, { service: 'TEST' });
      return 'printed';
    }
    const fault = r.error.kind === 'refused' || r.error.kind === 'failed' ? r.error.fault : r.error.kind;
    if (r.error.kind === 'failed') d.paperLedger.spoiled(1, fault, { service: 'TEST' });
    this.recordFault('paper', fault);
    return fault;
  }

  private recordFault(device: 'card' | 'paper', state: string): void {
    const last = this.faults.find((f) => f.device === device);
    if (last && last.state === state && this.deps.clock.now() - last.at < 1000) return;
    this.faults.unshift({ at: this.deps.clock.now(), device, state });
    this.faults.length = Math.min(this.faults.length, RECENT_FAULTS);
  }

  /** Reads what the current section shows. */
  private async refresh(): Promise<void> {
    const d = this.deps;
    switch (this.section) {
      case 'home':
        this.snapshot = {
          home: {
            openIncidents: d.incidents.open().length,
            pendingOutbox: d.outbox.pending().length,
            cardsRemaining: d.cardLedger.remaining(),
            sheetsRemaining: d.paperLedger.remaining(),
          },
        };
        break;
      case 'devices':
        this.snapshot = { devices: await this.readDevices() };
        break;
      case 'ledger':
        this.snapshot = {
          ledger: {
            cards: d.cardLedger.totals(),
            paper: d.paperLedger.totals(),
            entries: [
              ...d.cardLedger.entries({ limit: LEDGER_ENTRIES }),
              ...d.paperLedger.entries({ limit: LEDGER_ENTRIES }),
            ]
              .sort((a, b) => b.seq - a.seq)
              .slice(0, LEDGER_ENTRIES),
          },
        };
        break;
      case 'outbox':
        this.snapshot = {
          outbox: { pending: d.outbox.pending().map(summarise), incidents: d.incidents.open() },
        };
        break;
      case 'log':
        this.snapshot = { log: { entries: d.audit.entries({ limit: LOG_ENTRIES }).reverse() } };
        break;
      case 'config':
        this.snapshot = { config: redact(d.config) };
        break;
      case 'report':
        this.snapshot = { report: { report: dailyReport(d.db, jakartaDay(d.clock.now())) } };
        break;
    }
  }

  private async readDevices(): Promise<NonNullable<MaintenanceView['devices']>> {
    const d = this.deps;
    const out: NonNullable<MaintenanceView['devices']> = {
      cardsRemaining: d.cardLedger.remaining(),
      sheetsRemaining: d.paperLedger.remaining(),
      recentFaults: [],
    };
    if (d.cardPrinter) {
      const s = await d.cardPrinter.getStatus();
      if (s.state !== 'READY' && s.state !== 'PRINTING') this.recordFault('card', s.state);
      out.card = { state: s.state, ribbonPanelsLeft: s.ribbonPanelsLeft };
      const c = await d.cardPrinter.readCounters();
      if (c.ok) out.card.counters = c.value;
      const info = await d.cardPrinter.readInfo();
      if (info.ok) Object.assign(out.card, info.value);
    }
    if (d.paperPrinter) {
      const s = await d.paperPrinter.getStatus();
      if (s.state !== 'READY' && s.state !== 'PRINTING') this.recordFault('paper', s.state);
      out.paper = { state: s.state, detail: 'detail' in s ? s.detail : undefined };
    }
    out.recentFaults = [...this.faults];
    return out;
  }

  /** While nobody is logged in, an open login prompt closes by itself after LOGIN_IDLE_MS. */
  private armLoginTimer(): void {
    if (this.loginTimer !== undefined) this.deps.clock.clearTimeout(this.loginTimer);
    this.loginTimer = undefined;
    if (!this.open || this.deps.auth.technicianId()) return;
    this.loginTimer = this.deps.clock.setTimeout(() => {
      this.loginTimer = undefined;
      if (!this.open || this.deps.auth.technicianId()) return;
      this.deps.auth.logout('idle');
      this.close();
      this.changed();
    }, LOGIN_IDLE_MS);
  }

  private close(): void {
    if (this.loginTimer !== undefined) this.deps.clock.clearTimeout(this.loginTimer);
    this.loginTimer = undefined;
    this.open = false;
    this.loginPending = undefined;
    this.lockedUntil = undefined;
    this.notice = undefined;
    this.snapshot = {};
    this.section = 'home';
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

function summarise(item: OutboxItem): OutboxSummary {
  const m = item.message;
  return {
    id: item.id,
    kind: m.kind,
    applicationNo: 'applicationNo' in m ? m.applicationNo : undefined,
    attempts: item.attempts,
    createdAt: item.createdAt,
    lastError: item.lastError,
  };
}

function count(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v.trim()) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= MAX_COUNT ? n : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined;
}
