import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTestPattern } from '../../drivers/card-printer/index.ts';
import { jakartaDay } from '../../kiosk/maintenance/report.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { type KioskInChromium, openKioskInChromium } from '../support/kiosk-in-chromium.ts';

/**
 * The maintenance menu through the whole kiosk: the real core, browser host, central API simulator,
 * the card printer simulator behind the real protocol driver, the simulated A4 printer and scanner,
 * and Chromium. Every action is checked against the simulators and the stores, not only the screen.
 * The cases run in order and share one kiosk, as one technician's visit does.
 */
const TECHNICIAN = 'T-3574-01';
const PIN = '246810';
const KIA = '3574-KIA-2611-000123';
/** Generous waits: two cores run several Chromium test files at once. */
const WAIT = { timeout: 30_000 };

let opened: KioskInChromium;
let kiosk: TestKiosk;
let page: Page;
/** Where USB sticks appear; a folder in it stands in for one. */
const media = mkdtempSync(join(tmpdir(), 'adm-media-'));

beforeAll(async () => {
  opened = await openKioskInChromium({ config: { usbMediaRoot: media } });
  ({ kiosk, page } = opened);
}, 120_000);

afterAll(async () => {
  await opened?.close();
  rmSync(media, { recursive: true, force: true });
});

const onScreen = (screen: string) => page.locator(`[data-screen="${screen}"]`).waitFor(WAIT);
const notice = () => page.locator('[data-notice]').getAttribute('data-notice', { timeout: 1000 });
const value = (name: string) => page.locator(`[data-value="${name}"]`).first().textContent({ timeout: 1000 });
const total = (medium: 'cards' | 'paper', col: string) =>
  page.locator(`[data-item="${medium}"] [data-col="${col}"]`).textContent({ timeout: 1000 });

async function click(action: string): Promise<void> {
  await page.locator(`[data-action="${action}"]:not([disabled])`).first().click(WAIT);
}

async function fill(form: string, values: Record<string, string>): Promise<void> {
  for (const [name, v] of Object.entries(values))
    await page.fill(`[data-form="${form}"] [name="${name}"]`, v, WAIT);
  await page.locator(`[data-form="${form}"] [data-action="${form}"]`).click(WAIT);
}

async function home(): Promise<void> {
  if ((await page.locator('[data-screen="maintenance-home"]').count()) > 0) return;
  await page.locator('.m-bar [data-action="navigate-home"]').click(WAIT);
  await onScreen('maintenance-home');
}

/** A section from the menu, as a technician opens it. */
async function open(section: string): Promise<void> {
  await home();
  await click(`navigate-${section}`);
  await onScreen(`maintenance-${section}`);
}

/** The PIN, then the morning checklist, then the menu. */
async function pinIn(): Promise<void> {
  await onScreen('maintenance-pin');
  await fill('pin', { pin: PIN });
  await onScreen('maintenance-checklist');
  expect(await value('technician')).toBe(TECHNICIAN);
  await home();
}

