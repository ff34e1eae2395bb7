import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { AuditLog } from '../../kiosk/audit/audit-log.ts';
import { createMinter, readSimIssuerKey } from '../../kiosk/central-api/sim/mint.ts';
import { parseIntent } from '../../kiosk/hosts/intent-schema.ts';
import { Incidents } from '../../kiosk/incidents/incidents.ts';
import { CardLedger } from '../../kiosk/ledger/ledger.ts';
import { PaperLedger } from '../../kiosk/ledger/paper-ledger.ts';
import { TechnicianAuth } from '../../kiosk/maintenance/auth.ts';
import { badgeVerifier } from '../../kiosk/maintenance/badge.ts';
import { MaintenanceController } from '../../kiosk/maintenance/controller.ts';
import type { MaintenanceIntent } from '../../kiosk/maintenance/intents.ts';
import { hashPin } from '../../kiosk/maintenance/pin-hash.ts';
import { type Db, openDb } from '../../kiosk/store/db.ts';
import { baseView } from '../support/ui-harness.ts';
import { openUi, SCREENS_DIR, type UiSession } from '../ui/ui-page.ts';
import { FakeCardPrinter, FakePaperPrinter } from './printer-fakes.ts';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
const simKey = readSimIssuerKey();

describe('the technician at a 1080 x 1920 touch screen (Chromium)', { timeout: 180_000 }, () => {
  let ui: UiSession;
  let root: string;
  let dir: string;
  let media: string;
  let db: Db;
  let clock: ManualClock;
  let controller: MaintenanceController;
  let audit: AuditLog;
  let incidents: Incidents;
  let cardLedger: CardLedger;
  let paperLedger: PaperLedger;
  let pinHash: string;
  const card = new FakeCardPrinter({ counters: { total: 40, spoiled: 1 }, ribbonPanelsLeft: 180 });
  const paper = new FakePaperPrinter();
  let outOfService = true;
  let restarts = 0;
  let outboxSent = false;

  function makeController(timeZone?: string): MaintenanceController {
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
      paperLedger,
      audit,
      config: {
        kioskId: 'ADM-3574-MPP-01',
        centralApi: { baseUrl: 'http://127.0.0.1:1/v1', token: 'sim-token' },
      },
      usbMediaRoot: media,
      ...(timeZone ? { timeZone } : {}),
      isOutOfService: () => outOfService,
      setOutOfService: (on) => {
        outOfService = on;
      },
      restart: () => {
        restarts++;
      },
    });
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'adm-maint-ui-'));
    dir = join(root, 'data');
    media = join(root, 'media');
    mkdirSync(media);
    db = openDb(dir);
    clock = new ManualClock(Date.parse('2026-11-22T00:30:00Z'));
    pinHash = await hashPin('246810');
    audit = new AuditLog(db, clock);
    incidents = new Incidents(db, clock);
    cardLedger = new CardLedger(db, { clock, incidents });
    cardLedger.setBaseline(card.counters);
    paperLedger = new PaperLedger(db, { clock });
    incidents.record({ kind: 'claim-lost', applicationNo: '3574-KTP-2611-000045', claimId: 'c1' });
    controller = makeController();
    ui = await openUi(baseView({ screen: 'out-of-service', available: { card: false, a4: false } }));
  }, 180_000);

  afterAll(async () => {
    await ui?.close();
    controller?.dispose();
    db?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const screen = () => ui.page.getAttribute('main', 'data-screen');
  const notice = () => ui.page.locator('[data-notice]').getAttribute('data-notice');

  /** Pushes the controller's View (the core's part). */
  async function show(): Promise<void> {
    const v = controller.view();
    await ui.show(
      v
        ? baseView({ screen: v.screen, maintenance: v.maintenance })
        : baseView({ screen: 'out-of-service', available: { card: false, a4: false } }),
    );
  }

  /** The next maintenance intent the page sends, validated as a host would, to the controller; its View back. */
  async function pump(): Promise<void> {
    const raw = await ui.harness.waitForIntent((i) => i.type === 'maintenance', 20_000);
    const intent = parseIntent(raw);
    expect(intent, JSON.stringify(raw)).toBeDefined();
    await controller.handle(intent as MaintenanceIntent);
    await show();
  }

  async function tap(action: string, within = 'main'): Promise<void> {
    await ui.page.locator(`${within} [data-action="${action}"]`).first().click();
    await pump();
  }

  /** Opens a section from the menu, as a technician does (the bar's "Menu" first). */
  async function go(to: string): Promise<void> {
    if ((await screen()) !== 'maintenance-home') await tap('navigate-home', '.m-bar');
    await tap(`navigate-${to}`);
    await expect.poll(screen).toBe(`maintenance-${to}`);
  }

  /** Types on the on-screen keyboard of a form, field by field, then submits it. */
  async function type(form: string, values: Record<string, string>, within = 'main'): Promise<void> {
    const f = ui.page.locator(`${within} [data-form="${form}"]`).first();
    for (const [name, value] of Object.entries(values)) {
      await f.locator(`[name="${name}"]`).click();
      for (const ch of value) await f.locator(`[data-key="${ch}"]`).click();
    }
    await f.locator(`[data-action="${form}"]`).click();
    await pump();
  }

  /** axe-core with the WCAG 2.0/2.1 A and AA rules, and the touch sizes, on the screen shown now. */
  async function check(name: string): Promise<void> {
    await ui.page.screenshot({ path: join(SCREENS_DIR, `${name}.png`) });
    await ui.page.evaluate(axeSource);
    const violations = await ui.page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (c: unknown, o: unknown) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }>;
          };
        }
      ).axe;
      const r = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        // The kiosk page forbids pinch zoom on purpose (a public terminal; its text is large instead), as
        // the applicant's screens do: that one rule is the page's, not these screens'.
        rules: { 'meta-viewport': { enabled: false } },
      });
      return r.violations.map(
        (v) =>
          `${v.id}: ${(v.nodes as Array<{ target: string[] }>).map((n) => n.target.join(' ')).join(', ')}`,
      );
    });
    expect(violations, name).toEqual([]);
    const small = await ui.page.evaluate(() => {
      const bad: string[] = [];
      for (const el of Array.from(document.querySelectorAll('main button, main input'))) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.height < 64 || r.width < 64)
          bad.push(
            `${el.getAttribute('data-action') ?? el.getAttribute('data-key') ?? el.tagName} ${Math.round(r.width)}x${Math.round(r.height)}`,
          );
      }
      for (const el of Array.from(document.querySelectorAll('main *'))) {
        if (!Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim())) continue;
        const size = Number.parseFloat(getComputedStyle(el).fontSize);
        if (size < 20) bad.push(`${el.tagName} text ${size}px`);
      }
      return bad;
    });
    expect(small, name).toEqual([]);
  }

  async function badge(): Promise<string> {
    return (await createMinter(clock)).badge('T-3574-01', '3574');
  }

  it('comes in from out-of-service: the corner asks for the badge, the badge then the PIN on the keypad', async () => {
    expect(await screen()).toBe('out-of-service');
    await controller.handle({ type: 'maintenance', action: 'enter' });
    await show();
    expect(await screen()).toBe('maintenance-login');
    expect(await ui.page.locator('main input').count()).toBe(0);
    await check('maintenance-login');
    // The badge is read by a scanner; the core passes it on as this intent.
    await controller.handle({ type: 'maintenance', action: 'badge', args: { token: await badge() } });
    await show();
    expect(await screen()).toBe('maintenance-pin');
    await check('maintenance-pin');
    await type('pin', { pin: '000000' });
    await expect.poll(notice).toBe('wrong-pin');
    await type('pin', { pin: '246810' });
    await expect.poll(screen).toBe('maintenance-checklist');
  });

  it('the morning checklist, and the test prints booked: refused with no paper, never below zero', async () => {
    await expect.poll(() => ui.page.locator('[data-supply="paper"]').getAttribute('class')).toBe('m-bad');
    await check('maintenance-checklist');
    await ui.page.screenshot({ path: join(SCREENS_DIR, 'maintenance-checklist-readme.png') });
    await tap('test-print-both');
    await expect.poll(notice).toBe('test-print-no-paper');
    expect(paper.jobs.length).toBe(0);
    expect(paperLedger.remaining()).toBe(0);
  });

  it('loads cards and paper on the on-screen keyboard', async () => {
    await tap('navigate-home', '.m-bar');
    await check('maintenance-home');
    await go('ledger');
    await type('load-cards', { count: '100' });
    await expect.poll(notice).toBe('loaded');
    await type('load-paper', { count: '2' });
    await type('remove-cards', { count: '3', reason: 'TERGORES' });
    await type('correct-cards', { delta: '-1', reason: 'DIHITUNG ULANG' });
    // 100 loaded, 3 drawn back, 1 corrected away, 1 test card (the checklist printed it before the paper
    // was refused).
    await expect
      .poll(() => ui.page.locator('[data-item="cards"] [data-col="left"]').textContent())
      .toBe('95');
    await check('maintenance-ledger');
    await go('checklist');
    await tap('test-print-both');
    await expect.poll(notice).toBe('test-print-done');
    expect(paper.jobs.length).toBe(1);
    expect(card.counters.total).toBe(42);
    expect(paperLedger.remaining()).toBe(1);
  });

  it('a card jam shows its steps, is fixed and closes by itself; another incident closes with a note', async () => {
    card.jam('CARD_JAM');
    await go('incidents');
    const jam = ui.page.locator('[data-kind="card-jam"]').first();
    await expect.poll(() => jam.locator('h3').textContent()).toBe('Kartu macet');
    expect(await jam.locator('[data-list="steps"] li').allTextContents()).toEqual([
      'Buka tutup printer kartu.',
      'Tarik kartu yang macet perlahan; masukkan ke kotak tolak.',
      'Tutup kembali printer.',
      'Tekan "Periksa lagi"; insiden tertutup sendiri bila printer siap.',
    ]);
    await check('maintenance-incidents');
    await jam.screenshot({ path: join(SCREENS_DIR, 'maintenance-incident-readme.png') });
    card.jam(undefined);
    await tap('check-again', '[data-kind="card-jam"]');
    await expect
      .poll(() =>
        ui.page
          .locator('[data-list="closed-incidents"] [data-kind="card-jam"] [data-closed-by]')
          .getAttribute('data-closed-by'),
      )
      .toBe('auto');
    await type('resolve-incident', { note: 'SELESAI DI LOKET' }, '[data-kind="claim-lost"]');
    await expect.poll(notice).toBe('incident-resolved');
    expect(incidents.open()).toEqual([]);
    expect(incidents.recent().find((i) => i.kind === 'claim-lost')?.resolved).toMatchObject({
      by: 'technician',
      note: 'SELESAI DI LOKET',
    });
  });

  it('reads the reconciliation and exports it as CSV to the USB stick', async () => {
    await go('ledger');
    await tap('reconcile');
    await expect
      .poll(() => ui.page.locator('[data-item="cards"] [data-col="difference"]').textContent())
      .toBe('0');
    await tap('export-reconciliation-csv');
    await expect.poll(notice).toBe('no-usb');
    mkdirSync(join(media, 'ADM-USB'));
    await tap('export-reconciliation-csv');
    await expect.poll(notice).toBe('exported');
    const folder = join(media, 'ADM-USB', 'ADM-ADM-3574-MPP-01');
    expect(readdirSync(folder)).toEqual(['reconciliation-2026-11-22.csv']);
    const csv = readFileSync(join(folder, 'reconciliation-2026-11-22.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('at,item,loaded,printed,spoiled,test,removed,corrected,left,printer_says,difference');
    expect(csv[1]).toBe('2026-11-22 07:30 WIB,cards,100,0,0,2,3,-1,94,2,0');
    expect(csv[3]).toBe('2026-11-22 07:30 WIB,paper,2,0,0,1,0,0,1,,');
  });

  it('every other screen passes axe and the touch sizes', async () => {
    for (const to of ['devices', 'outbox', 'log', 'config', 'report'] as const) {
      await go(to);
      await check(`maintenance-${to}`);
    }
    await tap('export-report-pdf');
    await expect.poll(notice).toBe('exported');
    expect(readdirSync(join(media, 'ADM-USB', 'ADM-ADM-3574-MPP-01'))).toContain('report-2026-11-22.pdf');
    await tap('navigate-home', '.m-bar');
    await tap('out-of-service-off');
    expect(outOfService).toBe(false);
    await tap('out-of-service-on');
    expect(outOfService).toBe(true);
    await tap('restart');
    expect(restarts).toBe(1);
  });

  it('a restart during maintenance comes back in maintenance, not serving applicants', async () => {
    // The technician's own restart above came back serving; now the power goes while they are at it.
    await tap('logout', '.m-bar');
    await expect.poll(screen).toBe('out-of-service');
    await controller.handle({ type: 'maintenance', action: 'badge', args: { token: await badge() } });
    await show();
    await type('pin', { pin: '246810' });
    await expect.poll(screen).toBe('maintenance-checklist');
    controller.dispose();
    controller = makeController();
    await show();
    expect(await screen()).toBe('maintenance-login');
    expect(await ui.page.locator('.m-warn').count()).toBe(1);
    clock.advance(3_600_000);
    expect(controller.active()).toBe(true);
  });

  it('with timeZone Asia/Jayapura every time shows in WIT', async () => {
    controller.dispose();
    controller = makeController('Asia/Jayapura');
    await controller.handle({ type: 'maintenance', action: 'badge', args: { token: await badge() } });
    await show();
    await type('pin', { pin: '246810' });
    await expect.poll(screen).toBe('maintenance-checklist');
    // 2026-11-22 01:30 UTC is 10:30 in Jayapura (UTC+9).
    await expect
      .poll(() => ui.page.locator('[data-check="clock"] td').first().textContent())
      .toBe('2026-11-22 10:30 WIT');
    await tap('logout');
    await expect.poll(screen).toBe('out-of-service');
    expect(audit.verify()).toMatchObject({ ok: true });
  });
});
