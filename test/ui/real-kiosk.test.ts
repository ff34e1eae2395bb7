import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestKiosk } from '../support/kiosk.ts';
import { type KioskInChromium, openKioskInChromium } from '../support/kiosk-in-chromium.ts';

/** The UI through the real kiosk: core, browser host, central API simulator and simulated devices. */
let opened: KioskInChromium;
let kiosk: TestKiosk;
let page: Page;

beforeAll(async () => {
  opened = await openKioskInChromium();
  ({ kiosk, page } = opened);
}, 120_000);

afterAll(async () => {
  await opened?.close();
});

describe('the UI over the real kiosk', () => {
  it('switches language through the core and back', async () => {
    await page.locator('[data-action="language"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.locator('h1').innerText()).toContain('Print your');
    await page.getByRole('button', { name: 'Ganti bahasa ke Bahasa Indonesia' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'id');
  });

  it('spoken guidance: its volume turns down and up on screen, plays at that volume, and resets when the session ends', async () => {
    // Record each clip's volume instead of playing it.
    await page.evaluate(() => {
      const heard: number[] = [];
      (window as unknown as { heard: number[] }).heard = heard;
      HTMLAudioElement.prototype.play = function play(this: HTMLAudioElement) {
        heard.push(this.volume);
        setTimeout(() => this.dispatchEvent(new Event('ended')), 0);
        return Promise.resolve();
      };
    });
    const heard = () => page.evaluate(() => (window as unknown as { heard: number[] }).heard.splice(0));
    expect(await page.locator('[data-action="volume-down"]').count()).toBe(0);
    await page.locator('[data-action="audio"]').click();
    const level = page.locator('.volume-level');
    await level.waitFor();
    expect(await level.getAttribute('data-volume')).toBe('70');
    await page.getByRole('button', { name: 'Kecilkan suara' }).click();
    await page.waitForFunction(
      () => document.querySelector('.volume-level')?.getAttribute('data-volume') === '60',
    );
    await page.locator('[data-action="volume-down"]').click();
    await page.waitForFunction(
      () => document.querySelector('.volume-level')?.getAttribute('data-volume') === '50',
    );
    await heard();
    await page.locator('[data-action="info"]').click();
    await page.locator('[data-screen="info"]').waitFor();
    await page.waitForFunction(() => (window as unknown as { heard: number[] }).heard.length > 0);
    expect(new Set(await heard())).toEqual(new Set([0.5]));
    // The volume buttons sit with the helpers, in the lower two thirds (seated reach).
    const box = await page.locator('[data-action="volume-up"]').boundingBox();
    expect(box!.y).toBeGreaterThan(1920 / 3);
    await page.locator('[data-action="home"]').click();
    await page.locator('[data-screen="home"]').waitFor();
    // The session ended at home: spoken guidance is off, and the next one starts at the configured volume.
    await page.waitForFunction(() => !document.querySelector('.volume-level'));
    await page.locator('[data-action="audio"]').click();
    await page.waitForFunction(
      () => document.querySelector('.volume-level')?.getAttribute('data-volume') === '70',
    );
    await page.locator('[data-action="audio"]').click();
  });

  it('shows service information and goes home', async () => {
    await page.locator('[data-action="info"]').click();
    await page.locator('[data-screen="info"]').waitFor();
    await page.locator('[data-info="kia"]').click();
    expect(await page.locator('[data-screen="info"]').innerText()).toContain('2 hari kerja');
    await page.locator('[data-action="home"]').click();
    await page.locator('[data-screen="home"]').waitFor();
  });

  it('refuses a foreign code on the error screen with the helpdesk, and goes home', async () => {
    kiosk.scan('NOT-A-PRINT-CODE');
    await page.locator('[data-screen="error"][data-reason="invalid-qr"]').waitFor();
    const text = await page.locator('[data-screen="error"]').innerText();
    if (kiosk.config.helpdesk?.phone) expect(text).toContain(kiosk.config.helpdesk.phone);
    expect(await page.locator('[data-action="retry"]').count()).toBe(0);
    await page.locator('[data-action="home"]').click();
    await page.locator('[data-screen="home"]').waitFor();
  });

  it('cancels on confirm: the claim is released and nothing prints', async () => {
    const no = '3574-KIA-2611-000123';
    kiosk.scan(await kiosk.central.mintPrintCode(no));
    await page.locator('[data-screen="confirm"]').waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('.preview img') as HTMLImageElement | null;
      return Boolean(img?.complete) && (img?.naturalWidth ?? 0) > 0;
    });
    await page.locator('[data-action="cancel"]').click();
    await page.locator('[data-screen="home"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => kiosk.central.liveClaims().length, { timeout: 10_000 }).toBe(0);
    expect(kiosk.central.completionsOf(no)).toBe(0);
  });
});