describe('maintenance through the real kiosk', { timeout: 180_000 }, () => {
  it('a badge shown while an applicant is on confirm waits until the session ends', async () => {
    kiosk.scan(await kiosk.central.mintPrintCode(KIA));
    await onScreen('confirm');
    kiosk.scan(await kiosk.central.mintBadge(TECHNICIAN));
    // The applicant keeps the screen: the badge is only noted.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.locator('[data-screen]').first().getAttribute('data-screen')).toBe('confirm');
    expect(kiosk.app.core.currentView().screen).toBe('confirm');
    await click('confirm');
    await onScreen('survey');
    await click('skip');
    // Once the applicant is done, the deferred entry opens on the PIN prompt for the badge's technician.
    await onScreen('maintenance-pin');
    await expect.poll(() => kiosk.central.completionsOf(KIA), WAIT).toBe(1);
    await kiosk.app.cardSim!.flush();
    expect(kiosk.app.cardSim!.printedCards).toHaveLength(1);
  });

  it('PIN: a wrong one is counted, the right one opens the menu', async () => {
    await fill('pin', { pin: '000000' });
    await expect
      .poll(() => page.locator('[data-attempts-left]').getAttribute('data-attempts-left'), WAIT)
      .toBe('4');
    expect(await notice()).toBe('wrong-pin');
    await pinIn();
    expect(await value('cards-remaining')).toBe(String(kiosk.app.ledger.remaining()));
  });

  it('devices: the card and A4 printers as the simulators are', async () => {
    await open('devices');
    const sim = kiosk.app.cardSim!;
    expect(await value('card-state')).toBe('READY');
    expect(await value('paper-state')).toBe('READY');
    expect(await value('card-counters')).toBe(`${sim.counters.total} / ${sim.counters.spoiled}`);
    expect(await page.locator('[data-device="card"]').textContent()).toContain(sim.serial);
  });

  it('card test print: the printer counts a card, the ledger books a TEST card', async () => {
    const sim = kiosk.app.cardSim!;
    const before = sim.counters;
    const remaining = kiosk.app.ledger.remaining();
    await click('test-print-card');
    await expect.poll(() => notice(), WAIT).toBe('test-print-done');
    expect(sim.counters).toEqual({ total: before.total + 1, spoiled: before.spoiled });
    const last = kiosk.app.ledger.entries({ limit: 1 })[0]!;
    expect(last).toMatchObject({ kind: 'printed', service: 'TEST', count: 1 });
    expect(kiosk.app.ledger.remaining()).toBe(remaining - 1);
    expect(sim.blankCards).toBe(kiosk.app.ledger.remaining());
    await expect.poll(() => value('card-counters'), WAIT).toBe(`${before.total + 1} / ${before.spoiled}`);
    await sim.flush();
    expect(sim.printedCards.at(-1)!.number).toBe(before.total + 1);
  });

  it('A4 test page: refused while no paper is booked; booked, the simulated printer prints one page', async () => {
    const sim = kiosk.app.paperSim!;
    const jobs = sim.printedJobs.length;
    const pages = sim.pagesConsumed;
    // The simulator's paper is booked at first start, as a technician would: take it out of the books.
    const booked = kiosk.app.paperLedger.remaining();
    if (booked > 0) kiosk.app.paperLedger.removed(booked, 'test: no paper booked', 'T-3574-01');
    await click('test-print-a4');
    await expect.poll(() => notice(), WAIT).toBe('test-print-no-paper');
    expect(sim.printedJobs.length).toBe(jobs);
    await open('ledger');
    await fill('load-paper', { count: String(sim.paperSheets) });
    await expect.poll(() => total('paper', 'left'), WAIT).toBe(String(sim.paperSheets));
    await open('devices');
    await click('test-print-a4');
    await expect.poll(() => sim.printedJobs.length, WAIT).toBe(jobs + 1);
    await expect.poll(() => notice(), WAIT).toBe('test-print-done');
    expect(sim.pagesConsumed).toBe(pages + 1);
  });

  it('a card fault: seen on the devices screen, not cleared while its cause is there, cleared after', async () => {
    const sim = kiosk.app.cardSim!;
    sim.injectFault('COVER_OPEN');
    await click('refresh');
    await expect.poll(() => value('card-state'), WAIT).toBe('COVER_OPEN');
    expect(await page.locator('[data-list="recent-faults"]').textContent()).toContain('COVER_OPEN');
    await click('clear-fault');
    await expect.poll(() => notice(), WAIT).toBe('fault-remains');
    expect(sim.state).toBe('COVER_OPEN');
    sim.clearCause();
    await click('clear-fault');
    await expect.poll(() => notice(), WAIT).toBe('fault-cleared');
    await expect.poll(() => value('card-state'), WAIT).toBe('READY');
    expect(sim.state).toBe('READY');
    await home();
  });

  it('ledger: cards loaded and removed with a reason move "remaining" with the feeder', async () => {
    const sim = kiosk.app.cardSim!;
    const ledger = kiosk.app.ledger;
    await open('ledger');
    const start = ledger.remaining();
    expect(await total('cards', 'left')).toBe(String(start));
    // The technician puts 20 cards in the feeder and books them.
    sim.loadBlankCards(20);
    await fill('load-cards', { count: '20' });
    await expect.poll(() => total('cards', 'left'), WAIT).toBe(String(start + 20));
    expect(ledger.remaining()).toBe(sim.blankCards);
    // No reason, no removal: the form cannot be sent.
    await page.fill('[data-form="remove-cards"] [name="count"]', '5', WAIT);
    expect(await page.locator('[data-form="remove-cards"] [data-action="remove-cards"]').isDisabled()).toBe(
      true,
    );
    expect(ledger.remaining()).toBe(start + 20);
    await fill('remove-cards', { count: '5', reason: 'tergores' });
    await expect.poll(() => total('cards', 'left'), WAIT).toBe(String(start + 15));
    expect(ledger.entries({ limit: 1 })[0]).toMatchObject({
      kind: 'removed',
      count: 5,
      reason: 'tergores',
      technicianId: TECHNICIAN,
    });
    const t = ledger.totals();
    expect(t.loaded + t.corrected).toBe(t.printed + t.spoiled + t.removed + t.remaining);
  });

  it('reconcile: matches the real counters, and a card printed behind the ledger is a mismatch', async () => {
    const sim = kiosk.app.cardSim!;
    await click('reconcile');
    await expect
      .poll(() => page.locator('[data-reconciliation]').getAttribute('data-reconciliation'), WAIT)
      .toBe('match');
    const base = kiosk.app.ledger.baseline()!;
    // Both test cards, as the printer counts them since the baseline, no difference.
    await expect
      .poll(() => total('cards', 'printerSays'), WAIT)
      .toBe(String(sim.counters.total - base.total));
    expect(sim.counters.total - base.total).toBe(2);
    expect(await total('cards', 'difference')).toBe('0');
    // A card through the driver but not the ledger: the counters say one more than the ledger books.
    const outcome = await kiosk.app.cardPrinter!.printCard((await renderTestPattern()).panels);
    expect(outcome.kind).toBe('printed');
    await click('reconcile');
    await expect
      .poll(() => page.locator('[data-reconciliation]').getAttribute('data-reconciliation'), WAIT)
      .toBe('mismatch');
    expect(kiosk.app.incidents.open().map((i) => i.kind)).toContain('ledger-mismatch');
    await click('set-baseline');
    await expect.poll(() => notice(), WAIT).toBe('baseline-set');
    await click('reconcile');
    await expect
      .poll(() => page.locator('[data-reconciliation]').getAttribute('data-reconciliation'), WAIT)
      .toBe('match');
    await home();
  });

  it('outbox: a heartbeat the API refuses stays pending; "send now" delivers it', async () => {
    const central = kiosk.central;
    central.setFault('heartbeat', { kind: 'status', status: 503 });
    // Out of service forces a heartbeat, which the API refuses for now.
    await click('out-of-service-on');
    await expect.poll(() => notice(), WAIT).toBe('out-of-service-on');
    expect(kiosk.app.core.isOutOfService()).toBe(true);
    await expect.poll(() => kiosk.app.outbox.pending().length, WAIT).toBeGreaterThan(0);
    await open('outbox');
    await expect
      .poll(() => page.locator('[data-list="outbox"] li').count(), WAIT)
      .toBe(kiosk.app.outbox.pending().length);
    expect(await page.locator('[data-list="outbox"]').textContent()).toContain('heartbeat');
    central.clearFaults();
    const delivered = central.records.heartbeats.length;
    await click('send-now');
    await expect.poll(() => notice(), WAIT).toBe('sent');
    await expect.poll(() => page.locator('[data-list="outbox"] li').count(), WAIT).toBe(0);
    expect(kiosk.app.outbox.pending()).toEqual([]);
    expect(central.records.heartbeats.length).toBeGreaterThan(delivered);
    expect(central.records.heartbeats.at(-1)).toMatchObject({ body: { state: 'MAINTENANCE' } });
  });

  it('incidents: the mismatch is resolved with a note', async () => {
    const openSection = open;
    const open_ = kiosk.app.incidents.open();
    const mismatch = open_.find((i) => i.kind === 'ledger-mismatch')!;
    await openSection('incidents');
    await page.fill(`[data-incident="${mismatch.id}"] [name="note"]`, 'kartu uji tanpa buku', WAIT);
    await page.locator(`[data-incident="${mismatch.id}"] [data-action="resolve-incident"]`).click(WAIT);
    await expect.poll(() => notice(), WAIT).toBe('incident-resolved');
    expect(kiosk.app.incidents.open().some((i) => i.id === mismatch.id)).toBe(false);
    await home();
  });

  it('service log: masked NIK only, and the audit chain verifies', async () => {
    const nik = kiosk.central.application(KIA).subject.nik;
    await open('log');
    await expect.poll(() => page.locator('[data-list="log"] tbody tr').count(), WAIT).toBeGreaterThan(5);
    const text = await page.locator('body').innerText();
    expect(text).toContain(`${nik.slice(0, 6)}******${nik.slice(12)}`);
    expect(text).toContain(KIA);
    expect(text).not.toContain(nik);
    expect(await page.content()).not.toContain(nik);
    await click('verify-audit');
    await expect
      .poll(() => page.locator('[data-verification]').getAttribute('data-verification'), WAIT)
      .toBe('ok');
    await home();
  });

  it('config: shown, with the API token and the PIN hashes hidden', async () => {
    await open('config');
    const cfg = (await value('config'))!;
    expect(cfg).toContain(kiosk.config.kioskId);
    expect(cfg).toContain(TECHNICIAN);
    expect(cfg).not.toContain(kiosk.config.centralApi.token);
    for (const t of kiosk.config.technicians) expect(cfg).not.toContain(t.pinHash);
    expect(cfg).not.toContain('scrypt$');
    expect(await page.content()).not.toContain(kiosk.config.centralApi.token);
    await home();
  });

  it('daily report and its CSV export to the USB stick', async () => {
    const day = jakartaDay(Date.now());
    await open('report');
    await expect
      .poll(() => page.locator(`[data-report="${day}"] [data-service="KIA"]`).count(), WAIT)
      .toBe(1);
    await click('export-report-csv');
    await expect.poll(() => notice(), WAIT).toBe('no-usb');
    mkdirSync(join(media, 'STICK'));
    await click('export-report-csv');
    await expect.poll(() => notice(), WAIT).toBe('exported');
    const path = (await value('exported-path'))!;
    expect(path).toBe(join(media, 'STICK', `ADM-${kiosk.config.kioskId}`, `report-${day}.csv`));
    expect(existsSync(path)).toBe(true);
    const csv = readFileSync(path, 'utf8');
    expect(csv).toContain('KIA');
    expect(csv).toContain('TEST');
    await home();
  });

  it('exit while out of service: home shows out-of-service; back in, service on again', async () => {
    await click('logout');
    await onScreen('out-of-service');
    kiosk.scan(await kiosk.central.mintBadge(TECHNICIAN));
    await pinIn();
    expect(await value('out-of-service')).toBeTruthy();
    await click('out-of-service-off');
    await expect.poll(() => notice(), WAIT).toBe('out-of-service-off');
    expect(kiosk.app.core.isOutOfService()).toBe(false);
    await click('logout');
    await onScreen('home');
  });

  it('the hidden corner: five taps within 3 s, then the badge and the PIN', async () => {
    const corner = page.locator('[data-action="maintenance-entry"]');
    for (let i = 0; i < 4; i++) await corner.click(WAIT);
    await new Promise((r) => setTimeout(r, 500));
    expect(kiosk.app.core.currentView().screen).toBe('home');
    await new Promise((r) => setTimeout(r, 3000));
    for (let i = 0; i < 5; i++) await corner.click(WAIT);
    await onScreen('maintenance-login');
    expect(await page.locator('[data-screen="maintenance-login"] input').count()).toBe(0);
    kiosk.scan(await kiosk.central.mintBadge(TECHNICIAN));
    await pinIn();
    await click('logout');
    await onScreen('home');
  });

  it('every action is in the audit trail under the technician, and the chain holds', () => {
    const entries = kiosk.app.audit.entries({ type: 'maintenance' });
    const outcomes = entries.map((e) => e.outcome);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        'wrong-pin',
        'login',
        'test-print-card',
        'test-print-a4',
        'clear-fault',
        'load-cards',
        'remove-cards',
        'reconcile',
        'set-baseline',
        'out-of-service',
        'send-now',
        'resolve-incident',
        'view-log',
        'verify-audit',
        'view-config',
        'export',
        'logout',
      ]),
    );
    expect(outcomes.filter((o) => o === 'login')).toHaveLength(3);
    for (const e of entries.filter((x) => x.outcome === 'test-print-card'))
      expect(e.technicianId).toBe(TECHNICIAN);
    expect(kiosk.app.audit.verify()).toMatchObject({ ok: true });
  });
});
