import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CardCounters,
  CardPrinter,
  CardPrinterFault,
  CardPrintOutcome,
} from '../../drivers/card-printer/types.ts';
import type { PaperPrinter } from '../../drivers/paper-printer/types.ts';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { err, ok } from '../../drivers/shared/result.ts';
import { AuditLog } from '../../kiosk/audit/audit-log.ts';
import { Incidents } from '../../kiosk/incidents/incidents.ts';
import { CardLedger } from '../../kiosk/ledger/ledger.ts';
import { PaperLedger } from '../../kiosk/ledger/paper-ledger.ts';
import { LOCKOUT_MS, TechnicianAuth } from '../../kiosk/maintenance/auth.ts';
import { MaintenanceController } from '../../kiosk/maintenance/controller.ts';
import { hashPin } from '../../kiosk/maintenance/pin-hash.ts';
import { type Db, openDb } from '../../kiosk/store/db.ts';
import { baseView } from '../support/ui-harness.ts';
import { openUi, type UiSession } from '../ui/ui-page.ts';

/** A card printer that counts what it prints and faults when told. */
class CardPrinterStub implements CardPrinter {
  counters: CardCounters = { total: 40, spoiled: 1 };
  fault: CardPrinterFault | undefined;
  async getStatus() {
    return this.fault ? { state: this.fault } : { state: 'READY' as const, ribbonPanelsLeft: 180 };
  }
  async readCounters() {
    return ok({ ...this.counters });
  }
  async readInfo() {
    return ok({ model: 'Primacy', serial: 'E1', firmware: '1.6.2' });
  }
  async printCard(): Promise<CardPrintOutcome> {
    const before = { ...this.counters };
    this.counters.total++;
    return { kind: 'printed', before, after: { ...this.counters } };
  }
  async clearFault() {
    this.fault = undefined;
    return ok(undefined);
  }
  async reset() {
    return err('MECHANICAL_ERROR' as const);
  }
  onStatus() {
    return () => {};
  }
  async close() {}
}

class PaperPrinterStub implements PaperPrinter {
  printed = 0;
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
  async print() {
    this.printed++;
    return ok({ jobId: String(this.printed), pages: 1 });
  }
  async close() {}
}

