import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cupsd } from '../support/cupsd.ts';
import { type TestKiosk, waitForView } from '../support/kiosk.ts';
import { startKioskOnCups } from '../support/kiosk-on-cups.ts';

/**
 * A paper queue that is only paused (`cupsdisable` on a real CUPS) is not a printer out of paper: the
 * applicant is told the printer is paused and a technician has been told (the reason stays
 * `out-of-supplies`, kiosk-runtime.md's list), the technician has an incident, and once the queue is
 * enabled again the kiosk prints.
 */
let cups: Cupsd;
let kiosk: TestKiosk;
let stop: (() => Promise<void>) | undefined;
const A4_APP = '3574-KK-2611-000200';

beforeAll(async () => {
  ({ cups, kiosk, stop } = await startKioskOnCups());
}, 60_000);

afterAll(async () => {
  await stop?.();
});

const openKinds = () => kiosk.app.incidents.open().map((i) => i.kind);

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a paused paper queue', () => {
  it('says the printer is paused, raises an incident, and prints again once enabled', async () => {
    await waitForView(kiosk, (v) => v.screen === 'home');
    await cups.admin('cupsdisable', [cups.queue]);
    // The device poll (every 5 s) sees the stopped queue.
    await until(() => openKinds().includes('paper-queue-disabled'), 15_000);
    expect(kiosk.app.core.currentView().available).toMatchObject({ a4: false, card: true });

    kiosk.scan(await kiosk.central.mintPrintCode(A4_APP));
    const refused = await waitForView(kiosk, (v) => v.screen === 'error');
    expect(refused).toMatchObject({ reason: 'out-of-supplies', paused: true });
    // Nothing was claimed for it.
    expect(kiosk.central.records.claims.filter((c) => c.applicationNo === A4_APP)).toEqual([]);
    kiosk.app.core.send({ type: 'home' });

    await cups.admin('cupsenable', [cups.queue]);
    await until(() => kiosk.app.core.currentView().available?.a4 === true, 15_000);
    kiosk.scan(await kiosk.central.mintPrintCode(A4_APP));
    const next = await waitForView(kiosk, (v) => v.screen === 'confirm' || v.screen === 'error');
    expect(next.screen).toBe('confirm');
    kiosk.app.core.send({ type: 'cancel' });
  }, 60_000);
});
