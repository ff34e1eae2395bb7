import type { Browser, Page } from 'playwright-core';
import { kioskPage, launchChromium } from './browser.ts';
import { type StartKioskOptions, startKiosk, type TestKiosk } from './kiosk.ts';

/** A whole test kiosk shown in Chromium, on `home`. */
export interface KioskInChromium {
  kiosk: TestKiosk;
  browser: Browser;
  page: Page;
  /** Closes the browser, then stops the kiosk. */
  close(): Promise<void>;
}

/**
 * Starts a test kiosk, opens its page in a kiosk-sized Chromium and waits for `home`: the set-up of
 * every test that drives the real UI over the real core.
 */
export async function openKioskInChromium(
  opts: StartKioskOptions = {},
  waitMs = 30_000,
): Promise<KioskInChromium> {
  const kiosk = await startKiosk(opts);
  const browser = await launchChromium();
  const page = (await kioskPage(browser)).page;
  await page.goto(kiosk.url);
  await page.locator('[data-screen="home"]').waitFor({ timeout: waitMs });
  return {
    kiosk,
    browser,
    page,
    close: async () => {
      await browser.close();
      await kiosk.stop();
    },
  };
}
