import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  CardCounters,
  CardPrinter,
  CardPrinterFault,
  CardPrinterStatus,
  CardPrintOutcome,
} from '../../drivers/card-printer/types.ts';
import type { PaperPrinter } from '../../drivers/paper-printer/types.ts';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { err, ok } from '../../drivers/shared/result.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { readSimIssuerKey } from '../central-api/sim/mint.ts';
import { Incidents } from '../incidents/incidents.ts';
import { CardLedger } from '../ledger/ledger.ts';
import { PaperLedger } from '../ledger/paper-ledger.ts';
import type { OutboxItem } from '../outbox/outbox.ts';
import { type Db, openDb } from '../store/db.ts';
import { IDLE_LOGOUT_MS, LOCKOUT_MS, TechnicianAuth } from './auth.ts';
import { badgeVerifier, isTechnicianBadge } from './badge.ts';
import { LOGIN_IDLE_MS, MaintenanceController } from './controller.ts';
import { hashPin } from './pin-hash.ts';
import type { MaintenanceView } from './view-model.ts';

const simKey = readSimIssuerKey();

/** A card printer that keeps cards and counters and can be told to fault. */
class FakeCardPrinter implements CardPrinter {
  counters: CardCounters = { total: 120, spoiled: 3 };
  fault: CardPrinterFault | undefined;
  faultCleared = false;
  private listeners = new Set<(s: CardPrinterStatus) => void>();
  async getStatus(): Promise<CardPrinterStatus> {
    return this.fault ? { state: this.fault } : { state: 'READY', ribbonPanelsLeft: 200 };
  }
  async readCounters() {
    return ok({ ...this.counters });
  }
  async readInfo() {
    return ok({ model: 'Primacy', serial: 'E12345678', firmware: '1.6.2' });
  }
  async printCard(): Promise<CardPrintOutcome> {
    const before = { ...this.counters };
    if (this.fault) return { kind: 'not-fed', before, after: before, fault: this.fault };
    this.counters.total++;
    return { kind: 'printed', before, after: { ...this.counters } };
  }
  async clearFault() {
    if (this.fault && !this.faultCleared) return err(this.fault);
    this.fault = undefined;
    return ok(undefined);
  }
  async reset() {
    return ok(undefined);
  }
  onStatus(l: (s: CardPrinterStatus) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(s: CardPrinterStatus) {
    for (const l of this.listeners) l(s);
  }
  async close() {}
}

class FakePaperPrinter implements PaperPrinter {
  jobs: number[] = [];
  async getStatus() {
    return { state: 'READY' as const };
  }
  async submit() {
    return ok({ jobId: '1', pages: 1 });
  }
  async findJob() {
    return 'unknown' as const;
  }
  async cancel() {}
  async jobState() {
    return 'completed' as const;
  }
  async print(req: { pdf: Uint8Array; expectedPages: number }) {
    this.jobs.push(req.pdf.length);
    return ok({ jobId: String(this.jobs.length), pages: req.expectedPages });
  }
  async close() {}
}

let pinHash: string;
beforeAll(async () => {
  pinHash = await hashPin('246810');
});

describe('MaintenanceController', () => {
  let dir: string;
  let db: Db;
  let clock: ManualClock;
  let card: FakeCardPrinter;
  let paper: FakePaperPrinter;
  let outbox: OutboxItem[];
  let outOfService: boolean;
  let restarts: number;
  let audit: AuditLog;
  let incidents: Incidents;
  let cardLedger: CardLedger;
  let c: MaintenanceController;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'adm-maint-'));
    db = openDb(dir);
    clock = new ManualClock(Date.parse('2026-11-22T03:00:00Z'));
    card = new FakeCardPrinter();
    paper = new FakePaperPrinter();
    outbox = [
      {
        id: 'o1',
        idempotencyKey: 'k',
        message: {
          kind: 'complete',
          claimId: 'c1',
          applicationNo: '3574-KTP-2611-000045',
          body: {} as never,
        },
        attempts: 3,
        nextAttemptAt: 0,
        createdAt: clock.now(),
        state: 'pending',
        lastError: 'timeout',
      },
    ];
    outOfService = false;
    restarts = 0;
    audit = new AuditLog(db, clock);
    incidents = new Incidents(db, clock);
    cardLedger = new CardLedger(db, { clock, incidents });
    cardLedger.setBaseline(card.counters);
    c = new MaintenanceController({
      clock,
      db,
      dataDir: dir,
      kioskId: 'ADM-3574-MPP-01',
      auth: new TechnicianAuth(db, clock, [{ id: 'T-3574-01', pinHash }]),
      verifyBadge: badgeVerifier({
        issuerKeys: [{ kid: simKey.kid, publicKey: simKey.publicKey }],
        regionCode: '3574',
        now: () => clock.now(),
      }),
      cardPrinter: card,
      paperPrinter: paper,
      outbox: {
        pending: () => outbox,
        sendNow: async () => {
          outbox = [];
        },
      },
      incidents,
      cardLedger,
      paperLedger: new PaperLedger(db, { clock }),
      audit,
      config: {
        kioskId: 'ADM-3574-MPP-01',
        centralApi: { baseUrl: 'http://x', token: 'sim-token' },
        technicians: [{ id: 'T-3574-01', pinHash }],
      },
      isOutOfService: () => outOfService,
      setOutOfService: (on) => {
        outOfService = on;
      },
      restart: () => {
        restarts++;
      },
    });
  });
  afterEach(() => {
    c.dispose();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const act = (action: string, args?: Record<string, unknown>) =>
    c.handle({ type: 'maintenance', action, args });
  const m = (): MaintenanceView => c.view()!.maintenance;

  async function login(): Promise<void> {
    await act('enter');
    await act('login', { technicianId: 'T-3574-01' });
    await act('pin', { pin: '246810' });
    expect(m().screen).toBe('maintenance-home');
  }

  it('enters by gesture, id and PIN', async () => {
    expect(c.active()).toBe(false);
    expect(c.view()).toBeUndefined();
    await act('enter');
    expect(c.view()?.screen).toBe('maintenance-login');
    await act('login', { technicianId: 'T-3574-01' });
    expect(m()).toMatchObject({ screen: 'maintenance-pin', pin: { technicianId: 'T-3574-01' } });
    await act('pin', { pin: '246810' });
    expect(m()).toMatchObject({
      screen: 'maintenance-home',
      technicianId: 'T-3574-01',
      home: { pendingOutbox: 1 },
    });
    expect(audit.entries().map((e) => e.outcome)).toContain('login');
    expect(JSON.stringify(audit.entries())).not.toContain('246810');
  });

  it('enters with a signed badge, and refuses a badge of another kind', async () => {
    const key = await importJWK(simKey.privateKeyJwk, 'EdDSA');
    const now = Math.floor(clock.now() / 1000);
    const badge = await new SignJWT({ role: 'technician', reg: '3574' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'adm-tech+jwt', kid: simKey.kid })
      .setIssuer('dukcapil')
      .setSubject('T-3574-01')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .setJti('j1')
      .sign(key);
    expect(isTechnicianBadge(badge)).toBe(true);
    await act('badge', { token: badge });
    expect(m()).toMatchObject({ screen: 'maintenance-pin', pin: { technicianId: 'T-3574-01' } });
    await act('pin', { pin: '246810' });
    expect(m().screen).toBe('maintenance-home');

    await act('exit');
    const printCode = badge.replace(
      /^[^.]+/,
      Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'adm-print+jwt', kid: 'sim-2026' })).toString(
        'base64url',
      ),
    );
    expect(isTechnicianBadge(printCode)).toBe(false);
    await act('badge', { token: printCode });
    expect(c.active()).toBe(false);
    expect(audit.entries().at(-1)).toMatchObject({
      outcome: 'badge-refused',
      detail: { reason: 'invalid-qr' },
    });
  });

  it('locks a technician out after five wrong PINs and lets them in after 15 minutes', async () => {
    await act('enter');
    await act('login', { technicianId: 'T-3574-01' });
    for (let left = 4; left >= 1; left--) {
      await act('pin', { pin: '000000' });
      expect(m()).toMatchObject({
        screen: 'maintenance-pin',
        pin: { attemptsLeft: left },
        notice: { key: 'wrong-pin' },
      });
    }
    await act('pin', { pin: '000000' });
    expect(m()).toMatchObject({
      screen: 'maintenance-login',
      lockedUntil: clock.now() + LOCKOUT_MS,
      notice: { key: 'locked' },
    });
    await act('login', { technicianId: 'T-3574-01' });
    expect(m()).toMatchObject({ screen: 'maintenance-login', notice: { key: 'locked' } });
    clock.advance(LOCKOUT_MS);
    await login();
    expect(audit.entries().map((e) => e.outcome)).toEqual(
      expect.arrayContaining(['wrong-pin', 'locked-out', 'login']),
    );
  });

  it('logs an idle technician out, and closes an abandoned login prompt', async () => {
    const changes: number[] = [];
    c.onChange(() => changes.push(clock.now()));
    await login();
    clock.advance(IDLE_LOGOUT_MS - 1);
    await act('navigate', { to: 'devices' });
    clock.advance(IDLE_LOGOUT_MS - 1);
    expect(c.active()).toBe(true);
    clock.advance(1);
    expect(c.active()).toBe(false);
    expect(audit.entries().at(-1)).toMatchObject({
      outcome: 'logout',
      technicianId: 'T-3574-01',
      detail: { reason: 'idle' },
    });
    expect(changes.at(-1)).toBe(clock.now());

    await act('enter');
    clock.advance(LOGIN_IDLE_MS);
    expect(c.active()).toBe(false);
  });

  it('never interrupts an applicant: entry waits until the session ends', async () => {
    c.setApplicantBusy(true);
    await act('enter');
    expect(c.active()).toBe(false);
    expect(c.entryDeferred()).toBe(true);
    c.setApplicantBusy(false);
    expect(c.view()?.screen).toBe('maintenance-login');
  });

  it('refuses actions before login', async () => {
    await act('enter');
    await act('load-cards', { count: 100 });
    expect(m().notice).toMatchObject({ key: 'not-logged-in' });
    expect(cardLedger.remaining()).toBe(0);
  });

  it('shows devices, test prints, clears faults', async () => {
    await login();
    await act('navigate', { to: 'devices' });
    expect(m().devices?.card).toMatchObject({
      state: 'READY',
      counters: { total: 120, spoiled: 3 },
      serial: 'E12345678',
    });
    await act('load-cards', { count: 10 });
    await act('test-print-card');
    expect(m().notice).toMatchObject({ key: 'test-print-done' });
    expect(card.counters.total).toBe(121);
    expect(cardLedger.totals()).toMatchObject({ printed: 1, remaining: 9 });
    await act('test-print-a4');
    expect(paper.jobs).toHaveLength(1);
    expect(m().notice).toMatchObject({ key: 'test-print-done' });

    card.fault = 'COVER_OPEN';
    card.emit({ state: 'COVER_OPEN' });
    await act('refresh');
    expect(m().devices?.card?.state).toBe('COVER_OPEN');
    expect(m().devices?.recentFaults[0]).toMatchObject({ device: 'card', state: 'COVER_OPEN' });
    await act('clear-fault');
    expect(m().notice).toMatchObject({
      kind: 'error',
      key: 'fault-remains',
      params: { state: 'COVER_OPEN' },
    });
    card.faultCleared = true;
    await act('clear-fault');
    expect(m().notice).toMatchObject({ kind: 'ok', key: 'fault-cleared' });
    expect(m().devices?.card?.state).toBe('READY');
    const outcomes = audit.entries({ type: 'maintenance' }).map((e) => e.outcome);
    expect(outcomes).toEqual(expect.arrayContaining(['test-print-card', 'test-print-a4', 'clear-fault']));
    expect(audit.entries({ type: 'maintenance' }).every((e) => e.technicianId === 'T-3574-01')).toBe(true);
  });

  it('loads, removes and corrects cards and paper, and reconciles', async () => {
    await login();
    await act('navigate', { to: 'ledger' });
    await act('load-cards', { count: '100' });
    await act('remove-cards', { count: 2, reason: '' });
    expect(m().notice).toMatchObject({ key: 'reason-required' });
    await act('remove-cards', { count: 2, reason: 'tergores / scratched' });
    await act('correct-cards', { delta: -1, reason: 'counted 97' });
    await act('load-paper', { count: 500 });
    await act('remove-paper', { count: 5, reason: 'wet' });
    await act('load-cards', { count: -3 });
    expect(m().notice).toMatchObject({ key: 'invalid-count' });
    expect(m().ledger?.cards).toMatchObject({ loaded: 100, removed: 2, corrected: -1, remaining: 97 });
    expect(m().ledger?.paper).toMatchObject({ loaded: 500, removed: 5, remaining: 495 });

    await act('reconcile');
    expect(m().ledger?.reconciliation).toEqual({ status: 'match', printed: 0, spoiled: 0 });
    card.counters.total += 2; // printed behind the ledger's back
    await act('reconcile');
    expect(m().ledger?.reconciliation).toMatchObject({ status: 'mismatch', printer: { printed: 2 } });
    expect(m().notice).toMatchObject({ kind: 'error', key: 'reconcile-mismatch' });
    expect(incidents.open().map((i) => i.kind)).toEqual(['ledger-mismatch']);
    expect(cardLedger.remaining()).toBe(97);
  });

  it('sends the outbox now, resolves incidents, toggles out-of-service, verifies the log, shows the config masked', async () => {
    const id = incidents.record({
      kind: 'claim-lost',
      applicationNo: '3574-KTP-2611-000045',
      claimId: 'c1',
      detail: {},
    });
    await login();
    await act('navigate', { to: 'outbox' });
    expect(m().outbox?.pending).toEqual([
      expect.objectContaining({
        id: 'o1',
        kind: 'complete',
        applicationNo: '3574-KTP-2611-000045',
        attempts: 3,
      }),
    ]);
    await act('send-now');
    expect(m().outbox?.pending).toEqual([]);
    await act('resolve-incident', { id, note: '' });
    expect(m().notice).toMatchObject({ key: 'note-required' });
    await act('resolve-incident', { id, note: 'completed at the counter' });
    expect(m().outbox?.incidents).toEqual([]);

    await act('out-of-service', { on: true });
    expect(outOfService).toBe(true);
    expect(m().outOfService).toBe(true);
    await act('out-of-service', { on: false });
    expect(outOfService).toBe(false);

    await act('navigate', { to: 'log' });
    await act('verify-audit');
    expect(m().log?.verification).toMatchObject({ ok: true });
    expect(m().log?.entries[0]?.outcome).toBe('verify-audit');

    await act('navigate', { to: 'config' });
    const shown = JSON.stringify(m().config);
    expect(shown).not.toContain('sim-token');
    expect(shown).not.toContain(pinHash);
    expect(shown).toContain('ADM-3574-MPP-01');
  });

  it('shows and exports the daily report, and restarts', async () => {
    audit.append({ type: 'session', outcome: 'refused', detail: { service: 'KIA', reason: 'expired-qr' } });
    await login();
    await act('navigate', { to: 'report' });
    expect(m().report?.report.rows).toEqual([
      expect.objectContaining({ service: 'KIA', refused: { 'expired-qr': 1 } }),
    ]);
    await act('export-report');
    const path = m().report?.exportedPath;
    expect(path).toBe(join(dir, 'exports', 'report-2026-11-22.csv'));
    expect(readFileSync(path!, 'utf8')).toContain('KIA');
    await act('restart');
    expect(restarts).toBe(1);
    expect(audit.verify()).toMatchObject({ ok: true });
  });
});
