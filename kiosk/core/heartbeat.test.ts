import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { startKiosk, type TestKiosk, waitForView } from '../../test/support/kiosk.ts';

let kiosk: TestKiosk | undefined;
afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
});

async function pump(clock: ManualClock, ms: number) {
  for (let t = 0; t < ms; t += 250) {
    await clock.advanceAsync(250);
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('heartbeat', () => {
  it('goes every 60 s and on every change of a device state, with devices and supplies', async () => {
    const clock = new ManualClock(Date.now());
    kiosk = await startKiosk({ clock });
    const beats = () => kiosk!.central.records.heartbeats;
    await pump(clock, 2_000);
    expect(beats().length).toBeGreaterThanOrEqual(1);
    const first = beats().at(-1)!.body;
    expect(first).toMatchObject({
      state: 'IN_SERVICE',
      devices: { cardPrinter: 'READY', paperPrinter: 'READY', scanner: 'READY' },
      supplies: { blankCards: 100, paperSheets: 500 },
      outboxPending: 0,
    });
    expect(typeof first.softwareVersion).toBe('string');

    // Nothing changes for a minute: one more heartbeat, not a stream of them.
    const before = beats().length;
    await pump(clock, 60_000);
    expect(beats().length).toBe(before + 1);

    // A device changes state: a heartbeat goes at once (within the next device poll), not a minute later.
    const n = beats().length;
    kiosk.app.cardSim!.injectFault('COVER_OPEN');
    await pump(clock, 6_000);
    expect(beats().length).toBeGreaterThan(n);
    expect(beats().at(-1)!.body.devices).toMatchObject({ cardPrinter: 'COVER_OPEN' });
  }, 60_000);

  it('asks for the print head to be cleaned from 1,000 cards (Rco;cl), at once after the card that reached it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'adm-head-'));
    // The card printer simulator's saved state: 999 cards since the head was last cleaned.
    mkdirSync(join(dataDir, 'sim'), { recursive: true });
    writeFileSync(join(dataDir, 'sim', 'card-printer-sim.json'), JSON.stringify({ sinceCleaning: 999 }));
    try {
      kiosk = await startKiosk({ dataDir, delays: { collectMs: 0, doneMs: 0 } });
      const k = kiosk;
      const beats = () => k.central.records.heartbeats;
      await expect.poll(() => beats().length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(beats().at(-1)!.body.devices).not.toHaveProperty('cardPrinterHead');

      k.scan(await k.central.mintPrintCode('3574-KIA-2611-000123'));
      await waitForView(k, (v) => v.screen === 'confirm');
      k.app.core.send({ type: 'confirm' });
      await waitForView(k, (v) => v.screen === 'survey', 30_000);
      expect(k.app.cardSim!.sinceCleaning).toBe(1000);
      await expect
        .poll(() => beats().at(-1)?.body.devices, { timeout: 15_000, interval: 200 })
        .toMatchObject({ cardPrinter: 'READY', cardPrinterHead: 'CLEANING_DUE' });

      // The technician's checklist says so too, from the printer's own count.
      k.app.core.send({ type: 'skip' });
      await waitForView(k, (v) => v.screen === 'home');
      k.scan(await k.central.mintBadge('T-3574-01'));
      await waitForView(k, (v) => v.screen === 'maintenance-pin');
      k.app.core.send({ type: 'maintenance', action: 'pin', args: { pin: '246810' } });
      const m = await waitForView(k, (v) => v.screen === 'maintenance-checklist');
      expect(m.maintenance).toMatchObject({ checklist: { headCleaning: { cardsSince: 1000, due: true } } });
    } finally {
      await kiosk?.stop();
      kiosk = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