describe('maintenance through the UI (Chromium)', { timeout: 120_000 }, () => {
  let ui: UiSession;
  let dir: string;
  let db: Db;
  let clock: ManualClock;
  let controller: MaintenanceController;
  let audit: AuditLog;
  let incidents: Incidents;
  let cardLedger: CardLedger;
  const card = new CardPrinterStub();
  const paper = new PaperPrinterStub();
  let outOfService = false;
  let restarts = 0;
  let outboxSent = false;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'adm-maint-ui-'));
    db = openDb(dir);
    clock = new ManualClock(Date.parse('2026-11-22T03:00:00Z'));
    audit = new AuditLog(db, clock);
    incidents = new Incidents(db, clock);
    cardLedger = new CardLedger(db, { clock, incidents });
    cardLedger.setBaseline(card.counters);
    incidents.record({ kind: 'claim-lost', applicationNo: '3574-KTP-2611-000045', claimId: 'c1' });
    controller = new MaintenanceController({
      clock,
      db,
      dataDir: dir,
      kioskId: 'ADM-3574-MPP-01',
      auth: new TechnicianAuth(db, clock, [{ id: 'T-3574-01', pinHash: await hashPin('246810') }]),
      verifyBadge: async () => err('invalid-qr'),
      cardPrinter: card,
      paperPrinter: paper,
      outbox: {
        pending: () =>
          outboxSent
            ? []
            : [
                {
                  id: 'o1',
                  idempotencyKey: 'k',
                  message: {
                    kind: 'release',
                    claimId: 'c2',
                    applicationNo: '3574-KIA-2611-000123',
                    reason: 'TIMEOUT',
                  },
                  attempts: 2,
                  nextAttemptAt: 0,
                  createdAt: clock.now(),
                  state: 'pending',
                },
              ],
        sendNow: async () => {
          outboxSent = true;
        },
      },
      incidents,
      cardLedger,
      paperLedger: new PaperLedger(db, { clock }),
      audit,
      config: {
        kioskId: 'ADM-3574-MPP-01',
        centralApi: { baseUrl: 'http://127.0.0.1:1/v1', token: 'sim-token' },
      },
      isOutOfService: () => outOfService,
      setOutOfService: (on) => {
        outOfService = on;
      },
      restart: () => {
        restarts++;
      },
    });
    ui = await openUi(baseView());
  }, 120_000);

  afterAll(async () => {
    await ui?.close();
    controller?.dispose();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Plays the core's part: the next maintenance intent the page sends goes to the controller, its View back. */
  async function pump(): Promise<void> {
    const intent = await ui.harness.waitForIntent((i) => i.type === 'maintenance', 20_000);
    await controller.handle(intent);
    await show();
  }

  /** Pushes the controller's View. DOM reads after it poll, since a View with the same screen name may not have rendered yet. */
  async function show(): Promise<void> {
    const v = controller.view();
    await ui.show(v ? baseView({ screen: v.screen, maintenance: v.maintenance }) : baseView());
  }

  async function click(action: string): Promise<void> {
    await ui.page.locator(`[data-action="${action}"]`).first().click();
    await pump();
  }

  async function fill(form: string, values: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(values))
      await ui.page.fill(`[data-form="${form}"] [name="${name}"]`, value, { timeout: 15_000 });
    await click(form);
  }

  const notice = () => ui.page.locator('[data-notice]').getAttribute('data-notice');

  it('logs in, locks out after five wrong PINs, lets in after 15 minutes', async () => {
    await controller.handle({ type: 'maintenance', action: 'enter' });
    await show();
    await fill('login', { technicianId: 'T-3574-01' });
    await expect.poll(() => ui.page.getAttribute('main', 'data-screen')).toBe('maintenance-pin');
    for (let i = 0; i < 4; i++) await fill('pin', { pin: '000000' });
    await expect
      .poll(() => ui.page.locator('[data-attempts-left]').getAttribute('data-attempts-left'))
      .toBe('1');
    await fill('pin', { pin: '000000' });
    await expect.poll(() => ui.page.getAttribute('main', 'data-screen')).toBe('maintenance-login');
    await expect.poll(() => notice()).toBe('locked');
    await fill('login', { technicianId: 'T-3574-01' });
    await expect.poll(() => notice()).toBe('locked');
    clock.advance(LOCKOUT_MS);
    // The untouched login prompt closed itself meanwhile: the technician comes back in.
    expect(controller.active()).toBe(false);
    await controller.handle({ type: 'maintenance', action: 'enter' });
    await show();
    await fill('login', { technicianId: 'T-3574-01' });
    await fill('pin', { pin: '246810' });
    await expect.poll(() => ui.page.getAttribute('main', 'data-screen')).toBe('maintenance-home');
    await expect.poll(() => ui.page.getByRole('button', { name: 'Perangkat' }).count()).toBe(1);
  });

  it('devices: test prints and clearing a fault', async () => {
    await click('navigate-devices');
    await expect.poll(() => ui.page.getAttribute('main', 'data-screen')).toBe('maintenance-devices');
    await click('test-print-card');
    await expect.poll(() => notice()).toBe('test-print-done');
    expect(card.counters.total).toBe(41);
    await click('test-print-a4');
    expect(paper.printed).toBe(1);
    card.fault = 'CARD_JAM';
    await click('refresh');
    await expect.poll(() => ui.page.locator('[data-value="card-state"]').textContent()).toBe('CARD_JAM');
    await click('clear-fault');
    await expect.poll(() => notice()).toBe('fault-cleared');
    await expect.poll(() => ui.page.locator('[data-value="card-state"]').textContent()).toBe('READY');
    await click('reset-card-printer');
    await expect.poll(() => notice()).toBe('fault-remains');
    await click('navigate-home');
  });

  it('ledger: load, remove with reason, correct, load paper, reconcile', async () => {
    await click('navigate-ledger');
    await fill('load-cards', { count: '100' });
    await fill('remove-cards', { count: '3', reason: '' });
    await expect.poll(() => notice()).toBe('reason-required');
    await fill('remove-cards', { count: '3', reason: 'tergores' });
    await fill('correct-cards', { delta: '-1', reason: 'dihitung ulang' });
    await fill('load-paper', { count: '250' });
    await fill('remove-paper', { count: '10', reason: 'basah' });
    await fill('correct-paper', { delta: '2', reason: 'dihitung ulang' });
    const remaining = ui.page.locator('[data-ledger="cards"] [data-total="remaining"]');
    // 100 loaded, 1 test card printed before, 3 removed, 1 corrected away.
    expect(await remaining.textContent()).toBe('95');
    await expect
      .poll(() => ui.page.locator('[data-ledger="paper"] [data-total="remaining"]').textContent())
      .toBe('241');
    await click('reconcile');
    await expect
      .poll(() => ui.page.locator('[data-reconciliation]').getAttribute('data-reconciliation'))
      .toBe('match');
    card.counters.total += 1;
    await click('reconcile');
    await expect
      .poll(() => ui.page.locator('[data-reconciliation]').getAttribute('data-reconciliation'))
      .toBe('mismatch');
    expect(incidents.open().some((i) => i.kind === 'ledger-mismatch')).toBe(true);
    await click('set-baseline');
    await expect.poll(() => notice()).toBe('baseline-set');
    await click('navigate-home');
  });

  it('outbox and incidents: send now, resolve with a note', async () => {
    await click('navigate-outbox');
    await expect.poll(() => ui.page.locator('[data-list="outbox"] li').count()).toBe(1);
    await click('send-now');
    await expect.poll(() => ui.page.locator('[data-list="outbox"] li').count()).toBe(0);
    const before = incidents.open().length;
    const first = incidents.open()[0]!.id;
    await ui.page.fill(`[data-incident="${first}"] [name="note"]`, 'selesai di loket');
    await ui.page.locator(`[data-incident="${first}"] [data-action="resolve-incident"]`).click();
    await pump();
    expect(incidents.open()).toHaveLength(before - 1);
    await click('navigate-home');
  });

  it('log, config (secrets hidden), report export', async () => {
    await click('navigate-log');
    await click('verify-audit');
    await expect
      .poll(() => ui.page.locator('[data-verification]').getAttribute('data-verification'))
      .toBe('ok');
    await expect.poll(() => ui.page.locator('[data-list="log"]').textContent()).not.toContain('246810');
    await click('navigate-home');
    await click('navigate-config');
    const cfg = await ui.page.locator('[data-value="config"]').textContent();
    expect(cfg).toContain('ADM-3574-MPP-01');
    expect(cfg).not.toContain('sim-token');
    await click('navigate-home');
    await click('navigate-report');
    await click('export-report');
    const path = await ui.page.locator('[data-value="exported-path"]').textContent();
    expect(path).toBe(join(dir, 'exports', 'report-2026-11-22.csv'));
    expect(readFileSync(path!, 'utf8')).toContain('TEST');
    await click('navigate-home');
  });

  it('out of service on and off, restart, log out', async () => {
    await click('out-of-service-on');
    expect(outOfService).toBe(true);
    await expect.poll(() => ui.page.locator('[data-value="out-of-service"]').count()).toBe(1);
    await click('out-of-service-off');
    expect(outOfService).toBe(false);
    await click('restart');
    expect(restarts).toBe(1);
    await click('logout');
    await expect.poll(() => ui.page.getAttribute('main', 'data-screen')).toBe('home');
    const outcomes = audit.entries({ type: 'maintenance' }).map((e) => e.outcome);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        'wrong-pin',
        'locked-out',
        'login',
        'test-print-card',
        'test-print-a4',
        'clear-fault',
        'load-cards',
        'remove-cards',
        'correct-cards',
        'load-paper',
        'reconcile',
        'set-baseline',
        'send-now',
        'resolve-incident',
        'verify-audit',
        'export-report',
        'out-of-service',
        'restart',
        'logout',
      ]),
    );
    expect(audit.verify()).toMatchObject({ ok: true });
  });
});
