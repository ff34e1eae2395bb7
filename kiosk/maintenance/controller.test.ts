import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { FakeCardPrinter, FakePaperPrinter } from '../../test/maintenance/printer-fakes.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { createMinter, readSimIssuerKey } from '../central-api/sim/mint.ts';
import { parseMaintenanceIntent } from '../hosts/intent-schema.ts';
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

let pinHash: string;
beforeAll(async () => {
  pinHash = await hashPin('246810');
});

describe('MaintenanceController', () => {
  let root: string;
  let dir: string;
  let media: string;
  let db: Db;
  let paperLedger: PaperLedger;
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
    root = mkdtempSync(join(tmpdir(), 'adm-maint-'));
    dir = join(root, 'data');
    media = join(root, 'media');
    mkdirSync(media);
    db = openDb(dir);
    clock = new ManualClock(Date.parse('2026-11-22T03:00:00Z'));
    card = new FakeCardPrinter();
    paper = new FakePaperPrinter();
    const message = {
      kind: 'complete',
      claimId: 'c1',
      applicationNo: '3574-KTP-2611-000045',
      body: {} as never,
    };
    const item = { id: 'o1', idempotencyKey: 'k', attempts: 3, nextAttemptAt: 0, state: 'pending' } as const;
    outbox = [
      { ...item, message: message as OutboxItem['message'], createdAt: clock.now(), lastError: 'timeout' },
    ];
    outOfService = false;
    restarts = 0;
    audit = new AuditLog(db, clock);
    incidents = new Incidents(db, clock);
    cardLedger = new CardLedger(db, { clock, incidents });
    cardLedger.setBaseline(card.counters);
    paperLedger = new PaperLedger(db, { clock });
    c = controller();
  });

  function controller(timeZone?: string): MaintenanceController {
    return new MaintenanceController({
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
      paperLedger,
      usbMediaRoot: media,
      ...(timeZone ? { timeZone } : {}),
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
  }
  afterEach(() => {
    c.dispose();
    db.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Sends an intent as a host would: validated first, dropped when invalid (answers whether it passed). */
  const act = async (action: string, args?: Record<string, unknown>): Promise<boolean> => {
    const i = parseMaintenanceIntent(
      args ? { type: 'maintenance', action, args } : { type: 'maintenance', action },
    );
    if (i) await c.handle(i);
    return i !== undefined;
  };
  const m = (): MaintenanceView => c.view()!.maintenance;
  function on<S extends MaintenanceView['screen']>(screen: S): Extract<MaintenanceView, { screen: S }> {
    const v = m();
    expect(v.screen).toBe(screen);
    return v as Extract<MaintenanceView, { screen: S }>;
  }

  /** A badge as the issuer signs it; `print` mints a print code instead (refused as a badge). */
  async function badge(sub = 'T-3574-01', kind: 'badge' | 'print' = 'badge'): Promise<string> {
    const minter = await createMinter(clock);
    return kind === 'badge'
      ? minter.badge(sub, '3574')
      : minter.printCode({ applicationNo: '3574-KIA-2611-000123', service: 'KIA', regionCode: '3574' });
  }

  async function login(): Promise<void> {
    await act('enter');
    await act('badge', { token: await badge() });
    await act('pin', { pin: '246810' });
    on('maintenance-checklist');
  }

  it('the hidden corner asks for the badge: no id can be typed, the badge then the PIN let in', async () => {
    expect(c.view()).toBeUndefined();
    await act('enter');
    on('maintenance-login');
    expect(await act('login', { technicianId: 'T-3574-01' })).toBe(false);
    expect(await act('pin', { pin: '246810' })).toBe(true);
    on('maintenance-login');
    const token = await badge();
    expect(isTechnicianBadge(token)).toBe(true);
    await act('badge', { token });
    expect(on('maintenance-pin').pin).toEqual({ technicianId: 'T-3574-01' });
    await act('pin', { pin: '246810' });
    // The morning checklist comes first.
    expect(on('maintenance-checklist')).toMatchObject({
      technicianId: 'T-3574-01',
      checklist: { outboxPending: 1 },
    });
    await act('navigate', { to: 'home' });
    expect(on('maintenance-home').home).toMatchObject({ pendingOutbox: 1 });
    expect(audit.entries().map((e) => e.outcome)).toContain('login');
    expect(JSON.stringify(audit.entries())).not.toContain('246810');

    await act('exit');
    expect(c.active()).toBe(false);
    await act('badge', { token: await badge('T-3574-01', 'print') });
    expect(c.active()).toBe(false);
    expect(audit.entries().at(-1)).toMatchObject({
      outcome: 'badge-refused',
      detail: { reason: 'invalid-qr' },
    });
  });

  it('five wrong PINs lock that badge’s technician for 15 minutes; another badge still gets in', async () => {
    await act('enter');
    await act('badge', { token: await badge() });
    for (let left = 4; left >= 1; left--) {
      await act('pin', { pin: '000000' });
      expect(on('maintenance-pin')).toMatchObject({
        pin: { attemptsLeft: left },
        notice: { key: 'wrong-pin' },
      });
    }
    await act('pin', { pin: '000000' });
    expect(on('maintenance-login')).toMatchObject({
      lockedUntil: clock.now() + LOCKOUT_MS,
      notice: { key: 'locked' },
    });
    await act('badge', { token: await badge() });
    expect(on('maintenance-login').notice).toMatchObject({ key: 'locked' });
    await act('badge', { token: await badge('T-3574-09') });
    on('maintenance-pin');
    await act('exit');
    clock.advance(LOCKOUT_MS);
    await login();
    expect(audit.entries().map((e) => e.outcome)).toEqual(
      expect.arrayContaining(['wrong-pin', 'locked-out', 'login']),
    );
  });

  it('logs an idle technician out, and closes an abandoned prompt', async () => {
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

  it('a kiosk restarted during maintenance comes back in maintenance, and leaves it only by hand', async () => {
    await login();
    c.dispose();
    c = controller();
    expect(on('maintenance-login')).toMatchObject({ resumed: true });
    clock.advance(LOGIN_IDLE_MS * 10);
    expect(c.active()).toBe(true);
    await act('badge', { token: await badge() });
    await act('pin', { pin: '246810' });
    on('maintenance-checklist');
    await act('exit');
    c.dispose();
    c = controller();
    expect(c.active()).toBe(false);
  });

  it('refuses actions before login', async () => {
    await act('enter');
    await act('load-cards', { count: 100 });
    expect(m().notice).toMatchObject({ key: 'not-logged-in' });
    expect(cardLedger.remaining()).toBe(0);
  });

  it('a jam opens an incident with its steps; the printer ready again closes it by itself', async () => {
    await login();
    card.fault = 'CARD_JAM';
    card.emit({ state: 'CARD_JAM' });
    await act('navigate', { to: 'incidents' });
    const [jam] = on('maintenance-incidents').incidents.open;
    expect(jam).toMatchObject({
      kind: 'card-jam',
      title: { id: 'Kartu macet', en: 'Card jam' },
      saw: { en: 'The card printer reported CARD_JAM.' },
      closesByItself: true,
    });
    expect(jam!.steps.map((s) => s.en)).toEqual([
      'Open the card printer cover.',
      'Pull the jammed card out gently; put it in the reject box.',
      'Close the printer.',
      'Press "Check again"; the incident closes by itself once the printer is ready.',
    ]);
    card.faultCleared = true;
    await act('clear-fault');
    await act('refresh');
    const v = on('maintenance-incidents').incidents;
    expect(v.open).toEqual([]);
    expect(v.closed[0]).toMatchObject({
      kind: 'card-jam',
      resolved: { by: 'auto', note: 'card printer READY' },
    });
  });

  it('closes an incident with a technician’s note, recorded as such', async () => {
    const id = incidents.record({ kind: 'claim-lost', applicationNo: '3574-KTP-2611-000045', claimId: 'c1' });
    await login();
    await act('navigate', { to: 'incidents' });
    expect(on('maintenance-incidents').incidents.open[0]!.saw.en).toContain('3574-KTP-2611-000045');
    expect(await act('resolve-incident', { id, note: '' })).toBe(false);
    await act('resolve-incident', { id, note: 'completed at the counter' });
    const v = on('maintenance-incidents').incidents;
    expect(v.open).toEqual([]);
    expect(v.closed[0]!.resolved).toMatchObject({
      by: 'technician',
      technicianId: 'T-3574-01',
      note: 'completed at the counter',
    });
  });

  it('test prints are booked as test prints; with no paper the A4 test is refused and paper never goes below 0', async () => {
    await login();
    await act('load-cards', { count: 10 });
    await act('test-print-a4');
    expect(m().notice).toMatchObject({ kind: 'error', key: 'test-print-no-paper' });
    expect(paper.jobs).toHaveLength(0);
    expect(paperLedger.remaining()).toBe(0);
    await act('load-paper', { count: 1 });
    await act('test-print-both');
    expect(m().notice).toMatchObject({ key: 'test-print-done' });
    expect(card.counters.total).toBe(121);
    expect(paper.jobs).toHaveLength(1);
    await act('test-print-a4');
    expect(m().notice).toMatchObject({ key: 'test-print-no-paper' });
    expect(paperLedger.remaining()).toBe(0);
    await act('navigate', { to: 'ledger' });
    const rows = on('maintenance-ledger').ledger.rows;
    expect(rows.find((r) => r.item === 'cards')).toMatchObject({ loaded: 10, printed: 0, test: 1, left: 9 });
    expect(rows.find((r) => r.item === 'paper')).toMatchObject({ loaded: 1, printed: 0, test: 1, left: 0 });
  });

  it('loads, removes and corrects, and reconciles against the printer with the difference shown', async () => {
    await login();
    await act('navigate', { to: 'ledger' });
    await act('load-cards', { count: 100 });
    await act('remove-cards', { count: 2, reason: 'tergores / scratched' });
    await act('correct-cards', { delta: -1, reason: 'counted 97' });
    await act('load-paper', { count: 500 });
    await act('remove-paper', { count: 600, reason: 'wet' });
    expect(m().notice).toMatchObject({ key: 'more-than-left' });
    await act('remove-paper', { count: 5, reason: 'wet' });
    const l = on('maintenance-ledger').ledger;
    expect(l.cards).toMatchObject({ loaded: 100, removed: 2, corrected: -1, remaining: 97 });
    expect(l.paper).toMatchObject({ loaded: 500, removed: 5, remaining: 495 });
    await act('reconcile');
    expect(on('maintenance-ledger').ledger.reconciliation).toEqual({
      status: 'match',
      printed: 0,
      spoiled: 0,
    });
    card.counters.total += 2; // printed behind the ledger's back
    await act('reconcile');
    const after = on('maintenance-ledger').ledger;
    expect(after.reconciliation).toMatchObject({ status: 'mismatch', printer: { printed: 2 } });
    expect(after.rows[0]).toMatchObject({ item: 'cards', printerSays: 2, difference: -2 });
    expect(after.rows.find((r) => r.item === 'ribbon')).toMatchObject({ printerSays: 200 });
    expect(incidents.open().map((i) => i.kind)).toEqual(['ledger-mismatch']);
  });

  it('the morning checklist: supplies against the last 7 days, cleaning, incidents, outbox, clock, disk', async () => {
    cardLedger.load(20, 'T');
    for (let i = 0; i < 14; i++) cardLedger.printed(`A${i}`, `s${i}`, { service: 'KTP_EL' });
    audit.append({ type: 'session', outcome: 'printed', detail: { service: 'KTP_EL' } });
    card.counters.total = 1150;
    await login();
    const k = on('maintenance-checklist').checklist;
    expect(k.supplies).toEqual([
      { item: 'cards', left: 6, expectedToday: 2, enough: true },
      { item: 'ribbon', left: 200, expectedToday: 10, enough: true },
      { item: 'paper', left: 0, expectedToday: 0, enough: false },
    ]);
    expect(k.headCleaning).toEqual({ cardsSince: 1150, every: 1000, due: true });
    expect(k).toMatchObject({
      outboxPending: 1,
      openIncidents: 0,
      clock: clock.now(),
      lastCompletedSession: expect.any(Number),
    });
    expect(k.disk?.freeBytes).toBeGreaterThan(0);
    await act('head-cleaned');
    expect(on('maintenance-checklist').checklist.headCleaning).toMatchObject({ cardsSince: 0, due: false });
  });

  it('sends the outbox now, toggles out-of-service, verifies the log, shows the config masked', async () => {
    await login();
    await act('navigate', { to: 'outbox' });
    expect(on('maintenance-outbox').outbox.pending).toEqual([
      expect.objectContaining({
        id: 'o1',
        kind: 'complete',
        applicationNo: '3574-KTP-2611-000045',
        attempts: 3,
      }),
    ]);
    await act('send-now');
    expect(on('maintenance-outbox').outbox.pending).toEqual([]);
    await act('out-of-service', { on: true });
    expect(outOfService).toBe(true);
    expect(m().outOfService).toBe(true);
    await act('out-of-service', { on: false });
    expect(outOfService).toBe(false);
    await act('navigate', { to: 'log' });
    await act('verify-audit');
    const log = on('maintenance-log').log;
    expect(log.verification).toMatchObject({ ok: true });
    expect(log.entries[0]?.outcome).toBe('verify-audit');
    await act('navigate', { to: 'config' });
    const shown = JSON.stringify(on('maintenance-config').config);
    expect(shown).not.toContain('sim-token');
    expect(shown).not.toContain(pinHash);
    expect(shown).toContain('ADM-3574-MPP-01');
  });

  it('exports to the USB stick when one is in: report CSV and PDF, reconciliation, log without personal data', async () => {
    audit.append({
      type: 'session',
      outcome: 'printed',
      applicationNo: '3574-KIA-2611-000077',
      nik: '3574010101900001',
      detail: { service: 'KIA' },
    });
    await login();
    await act('navigate', { to: 'report' });
    expect(on('maintenance-report').report.report.rows).toEqual([
      expect.objectContaining({ service: 'KIA', printed: 1 }),
    ]);
    await act('export', { what: 'report-csv' });
    expect(m().notice).toMatchObject({ kind: 'error', key: 'no-usb' });
    const stick = join(media, 'ADM-USB');
    mkdirSync(stick);
    await act('export', { what: 'report-csv' });
    const exported = on('maintenance-report').report.exported;
    expect(exported).toEqual({
      what: 'report-csv',
      path: join(stick, 'ADM-ADM-3574-MPP-01', 'report-2026-11-22.csv'),
    });
    expect(readFileSync(exported!.path, 'utf8')).toContain('2026-11-22,KIA,1,');
    await act('export', { what: 'report-pdf' });
    await act('export', { what: 'reconciliation-csv' });
    await act('export', { what: 'log-csv' });
    const files = readdirSync(join(stick, 'ADM-ADM-3574-MPP-01')).sort();
    expect(files).toEqual([
      'log-2026-11-22.csv',
      'reconciliation-2026-11-22.csv',
      'report-2026-11-22.csv',
      'report-2026-11-22.pdf',
    ]);
    const pdf = readFileSync(join(stick, 'ADM-ADM-3574-MPP-01', 'report-2026-11-22.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    for (const f of files.filter((x) => x.endsWith('.csv'))) {
      const text = readFileSync(join(stick, 'ADM-ADM-3574-MPP-01', f), 'utf8');
      expect(text).not.toContain('3574-KIA-2611-000077');
      expect(text).not.toContain('357401');
    }
    expect(readFileSync(join(stick, 'ADM-ADM-3574-MPP-01', 'log-2026-11-22.csv'), 'utf8')).toContain('WIB,');
    await act('restart');
    expect(restarts).toBe(1);
    expect(audit.verify()).toMatchObject({ ok: true });
    // The technician's own restart comes back serving applicants.
    c.dispose();
    c = controller();
    expect(c.active()).toBe(false);
  });

  it('shows days and times in the configured time zone (WIT)', async () => {
    c.dispose();
    c = controller('Asia/Jayapura');
    // 2026-11-22 16:30 UTC is already 23 November in Jayapura (UTC+9).
    clock.advance(Date.parse('2026-11-22T16:30:00Z') - clock.now());
    audit.append({ type: 'session', outcome: 'printed', detail: { service: 'KK' } });
    await login();
    expect(m().timeZone).toBe('Asia/Jayapura');
    await act('navigate', { to: 'report' });
    expect(on('maintenance-report').report.report).toMatchObject({
      day: '2026-11-23',
      timeZone: 'Asia/Jayapura',
    });
    mkdirSync(join(media, 'STICK'));
    await act('export', { what: 'log-csv' });
    const csv = readFileSync(join(media, 'STICK', 'ADM-ADM-3574-MPP-01', 'log-2026-11-23.csv'), 'utf8');
    expect(csv).toContain('2026-11-23 01:30 WIT');
  });

  it('an action that throws becomes an error notice and an audit entry, never an unhandled rejection', async () => {
    await login();
    card.readCounters = async () => {
      throw new Error('port gone');
    };
    await act('reconcile');
    expect(m().notice).toMatchObject({
      kind: 'error',
      key: 'action-failed',
      params: { action: 'reconcile' },
    });
    expect(audit.entries().at(-1)).toMatchObject({
      outcome: 'action-failed',
      detail: { error: 'port gone' },
    });
  });
});
