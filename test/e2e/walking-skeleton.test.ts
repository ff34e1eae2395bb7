import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kioskPage, launchChromium } from '../support/browser.ts';
import { startKiosk, type TestKiosk } from '../support/kiosk.ts';

let kiosk: TestKiosk;
let browser: Browser;

beforeAll(async () => {
  kiosk = await startKiosk();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

describe('a code scanned at the kiosk becomes a printed KIA', () => {
  it('goes home -> checking -> confirm -> printing -> collect -> survey -> done -> home through the real UI', async () => {
    const { page } = await kioskPage(browser);
    await page.goto(kiosk.url);
    await page.locator('[data-screen="home"]').waitFor();

    const no = '3574-KIA-2611-000123';
    const code = await kiosk.central.mintPrintCode(no);
    kiosk.scan(code);

    await page.locator('[data-screen="confirm"]').waitFor();
    // The confirm screen masks the NIK: first 6 and last 4 digits only.
    const nik = kiosk.central.application(no).subject.nik;
    const confirmText = await page.locator('[data-screen="confirm"]').innerText();
    expect(confirmText).not.toContain(nik);
    expect(confirmText).toContain(`${nik.slice(0, 6)}******${nik.slice(12)}`);
    expect(kiosk.central.liveClaims().map((c) => c.applicationNo)).toEqual([no]);

    await page.locator('[data-action="confirm"]').click();
    await page.locator('[data-screen="collect"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-screen="survey"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-rating="4"]').click();
    await page.locator('[data-screen="done"]').waitFor();
    await page.locator('[data-screen="home"]').waitFor({ timeout: 20_000 });

    await expect.poll(() => kiosk.central.completionsOf(no), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => kiosk.central.records.feedback.length, { timeout: 10_000 }).toBe(1);
    const claims = kiosk.central.records.claims.filter((c) => c.applicationNo === no);
    expect(claims).toHaveLength(1);
    expect(claims[0]!.state).toBe('completed');
    expect(kiosk.central.records.completions[0]!.body).toMatchObject({ cardsPrinted: 1, pagesPrinted: 0 });
    await kiosk.app.cardSim!.flush();
    expect(kiosk.app.cardSim!.printedCards).toHaveLength(1);
    expect(kiosk.app.cardSim!.counters.total).toBe(1);
  });
});
