import type { ReconciliationResult } from '../ledger/ledger.ts';
import type { MaintenanceDeps } from './deps.ts';
import { exportFile } from './exports.ts';
import type { MaintenanceIntent, MaintenanceSection } from './intents.ts';
import { MaintenanceOpenState } from './open-state.ts';
import { dailyReport } from './report.ts';
import { readDevices, readSection, type Snapshot } from './sections.ts';
import { reconciliationRows } from './supplies.ts';
import { refusalKey, testPrintA4, testPrintCard } from './test-prints.ts';
import { DEFAULT_TIME_ZONE, dayIn } from './time-zone.ts';
import type { MaintenanceNotice, MaintenanceView, RecentFault } from './view-model.ts';

const RECENT_FAULTS = 20;
const _LOG_ENTRIES = 100;
const _LEDGER_ENTRIES = 50;
const _CLOSED_INCIDENTS = 20;
/** The badge and PIN prompts close after this long with nobody at them (back to the applicant's home). */
export const LOGIN_IDLE_MS = 60_000;

export type { MaintenanceDeps } from './deps.ts';

type Answer = MaintenanceNotice | undefined;
const ok = (key: string, params?: Record<string, string | number>): Answer => ({ kind: 'ok', key, params });
const fail = (key: string, params?: Record<string, string | number>): Answer => ({
  kind: 'error',
  key,
  params,
});

/**
 * The maintenance menu's logic, behind the core: it takes `MaintenanceIntent`s and gives the
 * `maintenance-*` screen and its data. The core asks `view()` to know whether maintenance owns the screen,
 * and tells it `setApplicantBusy(true/false)`: a technician who asks in while an applicant is mid-session
 * waits until that session ends. The way in is the technician's badge, then the PIN; maintenance being
 * open is kept in the store, so a kiosk restarted during maintenance comes back in it (on the badge
 * prompt), not serving applicants. Every technician action is appended to the audit trail.
 */
export class MaintenanceController {
  private open = false;
  /** Reopened after a restart: the prompt stays until a technician leaves by hand. */
  private resumed = false;
  private pendingEntry: { technicianId?: string } | undefined;
  private applicantBusy = false;
  private section: MaintenanceSection = 'home';
  private loginPending: { technicianId: string; attemptsLeft?: number } | undefined;
  private lockedUntil: number | undefined;
  private notice: MaintenanceNotice | undefined;
  private busy = false;
  private readonly faults: RecentFault[] = [];
  private snapshot: Snapshot = {};
  private reconciliation: ReconciliationResult | undefined;
  /** The card printer's ribbon as last read, for the reconciliation. */
  private ribbonPanelsLeft: number | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: Array<() => void> = [];
  private loginTimer: unknown;
  private readonly timeZone: string;
  private readonly usbMediaRoot: string;
  private readonly openState: MaintenanceOpenState;

