import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { startKiosk, type TestKiosk } from '../../test/support/kiosk.ts';

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
});
