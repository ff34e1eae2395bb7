import type { Page } from 'playwright-core';
import { kioskPage, launchChromium } from '../support/browser.ts';
import { startKiosk } from '../support/kiosk.ts';
import type { Report } from './harness.ts';

/** Sessions through the UI before its heap is read (issue 20). */
const SESSIONS = 100;

/**
 * The UI's JavaScript heap in Chromium (Debian's, through playwright-core) after 100 sessions driven
 * through the real UI over the real kiosk (core, browser host, central API simulator, simulated
 * devices): card and A4 applications in turn, each scanned, confirmed on screen (the A4 ones with their
 * preview shown), printed and the survey skipped. Read after a full collection (CDP
 * `HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage`), at the start and after the sessions.
 */
export async function bench(report: Report): Promise<void> {
  const kiosk = await startKiosk({
    devices: {
      cardPrinter: { driver: 'sim', timeFactor: 0.0005, blankCards: SESSIONS + 10 },
      paperPrinter: { driver: 'sim', timeFactor: 0.001, paperSheets: SESSIONS * 5 },
      scanner: { driver: 'sim' },
    },
    delays: { collectMs: 0, doneMs: 0 },
  });
  kiosk.app.cardSim!.loadRibbon(10_000);
  const browser = await launchChromium();
  try {
    const { page } = await kioskPage(browser);
    await page.goto(kiosk.url);
    await page.locator('[data-screen="home"]').waitFor();
    const atStart = await heapMb(page);
    // Applications the simulator serves good documents for (the soak's): cards, then A4 documents.
    const card = ['3574-KIA-2611-000123', '3574-KTP-2611-000046', '3574-KIA-2611-000124'];
    const a4 = ['3574-KK-2611-000200', '3574-AKL-2611-000300', '3574-BIO-2611-000350'];
    for (let i = 0; i < SESSIONS; i++) {
      const list = i % 2 === 0 ? card : a4;
      const applicationNo = list[Math.floor(i / 2) % list.length]!;
      kiosk.central.setStatus(applicationNo, 'READY');
      await page.locator('[data-screen="home"]').waitFor({ timeout: 20_000 });
      kiosk.scan(await kiosk.central.mintPrintCode(applicationNo));
      await page
        .locator('[data-screen="confirm"]')
        .waitFor({ timeout: 20_000 })
        .catch((e: Error) => {
          throw new Error(
            `${applicationNo}: ${e.message.split('\n')[0]}; the kiosk shows ${JSON.stringify(kiosk.app.core.currentView()).slice(0, 300)}`,
          );
        });
      await page.locator('[data-action="confirm"]').click();
      await page.locator('[data-screen="survey"]').waitFor({ timeout: 30_000 });
      await page.locator('[data-action="skip"]').click();
    }
    await page.locator('[data-screen="home"]').waitFor({ timeout: 20_000 });
    report({ name: 'memory.ui.heap-start', unit: 'MB', value: atStart });
    report({ name: 'memory.ui.heap-after-100', unit: 'MB', value: await heapMb(page), n: SESSIONS });
  } finally {
    await browser.close();
    await kiosk.stop();
  }
}

/** The page's JS heap in use after a full collection, in MB. */
async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / 2 ** 20;
  } finally {
    await cdp.detach();
  }
}