  constructor(private readonly deps: MaintenanceDeps) {
    const cfg = (typeof deps.config === 'object' && deps.config ? deps.config : {}) as {
      timeZone?: string;
      usbMediaRoot?: string;
    };
    this.timeZone = deps.timeZone ?? cfg.timeZone ?? DEFAULT_TIME_ZONE;
    this.usbMediaRoot = deps.usbMediaRoot ?? cfg.usbMediaRoot ?? '/media';
    this.openState = new MaintenanceOpenState(deps.db);
    this.open = this.resumed = this.openState.wasOpen();
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
          deps.incidents.deviceState('card', s.state);
        }),
      );
    }
  }

  /** Whether maintenance owns the screen (a prompt or a logged-in technician). */
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
      this.openPrompt(entry.technicianId);
      this.changed();
    }
  }

  /** Whether a technician asked in and waits for the applicant to finish. */
  entryDeferred(): boolean {
    return this.pendingEntry !== undefined;
  }

  /** The screen name and `view.maintenance`, or undefined when maintenance is not active. */
  view(): { screen: MaintenanceView['screen']; maintenance: MaintenanceView } | undefined {
    if (!this.open) return undefined;
    const technicianId = this.deps.auth.technicianId();
    const base = {
      outOfService: this.deps.isOutOfService(),
      ...(this.deps.assistanceOpen?.() ? { assistance: true } : {}),
      timeZone: this.timeZone,
      ...(this.notice ? { notice: this.notice } : {}),
      ...(this.busy ? { busy: true } : {}),
    };
    let m: MaintenanceView;
    if (!technicianId && this.loginPending)
      m = { ...base, screen: 'maintenance-pin', pin: this.loginPending };
    else if (!technicianId)
      m = {
        ...base,
        screen: 'maintenance-login',
        ...(this.lockedUntil !== undefined ? { lockedUntil: this.lockedUntil } : {}),
        ...(this.resumed ? { resumed: true } : {}),
      };
    else
      m = {
        ...base,
        ...this.snapshot,
        screen: `maintenance-${this.section}`,
        technicianId,
      } as MaintenanceView;
    return { screen: m.screen, maintenance: m };
  }

  /**
   * Handles one maintenance intent (validated by the host). Resolves when the action is done and its
   * audit entry committed; an action that throws becomes an error notice, never an unhandled rejection.
   */
  async handle(intent: MaintenanceIntent): Promise<void> {
    if (intent.type !== 'maintenance') return;
    if (this.deps.auth.state().phase !== 'out') this.deps.auth.touch();
    try {
      this.notice = await this.dispatch(intent);
    } catch (e) {
      this.notice = fail('action-failed', { action: intent.action });
      this.deps.audit.append({
        type: 'maintenance',
        technicianId: this.deps.auth.technicianId(),
        outcome: 'action-failed',
        detail: { action: intent.action, error: String((e as Error)?.message ?? e).slice(0, 200) },
      });
    }
    this.armLoginTimer();
    this.changed();
  }

  /** Stops listening to the printer and the auth (kiosk shutdown). */
  dispose(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe.length = 0;
    if (this.loginTimer !== undefined) this.deps.clock.clearTimeout(this.loginTimer);
  }

  private async dispatch(i: MaintenanceIntent): Promise<Answer> {
    switch (i.action) {
      case 'enter':
        return this.enter(undefined);
      case 'badge':
        return this.badge(i.args.token);
      case 'pin':
        return this.pin(i.args.pin);
      case 'exit':
        this.deps.auth.logout('requested');
        this.close();
        return undefined;
    }
    const technicianId = this.deps.auth.technicianId();
    if (!technicianId) return fail('not-logged-in');
    return this.technicianAction(i, technicianId);
  }

  private enter(technicianId: string | undefined): Answer {
    if (this.applicantBusy) {
      this.pendingEntry = { technicianId };
      return undefined;
    }
    this.openPrompt(technicianId);
    return this.notice;
  }

  private openPrompt(technicianId: string | undefined): void {
    this.open = true;
    this.openState.opened(this.deps.clock.now());
    this.notice = undefined;
    this.lockedUntil = undefined;
    this.loginPending = undefined;
    this.section = 'home';
    if (technicianId) this.beginLogin(technicianId);
    this.armLoginTimer();
  }

  private async badge(token: string): Promise<Answer> {
    const r = await this.deps.verifyBadge(token);
    if (!r.ok) {
      this.deps.audit.append({ type: 'maintenance', outcome: 'badge-refused', detail: { reason: r.error } });
      return this.open ? fail('badge-refused', { reason: r.error }) : undefined;
    }
    if (this.deps.auth.technicianId()) return this.notice;
    return this.enter(r.value.technicianId);
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
      this.notice = fail('locked', { until: r.lockedUntil });
    }
  }

  private async pin(pin: string): Promise<Answer> {
    const pending = this.loginPending;
    if (!this.open || !pending) return undefined;
    const r = await this.deps.auth.enterPin(pin);
    const technicianId = pending.technicianId;
    const audit = (outcome: string, detail?: Record<string, unknown>) =>
      this.deps.audit.append({ type: 'maintenance', technicianId, outcome, ...(detail ? { detail } : {}) });
    if (r.ok) {
      this.loginPending = undefined;
      this.resumed = false;
      audit('login');
      // The morning checklist first: supplies, cleaning, incidents, outbox, clock, disk.
      this.section = 'checklist';
      await this.refresh();
      return ok('welcome', { technicianId });
    }
    if ('lockedUntil' in r) {
      this.loginPending = undefined;
      this.lockedUntil = r.lockedUntil;
      audit('locked-out', { until: r.lockedUntil });
      return fail('locked', { until: r.lockedUntil });
    }
    if ('attemptsLeft' in r) {
      this.loginPending = { technicianId, attemptsLeft: r.attemptsLeft };
      audit('wrong-pin', { attemptsLeft: r.attemptsLeft });
      return fail('wrong-pin', { attemptsLeft: r.attemptsLeft });
    }
    this.loginPending = undefined;
    return fail('login-expired');
  }

  private async technicianAction(
    i: Exclude<MaintenanceIntent, { action: 'enter' | 'badge' | 'pin' | 'exit' }>,
    technicianId: string,
  ): Promise<Answer> {
    const d = this.deps;
    const audit = (outcome: string, detail?: Record<string, unknown>) =>
      d.audit.append({ type: 'maintenance', technicianId, outcome, ...(detail ? { detail } : {}) });
    const after = async (answer: Answer) => {
      await this.refresh();
      return answer;
    };
    switch (i.action) {
      case 'navigate':
        this.section = i.args.to;
        if (i.args.to === 'config' || i.args.to === 'log') audit(`view-${i.args.to}`);
        return after(undefined);
      case 'refresh':
        return after(undefined);
      case 'test-print-card':
      case 'test-print-a4':
      case 'test-print-both':
        return this.running(async () => {
          const results: string[] = [];
          if (i.action !== 'test-print-a4')
            results.push(await testPrintCard(d, (dev, st) => this.recordFault(dev, st)));
          if (i.action !== 'test-print-card')
            results.push(await testPrintA4(d, (dev, st) => this.recordFault(dev, st)));
          audit(i.action, { result: results.join(',') });
          const bad = results.find((r) => r !== 'printed');
          return after(bad === undefined ? ok('test-print-done') : fail(refusalKey(bad), { reason: bad }));
        });
      case 'clear-fault':
      case 'reset-card-printer': {
        if (!d.cardPrinter) return fail('no-device');
        const r = i.action === 'clear-fault' ? await d.cardPrinter.clearFault() : await d.cardPrinter.reset();
        audit(i.action, { result: r.ok ? 'ok' : r.error });
        return after(r.ok ? ok('fault-cleared') : fail('fault-remains', { state: r.error }));
      }
      case 'clear-assistance':
        d.clearAssistance?.();
        audit('assistance-cleared');
        return after(ok('assistance-cleared'));
      case 'head-cleaned': {
        const c = d.cardPrinter ? await d.cardPrinter.readCounters() : undefined;
        audit('head-cleaned', c?.ok ? { counterTotal: c.value.total } : {});
        return after(ok('head-cleaned'));
      }
      case 'load-cards':
      case 'load-paper': {
        const n = i.args.count;
        if (i.action === 'load-cards') {
          d.cardLedger.load(n, technicianId);
          d.incidents.causeGone('cards-loaded', `${n} cards loaded`);
        } else {
          d.paperLedger.load(n, technicianId);
          d.incidents.causeGone('paper-loaded', `${n} sheets loaded`);
        }
        audit(i.action, { count: n });
        return after(ok('loaded', { count: n }));
      }
      case 'remove-cards':
      case 'remove-paper': {
        const { count, reason } = i.args;
        const ledger = i.action === 'remove-cards' ? d.cardLedger : d.paperLedger;
        if (count > Math.max(0, ledger.remaining()))
          return fail('more-than-left', { left: ledger.remaining() });
        ledger.removed(count, reason, technicianId);
        audit(i.action, { count, reason });
        return after(ok('removed', { count }));
      }
      case 'correct-cards':
      case 'correct-paper': {
        const { delta, reason } = i.args;
        (i.action === 'correct-cards' ? d.cardLedger : d.paperLedger).correct(delta, reason, technicianId);
        audit(i.action, { delta, reason });
        return after(ok('corrected', { delta }));
      }
      case 'reconcile':
      case 'set-baseline': {
        if (!d.cardPrinter) return fail('no-device');
        const c = await d.cardPrinter.readCounters();
        if (!c.ok) return fail('counters-unreadable', { state: c.error });
        if (i.action === 'set-baseline') {
          d.cardLedger.setBaseline(c.value, technicianId);
          audit('set-baseline', { counters: c.value });
          return after(ok('baseline-set'));
        }
        if (d.cardLedger.feedPending()) d.cardLedger.recover(c.value);
        const r = d.cardLedger.reconcile(c.value);
        this.reconciliation = r;
        audit('reconcile', { result: r });
        return after(r.status === 'match' ? ok('reconciled') : fail(`reconcile-${r.status}`));
      }
      case 'send-now':
        return this.running(async () => {
          const before = d.outbox.pending().length;
          await d.outbox.sendNow();
          const left = d.outbox.pending().length;
          audit('send-now', { before, after: left });
          return after(ok('sent', { sent: Math.max(0, before - left), left }));
        });
      case 'resolve-incident': {
        const { id, note } = i.args;
        const r = d.incidents.resolve(id, technicianId, note);
        audit('resolve-incident', { id, note, result: r.ok ? 'ok' : r.error });
        return after(r.ok ? ok('incident-resolved') : fail(`incident-${r.error}`));
      }
      case 'out-of-service':
        d.setOutOfService(i.args.on);
        audit('out-of-service', { on: i.args.on });
        return after(ok(i.args.on ? 'out-of-service-on' : 'out-of-service-off'));
      case 'verify-audit': {
        const v = d.audit.verify();
        audit('verify-audit', { result: v.ok ? 'ok' : 'broken', count: v.ok ? v.count : v.brokenAt });
        await this.refresh();
        this.snapshot = { log: { ...(this.snapshot.log as object), verification: v } };
        return v.ok ? ok('audit-ok', { count: v.count }) : fail('audit-broken', { at: v.brokenAt });
      }
      case 'report-day':
        this.section = 'report';
        this.snapshot = { report: { report: dailyReport(d.db, i.args.day, this.timeZone) } };
        return undefined;
      case 'export': {
        const day = i.args.day ?? dayIn(d.clock.now(), this.timeZone);
        const r = await exportFile({
          what: i.args.what,
          day,
          db: d.db,
          audit: d.audit,
          kioskId: d.kioskId,
          timeZone: this.timeZone,
          usbMediaRoot: this.usbMediaRoot,
          now: d.clock.now(),
          rows: () => this.reconciliationRows(),
        });
        if (!r.ok) return fail(r.error);
        audit('export', { what: i.args.what, day, file: r.value.split('/').pop() });
        await this.refresh();
        const exported = i.args.what.startsWith('report') ? { what: i.args.what, path: r.value } : r.value;
        const key = i.args.what.startsWith('report')
          ? 'report'
          : i.args.what.startsWith('log')
            ? 'log'
            : 'ledger';
        this.snapshot = { [key]: { ...(this.snapshot[key] as object), exported } };
        return ok('exported', { path: r.value });
      }
      case 'restart':
        audit('restart');
        // A restart the technician asked for comes back serving; only one nobody chose (a crash, a power
        // cut) comes back in maintenance.
        this.openState.closed();
        await d.restart();
        return ok('restarting');
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

  /** Reads what the current section shows. */
  private async refresh(): Promise<void> {
    this.snapshot = await readSection(this.section, {
      deps: this.deps,
      timeZone: this.timeZone,
      reconciliation: this.reconciliation,
      readDevices: async () => {
        const dev = await readDevices(this.deps, this.faults, (device, st) => this.recordFault(device, st));
        this.ribbonPanelsLeft = dev.card?.ribbonPanelsLeft;
        return dev;
      },
      rows: () => this.reconciliationRows(),
    });
  }

  private recordFault(device: 'card' | 'paper', state: string): void {
    const last = this.faults.find((f) => f.device === device);
    if (last && last.state === state && this.deps.clock.now() - last.at < 1000) return;
    this.faults.unshift({ at: this.deps.clock.now(), device, state });
    this.faults.length = Math.min(this.faults.length, RECENT_FAULTS);
  }

  private reconciliationRows() {
    const d = this.deps;
    return reconciliationRows({
      db: d.db,
      cards: d.cardLedger.totals(),
      paper: d.paperLedger.totals(),
      ...(this.ribbonPanelsLeft !== undefined ? { ribbonPanelsLeft: this.ribbonPanelsLeft } : {}),
      ...(this.reconciliation ? { reconciliation: this.reconciliation } : {}),
    });
  }

  /** While nobody is logged in, an open prompt closes by itself after LOGIN_IDLE_MS (not one a restart reopened). */
  private armLoginTimer(): void {
    if (this.loginTimer !== undefined) this.deps.clock.clearTimeout(this.loginTimer);
    this.loginTimer = undefined;
    if (!this.open || this.resumed || this.deps.auth.technicianId()) return;
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
    this.resumed = false;
    this.openState.closed();
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
