import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestKiosk } from '../support/kiosk.ts';
import { type KioskInChromium, openKioskInChromium } from '../support/kiosk-in-chromium.ts';

/**
 * Calling staff through the whole kiosk (central-api.yaml assistance-requests, kiosk-runtime.md 1.1):
 * the applicant touches "call staff" in Chromium; the request reaches the central API within 5 s with
 * the screen and the session's reference; every screen shows that staff are on their way, also in the
 * next session; a second touch sends nothing new; the metric says so; and a technician closes it in
 * the maintenance menu.
 */
const KIA = '3574-KIA-2611-000124';
const TECHNICIAN = 'T-3574-01';
const PIN = '246810';
const WAIT = { timeout: 30_000 };

let opened: KioskInChromium;
let kiosk: TestKiosk;
let page: Page;

beforeAll(async () => {
  opened = await openKioskInChromium({ config: { metrics: { host: '127.0.0.1', port: 0 } } });
  ({ kiosk, page } = opened);
}, 120_000);

afterAll(async () => {
  await opened?.close();
});

const requests = () => kiosk.central.records.assistanceRequests;
const metric = async () => {
  const text = await (await fetch(kiosk.app.metricsUrl!)).text();
  return /^adm_assistance_requested(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1];
};
const requested = (p: Page) => p.locator('[data-assistance="requested"]');

describe('calling staff', { timeout: 120_000 }, () => {
  it('reaches the central API within 5 s, shows on every screen of the session and the next, and counts once', async () => {
    kiosk.scan(await kiosk.central.mintPrintCode(KIA));
    await page.locator('[data-screen="confirm"]').waitFor(WAIT);

    const before = requests().length;
    const touched = Date.now();
    await page.locator('[data-action="call-staff"]').click();
    await expect.poll(() => requests().length, { timeout: 5_000, interval: 50 }).toBe(before + 1);
    expect(Date.now() - touched).toBeLessThan(5_000);
    const sent = requests().at(-1)!;
    expect(sent).toMatchObject({ kioskId: kiosk.config.kioskId, body: { screen: 'confirm' } });
    const reference = sent.body.reference;
    expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);

    await requested(page).waitFor(WAIT);
    expect(await requested(page).innerText()).toContain('Petugas sedang menuju ke sini');
    await expect.poll(metric, WAIT).toBe('1');

    // The session ends; the call stays open on the next screens (staff are still on their way).
    await page.locator('[data-action="cancel"]').click();
    await page.locator('[data-screen="home"]').waitFor(WAIT);
    // The reference sent with the call is the session's own (its release carries it too).
    await expect
      .poll(() => kiosk.central.records.releases.find((r) => r.applicationNo === KIA)?.reference, WAIT)
      .toBe(reference);
    await requested(page).waitFor(WAIT);
    await page.locator('[data-action="language"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await requested(page).innerText()).toContain('Staff are on their way');
    await page.locator('[data-action="language"]').click();

    // A second touch within the 5 minutes sends nothing new.
    await page.locator('[data-action="call-staff"]').click();
    await new Promise((r) => setTimeout(r, 1500));
    expect(requests().length).toBe(before + 1);
  });

  it('a technician closes it in the maintenance menu: the screens, the metric and the audit follow', async () => {
    kiosk.scan(await kiosk.central.mintBadge(TECHNICIAN));
    await page.locator('[data-screen="maintenance-pin"]').waitFor(WAIT);
    await page.fill('[data-form="pin"] [name="pin"]', PIN);
    await page.locator('[data-form="pin"] [data-action="pin"]').click();
    await page.locator('[data-screen="maintenance-checklist"]').waitFor(WAIT);
    expect(await page.locator('[data-value="assistance"]').count()).toBe(1);
    await page.locator('[data-action="clear-assistance"]').click();
    await expect
      .poll(() => page.locator('[data-notice]').getAttribute('data-notice'), WAIT)
      .toBe('assistance-cleared');
    expect(await page.locator('[data-value="assistance"]').count()).toBe(0);
    await expect.poll(metric, WAIT).toBe('0');
    expect(
      kiosk.app.audit.entries().some((e) => e.type === 'maintenance' && e.outcome === 'assistance-cleared'),
    ).toBe(true);
    await page.locator('[data-action="logout"]').click();
    await page.locator('[data-screen="home"]').waitFor(WAIT);
    expect(await requested(page).count()).toBe(0);

    // The next applicant can call again: a new request goes out.
    const before = requests().length;
    await page.locator('[data-action="call-staff"]').click();
    await expect.poll(() => requests().length, { timeout: 5_000, interval: 50 }).toBe(before + 1);
    expect(requests().at(-1)).toMatchObject({ body: { screen: 'home' } });
  });
});
