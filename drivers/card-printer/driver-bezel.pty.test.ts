import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { panels, ptyRig, TIME_FACTOR } from '../../test/support/card-printer-pty-rig.ts';
import { openSerialTransport } from '../transport/serial.ts';
import { CardPrinterDriver } from './driver.ts';
import { CardPrinterSimulator } from './simulator/simulator.ts';

/**
 * (1.1) The exit bezel, over a socat pty and the real serial binding: learnt at start, read and
 * emptied on a printer that has one, never asked of a printer that has none.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('card printer driver: exit bezel (1.1)', () => {
  it('learns at start that the printer has a bezel; the printed card waits there until taken', async () => {
    const { sim, driver } = await ptyRig(cleanups, { bezel: true });
    expect(await driver.hasBezel()).toEqual({ ok: true, value: true });
    expect(await driver.readBezel()).toEqual({ ok: true, value: 'EMPTY' });
    expect(await driver.printCard(panels())).toEqual({
      kind: 'printed',
      before: { total: 0, spoiled: 0 },
      after: { total: 1, spoiled: 0 },
    });
    expect(await driver.readBezel()).toEqual({ ok: true, value: 'CARD' });
    expect((await driver.getStatus()).state).toBe('READY');
    sim.takeCard();
    expect(await driver.readBezel()).toEqual({ ok: true, value: 'EMPTY' });
  });

  it('a card nobody took: the next print is `card-waiting` without sending a byte; Sbz;r draws it back (Rco;rt)', async () => {
    const { sim, driver } = await ptyRig(cleanups, { bezel: true });
    expect((await driver.printCard(panels())).kind).toBe('printed');
    const heardBefore = sim.heard.length;
    expect(await driver.printCard(panels())).toEqual({
      kind: 'card-waiting',
      before: { total: 1, spoiled: 0 },
      after: { total: 1, spoiled: 0 },
      fault: 'CARD_WAITING',
    });
    expect(sim.heard.slice(heardBefore).filter((c) => !c.startsWith('R'))).toEqual([]);
    expect(await driver.drawBackCard()).toEqual({ ok: true, value: undefined });
    expect(await driver.readBezel()).toEqual({ ok: true, value: 'EMPTY' });
    // Drawn back: counted apart from spoiled cards, as printed.
    expect(await driver.readCounters()).toEqual({
      ok: true,
      value: { total: 1, spoiled: 0, sinceCleaning: 1, returned: 1 },
    });
    expect((await driver.printCard(panels())).kind).toBe('printed');
    // Drawing back an empty bezel is fine too.
    sim.takeCard();
    expect(await driver.drawBackCard()).toEqual({ ok: true, value: undefined });
    expect(sim.returned).toBe(1);
  });

  it('a kiosk that died while a card waited finds it at restart and draws it back; the card stays printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'card-bezel-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const stateDir = join(dir, 'sim');
    const first = await ptyRig(cleanups, { bezel: true, stateDir });
    expect((await first.driver.printCard(panels())).kind).toBe('printed');
    await first.driver.close();
    await first.unplug();
    await first.sim.close();

    // Power back, kiosk restarted: the card is still in the bezel.
    const sim = new CardPrinterSimulator({ stateDir, timeFactor: TIME_FACTOR, bezel: true });
    cleanups.push(() => sim.close());
    const link = join(dir, 'ttyCARD2');
    const served = await sim.serveOnPty(link);
    if ('error' in served) throw new Error(served.error);
    cleanups.push(() => served.close());
    const driver = new CardPrinterDriver(() => openSerialTransport(link));
    cleanups.push(() => driver.close());
    await driver.start();
    expect(await driver.readBezel()).toEqual({ ok: true, value: 'CARD' });
    expect(await driver.drawBackCard()).toEqual({ ok: true, value: undefined });
    expect(await driver.readCounters()).toEqual({
      ok: true,
      value: { total: 1, spoiled: 0, sinceCleaning: 1, returned: 1 },
    });
  });

  it('a printer without a bezel: one Rbz at start, then neither Rbz nor Sbz;r, whatever the kiosk asks', async () => {
    const { sim, driver } = await ptyRig(cleanups);
    expect(await driver.hasBezel()).toEqual({ ok: true, value: false });
    expect(await driver.readBezel()).toEqual({ ok: false, error: 'NO_BEZEL' });
    expect(await driver.drawBackCard()).toEqual({ ok: false, error: 'NO_BEZEL' });
    expect((await driver.printCard(panels())).kind).toBe('printed');
    expect(await driver.readCounters()).toEqual({
      ok: true,
      value: { total: 1, spoiled: 0, sinceCleaning: 1, returned: 0 },
    });
    expect(sim.heard.filter((c) => c === 'Rbz')).toHaveLength(1);
    expect(sim.heard.filter((c) => c.startsWith('Sbz'))).toEqual([]);
  });

  it('Rco;cl counts cards since the head was cleaned; a technician’s cleaning starts it again', async () => {
    const { sim, driver } = await ptyRig(cleanups);
    expect((await driver.printCard(panels())).kind).toBe('printed');
    expect((await driver.printCard(panels())).kind).toBe('printed');
    expect(await driver.readCounters()).toMatchObject({ ok: true, value: { sinceCleaning: 2 } });
    sim.cleanHead();
    expect(await driver.readCounters()).toMatchObject({ ok: true, value: { total: 2, sinceCleaning: 0 } });
  });
});
