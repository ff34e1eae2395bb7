import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { IDLE_LOGOUT_MS, LOCKOUT_MS, MAX_PIN_ATTEMPTS } from '../../kiosk/maintenance/auth.ts';
import { LOGIN_IDLE_MS } from '../../kiosk/maintenance/controller.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { type KioskInChromium, openKioskInChromium } from '../support/kiosk-in-chromium.ts';

/**
 * Lockout, its expiry and the idle logout through the real kiosk and Chromium, on a simulated clock:
 * the kiosk, its central API simulator and its devices all run on one ManualClock that the test moves
 * forward in small steps while the real I/O (the device line, the browser host) goes on between them.
 */
const TECHNICIAN = 'T-3574-01';
const PIN = '246810';
const START = Date.parse('2026-11-22T03:00:00Z');
/** Small enough that the card printer's 500 ms reply deadline never passes before a reply is read. */
const STEP_MS = 200;
const WAIT = { timeout: 30_000 };

let clock: ManualClock;
let opened: KioskInChromium;
let kiosk: TestKiosk;
let page: Page;

beforeAll(async () => {
  clock = new ManualClock(START);
  opened = await openKioskInChromium({ clock });
  ({ kiosk, page } = opened);
}, 120_000);

afterAll(async () => {
  await opened?.close();
});

/** Moves the simulated clock by `ms`, letting real I/O run between steps. */
async function advance(ms: number): Promise<void> {
  for (let done = 0; done < ms; done += STEP_MS) {
    await clock.advanceAsync(Math.min(STEP_MS, ms - done));
    await new Promise((r) => setTimeout(r, 1));
  }
}

const onScreen = (screen: string) => page.locator(`[data-screen="${screen}"]`).waitFor(WAIT);
const notice = () => page.locator('[data-notice]').getAttribute('data-notice', { timeout: 1000 });
const lockouts = () =>
  kiosk.app.audit.entries({ type: 'maintenance' }).filter((e) => e.outcome === 'locked-out');

async function pin(value: string): Promise<void> {
  await page.fill('[data-form="pin"] [name="pin"]', value, WAIT);
  await page.locator('[data-form="pin"] [data-action="pin"]').click(WAIT);
}

async function badge(): Promise<void> {
  kiosk.scan(await kiosk.central.mintBadge(TECHNICIAN));
}

describe('technician lockout on a simulated clock, through the real kiosk', { timeout: 180_000 }, () => {
  it('five wrong PINs lock the technician out; the right PIN is not even asked for', async () => {
    await badge();
    await onScreen('maintenance-pin');
    for (let i = 1; i < MAX_PIN_ATTEMPTS; i++) {
      await pin('000000');
      await expect
        .poll(() => page.locator('[data-attempts-left]').getAttribute('data-attempts-left'), WAIT)
        .toBe(String(MAX_PIN_ATTEMPTS - i));
    }
    await pin('000000');
    await onScreen('maintenance-login');
    await expect.poll(() => notice(), WAIT).toBe('locked');
    expect(await page.locator('[data-locked-until]').getAttribute('data-locked-until')).toBe(
      String(START + LOCKOUT_MS),
    );
    expect(lockouts()).toHaveLength(1);
    expect(lockouts()[0]).toMatchObject({ technicianId: TECHNICIAN, detail: { until: START + LOCKOUT_MS } });
    // No id can be typed; the badge again gets the same answer: no PIN prompt.
    expect(await page.locator('[data-screen="maintenance-login"] input').count()).toBe(0);
    await badge();
    await expect.poll(() => notice(), WAIT).toBe('locked');
    expect(await page.locator('[data-screen="maintenance-pin"]').count()).toBe(0);
  });

  it('an untouched login prompt goes back to the applicant home by itself', async () => {
    await advance(LOGIN_IDLE_MS);
    await onScreen('home');
    expect(kiosk.app.core.currentView().screen).toBe('home');
  });

  it('a second before the 15 minutes run out, a fresh badge is still refused', async () => {
    await advance(LOCKOUT_MS - LOGIN_IDLE_MS - 1000);
    await badge();
    await onScreen('maintenance-login');
    await expect.poll(() => notice(), WAIT).toBe('locked');
    await page.locator('[data-action="exit"]').click(WAIT);
    await onScreen('home');
  });

  it('after 15 minutes the technician gets in with the right PIN', async () => {
    await advance(1000);
    expect(clock.now()).toBeGreaterThanOrEqual(START + LOCKOUT_MS);
    await badge();
    await onScreen('maintenance-pin');
    // The count started afresh: one wrong PIN leaves four.
    await pin('111111');
    await expect
      .poll(() => page.locator('[data-attempts-left]').getAttribute('data-attempts-left'), WAIT)
      .toBe(String(MAX_PIN_ATTEMPTS - 1));
    await pin(PIN);
    await onScreen('maintenance-checklist');
    expect(lockouts()).toHaveLength(1);
  });

  it('an idle technician is logged out and the applicant home comes back', async () => {
    await advance(IDLE_LOGOUT_MS - 5000);
    expect(kiosk.app.core.currentView().screen).toBe('maintenance-checklist');
    await advance(5000);
    await onScreen('home');
    const last = kiosk.app.audit.entries({ type: 'maintenance' }).at(-1)!;
    expect(last).toMatchObject({ technicianId: TECHNICIAN, outcome: 'logout', detail: { reason: 'idle' } });
  });
});
