import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralApiSimulator } from '../../kiosk/central-api/sim/server.ts';
import { writeY4m } from '../camera/make-y4m.ts';
import { kioskPage, launchChromium } from '../support/browser.ts';
import { startKiosk, type TestKiosk } from '../support/kiosk.ts';

/**
 * The camera path through the whole kiosk: Chromium's fake camera plays a video of a print code; the
 * UI decodes it in its worker and sends only the text; the core checks it, looks the application up and
 * the flow moves on to `confirm`.
 */
let dir: string;
let central: CentralApiSimulator;
let kiosk: TestKiosk;
let browser: Browser;
const no = '3574-KTP-2611-000046';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adm-camera-kiosk-'));
  central = await CentralApiSimulator.start();
  await writeY4m(join(dir, 'code.y4m'), { text: await central.mintPrintCode(no), frames: 10 });
  kiosk = await startKiosk({
    central,
    devices: {
      cardPrinter: { driver: 'sim', timeFactor: 0.01, blankCards: 10 },
      scanner: { driver: 'camera' },
    },
  });
  browser = await launchChromium([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${join(dir, 'code.y4m')}`,
  ]);
});
afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
  await central?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a print code shown to the kiosk camera', () => {
  it('is decoded in the UI, reaches the core, and the flow moves on to confirm', async () => {
    const { page } = await kioskPage(browser);
    await page.goto(kiosk.url);
    await page.locator('[data-screen="home"]').waitFor();
    await page.locator('[data-screen="confirm"]').waitFor({ timeout: 30_000 });
    expect(central.liveClaims().map((c) => c.applicationNo)).toEqual([no]);
    // The camera reported itself to the core: its scanner is READY.
    expect(kiosk.app.core.devices().scanner.every((s) => s.state === 'READY')).toBe(true);
    await page.locator('[data-action="cancel"]').click();
    await page.locator('[data-screen="home"]').waitFor();
    await expect.poll(() => central.liveClaims().length, { timeout: 10_000 }).toBe(0);
  });
});
