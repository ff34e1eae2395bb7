import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardPrinterSimulator } from '../../drivers/card-printer/index.ts';
import { startKiosk, type TestKiosk, waitForScreen } from '../support/kiosk.ts';

/**
 * A kiosk on a real (serial) card printer whose ledger has no load recorded yet: the feeder sensor
 * decides, every card is still booked, and the technician is asked to record the stock.
 */
let dir: string;
let printer: CardPrinterSimulator;
let pty: { close(): Promise<void> };
let kiosk: TestKiosk;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adm-ledger0-'));
  printer = new CardPrinterSimulator({ timeFactor: 0.01, blankCards: 5 });
  const served = await printer.serveOnPty(join(dir, 'ttyCARD'));
  if ('error' in served) throw new Error(served.error);
  pty = served;
  kiosk = await startKiosk({
    devices: { cardPrinter: { driver: 'serial', path: join(dir, 'ttyCARD') }, scanner: { driver: 'sim' } },
  });
});
afterAll(async () => {
  await kiosk?.stop();
  await pty?.close();
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a blank-card ledger with no load recorded', () => {
  it('prints by the feeder sensor, books the card, and keeps an incident for the technician', async () => {
    await expect.poll(() => kiosk.app.core.currentView().available.card, { timeout: 10_000 }).toBe(true);
    expect(kiosk.app.incidents.open().map((i) => i.kind)).toContain('ledger-not-initialised');
    const no = '3574-KIA-2611-000123';
    kiosk.scan(await kiosk.central.mintPrintCode(no));
    await waitForScreen(kiosk, 'confirm');
    kiosk.app.core.send({ type: 'confirm' });
    await waitForScreen(kiosk, 'collect');
    expect(printer.counters.total).toBe(1);
    expect(kiosk.app.ledger.totals()).toMatchObject({ loaded: 0, printed: 1, remaining: -1 });
    await expect.poll(() => kiosk.central.completionsOf(no), { timeout: 10_000 }).toBe(1);
  }, 60_000);
});
