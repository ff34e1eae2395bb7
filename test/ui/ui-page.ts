import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { View } from '../../kiosk/view.ts';
import { buildUi } from '../../ui/build.ts';
import { startUiHarness, type UiHarness } from '../support/ui-harness.ts';

/** Where the test run saves a screenshot of every screen (kiosk-size, 1080x1920). */
export const SCREENS_DIR = resolve(import.meta.dirname, '..', 'output', 'screens');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** A freshly built UI, served by the harness, open in Debian's Chromium at the kiosk's size. */
export interface UiSession {
  harness: UiHarness;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Pushes a View and waits until its screen is on the page. */
  show(view: View): Promise<void>;
  close(): Promise<void>;
}

/**
 * A 1080 x 1920 touch page in a fresh context. Debian's Chromium attaches its own `browser_ui` targets
 * (the omnibox popup) to a new context, and now and then Playwright's `newPage` trips over them
 * ("Cannot read properties of undefined (reading '_page')"): a fresh context is then tried again.
 */
async function newKioskPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  for (let attempt = 1; ; attempt++) {
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    try {
      return { context, page: await context.newPage() };
    } catch (error) {
      await context.close().catch(() => undefined);
      if (attempt >= 3) throw error;
    }
  }
}

export async function openUi(initial: View): Promise<UiSession> {
  const work = await mkdtemp(join(tmpdir(), 'adm-ui-'));
  const built = await buildUi({ outDir: join(work, 'ui'), minify: false });
  if (!built.ok) throw new Error(built.error.join('\n'));
  const harness = await startUiHarness(built.value.outDir, initial);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const { context, page } = await newKioskPage(browser);
  await page.goto(harness.url);
  await page.waitForSelector(`[data-screen="${initial.screen}"]`);
  await mkdir(SCREENS_DIR, { recursive: true });
  return {
    harness,
    browser,
    context,
    page,
    async show(view) {
      harness.push(view);
      const selector =
        view.screen === 'error'
          ? `[data-screen="${view.screen}"][data-reason="${view.reason}"]`
          : `[data-screen="${view.screen}"]`;
      await page.waitForSelector(selector);
      await page.waitForFunction((locale) => document.documentElement.lang === locale, view.locale);
    },
    async close() {
      await browser.close();
      await harness.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}
