import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardPrinterSimulator } from '../../drivers/card-printer/index.ts';
import { startKiosk, type TestKiosk, waitForView } from '../support/kiosk.ts';

/**
 * Issue "Never twice", item 1, on the pty printer simulator with the real serial driver: the printer's
 * line carries garbage just as the card sequence ends (the reply to `Se` is lost) and is clean again a
 * moment later, while the card is still being printed. Counters readable and unchanged then prove
 * nothing: the printer is still PRINTING. The card's fate must wait for the printer, so the application
 * is completed once, never released while its card comes out, and a second scan cannot print it again.
 */
let dir: string;
let printer: CardPrinterSimulator;
let pty: { path: string; close: () => Promise<void> };
let kiosk: TestKiosk | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adm-glitch-'));
  // A card takes about 4 s here: long enough for the line to clear while it is still printing.
  printer = new CardPrinterSimulator({ stateDir: join(dir, 'printer'), timeFactor: 0.2, blankCards: 20 });
  const served = await printer.serveOnPty(join(dir, 'ttyCARD'));
  if ('error' in served) throw new Error(served.error);
  pty = served;
});

afterAll(async () => {
  await kiosk?.stop();
  await pty?.close();
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a card printer that glitches mid-print', () => {
  it('prints the card once and completes it; a second scan is refused as already printed', async () => {
    kiosk = await startKiosk({
      devices: {
        cardPrinter: { driver: 'serial', path: join(dir, 'ttyCARD') },
        paperPrinter: { driver: 'sim', timeFactor: 0.01, paperSheets: 50 },
        scanner: { driver: 'sim' },
      },
    });
    const k = kiosk;
    const no = '3574-KIA-2611-000123';
    const cardsBefore = printer.counters.total;
    await waitForView(k, (v) => v.screen === 'home');
    k.scan(await k.central.mintPrintCode(no));
    await waitForView(k, (v) => v.screen === 'confirm', 20_000);

    // The panels are sent (progress 0.2): the line turns to garbage for the reply to `Se`, then clears.
    let glitched = false;
    const off = k.app.core.subscribe((v) => {
      if (glitched || v.screen !== 'printing' || v.printing.progress < 0.2) return;
      glitched = true;
      printer.setGarbage(true);
      setTimeout(() => printer.setGarbage(false), 300);
    });
    k.app.core.send({ type: 'confirm' });
    const end = await waitForView(k, (v) => v.screen === 'collect' || v.screen === 'error', 60_000);
    off();
    expect(glitched).toBe(true);
    expect(end.screen).toBe('collect');
    expect(printer.counters.total - cardsBefore).toBe(1);

    await k.app.outbox.flush(true);
    expect(k.central.completionsOf(no)).toBe(1);
    expect(k.central.records.releases.filter((r) => r.applicationNo === no)).toHaveLength(0);

    // Back home, the same code again: the application is printed, nothing more comes out.
    await waitForView(k, (v) => v.screen === 'survey', 20_000);
    k.app.core.send({ type: 'skip' });
    await waitForView(k, (v) => v.screen === 'done', 20_000);
    k.app.core.send({ type: 'home' });
    await waitForView(k, (v) => v.screen === 'home', 20_000);
    k.scan(await k.central.mintPrintCode(no));
    const again = await waitForView(k, (v) => v.screen === 'error' || v.screen === 'confirm', 20_000);
    expect(again).toMatchObject({ screen: 'error', reason: 'already-printed' });
    expect(printer.counters.total - cardsBefore).toBe(1);
  }, 90_000);
});
