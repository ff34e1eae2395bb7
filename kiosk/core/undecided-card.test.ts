import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { startKiosk, type TestKiosk } from '../../test/support/kiosk.ts';
import type { View } from '../view.ts';

let kiosk: TestKiosk | undefined;
afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
});

async function pump(k: TestKiosk, clock: ManualClock, until: (v: View) => boolean, stepMs = 100, max = 4000) {
  for (let i = 0; i < max; i++) {
    if (until(k.app.core.currentView())) return;
    await clock.advanceAsync(stepMs);
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`not reached: ${JSON.stringify(k.app.core.currentView()).slice(0, 200)}`);
}

describe('a card whose fate the printer cannot tell', () => {
  it('holds card service, keeps the claim, and settles it from the counters once the printer answers', async () => {
    const clock = new ManualClock(Date.now());
    kiosk = await startKiosk({ clock });
    const k = kiosk;
    const no = '3574-KIA-2611-000123';
    await pump(k, clock, (v) => v.screen === 'home');
    k.scan(await k.central.mintPrintCode(no));
    await pump(k, clock, (v) => v.screen === 'confirm', 20);
    const sim = k.app.cardSim!;
    // The line goes quiet once the card is fed (the driver reports `card-fed` as progress 0.3).
    const off = k.app.core.subscribe((v) => {
      if (v.screen === 'printing' && (v.printing?.progress ?? 0) >= 0.3) {
        sim.setSilent(true);
        queueMicrotask(() => off());
      }
    });
    k.app.core.send({ type: 'confirm' });
    // The printer stays silent past the kiosk's wait: the applicant is told, nothing is guessed.
    await pump(k, clock, (v) => v.screen === 'error', 200, 6000);
    expect(k.app.core.currentView()).toMatchObject({ screen: 'error', reason: 'device-fault' });
    await k.app.outbox.flush(true);
    expect(k.central.liveClaims().map((c) => c.applicationNo)).toEqual([no]);
    expect(k.central.records.releases).toHaveLength(0);
    expect(k.app.incidents.open().some((i) => i.kind === 'card-outcome-unknown')).toBe(true);
    k.app.core.send({ type: 'home' });
    await pump(k, clock, (v) => v.screen === 'home' || v.screen === 'out-of-service');
    expect(k.app.core.currentView().available.card).toBe(false);
    expect(k.app.journal.openSessions()).toHaveLength(1);

    // The printer answers again: the card it finished meanwhile is completed, once, and cards come back.
    sim.setSilent(false);
    await pump(k, clock, (v) => v.available.card, 200, 4000);
    await k.app.outbox.flush(true);
    const printed = sim.counters.total;
    expect(k.central.completionsOf(no)).toBe(printed);
    expect(k.central.liveClaims().length + k.central.records.releases.length).toBe(printed === 1 ? 0 : 1);
    expect(k.app.journal.openSessions()).toHaveLength(0);
  }, 120_000);
});
