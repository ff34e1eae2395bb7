/**
 * Writes the README's screenshots into `docs/images/` (`npx tsx test/ui/docs-screenshots.ts`): most
 * screens from Views pushed to the UI harness, the confirm screens from a running kiosk (the card as the
 * printer renders it, the KK page through pdf.js).
 */
import { join } from 'node:path';
import { ROOT } from '../../kiosk/paths.ts';
import type { View } from '../../kiosk/view.ts';
import { kioskPage, launchChromium } from '../support/browser.ts';
import { startKiosk } from '../support/kiosk.ts';
import { applicantView } from './applicant-views.ts';
import { openUi } from './ui-page.ts';

const IMAGES = join(ROOT, 'docs', 'images');

const PUSHED: Array<[file: string, view: View]> = [
  ['screen-home', applicantView('home')],
  ['screen-home-en', { ...applicantView('home'), locale: 'en' }],
  ['screen-home-large', { ...applicantView('home'), largeText: true, audio: true, volume: 70 }],
  ['screen-error-paused', applicantView('error-out-of-supplies-paused')],
  ['screen-pin', applicantView('pin-wrong')],
  ['screen-manual-entry', applicantView('manual-entry')],
  ['screen-printing', applicantView('printing')],
  ['screen-collect', applicantView('collect')],
  ['screen-survey', applicantView('survey')],
  ['screen-error-not-ready', applicantView('error-not-ready')],
  ['screen-error-device-fault', { ...applicantView('error-device-fault'), assistance: 'requested' }],
  ['screen-info', applicantView('info')],
  ['screen-nik-entry', applicantView('nik-entry')],
  ['screen-nik-entry-en', { ...applicantView('nik-entry'), locale: 'en' }],
  ['screen-choose', applicantView('choose')],
  ['screen-choose-en', { ...applicantView('choose'), locale: 'en' }],
];

/** Application numbers of the central API simulator's seed, and whether to show them in large text. */
const FROM_KIOSK: Array<[file: string, applicationNo: string, largeText: boolean]> = [
  ['screen-confirm', '3574-KIA-2611-000123', false],
  ['screen-confirm-a4', '3574-KK-2611-000200', false],
  ['screen-confirm-large', '3574-KTP-2611-000045', true],
];

async function pushed(): Promise<void> {
  const ui = await openUi(applicantView('home'));
  try {
    for (const [file, view] of PUSHED) {
      await ui.show(view);
      if (file === 'screen-manual-entry')
        for (const key of '3574KIA26') await ui.page.click(`[data-key="${key}"]`);
      if (file.startsWith('screen-nik-entry'))
        for (const key of '35740123018') await ui.page.click(`[data-key="${key}"]`);
      await ui.page.waitForTimeout(300);
      await ui.page.screenshot({ path: join(IMAGES, `${file}.png`) });
    }
  } finally {
    await ui.close();
  }
}

async function fromKiosk(): Promise<void> {
  const kiosk = await startKiosk();
  const browser = await launchChromium();
  try {
    const { page } = await kioskPage(browser);
    await page.goto(kiosk.url);
    await page.locator('[data-screen="home"]').waitFor();
    for (const [file, no, largeText] of FROM_KIOSK) {
      if (largeText) {
        await page.locator('[data-action="text-size"]').click();
        await page.waitForFunction(() => document.documentElement.classList.contains('large-text'));
      }
      kiosk.scan(await kiosk.central.mintPrintCode(no));
      await page.waitForSelector('[data-screen="confirm"], [data-screen="pin"]', { timeout: 20_000 });
      if ((await page.getAttribute('[data-screen]', 'data-screen')) === 'pin') {
        for (const digit of kiosk.central.application(no)?.pin ?? '')
          await page.click(`[data-key="${digit}"]`);
      }
      await page.locator('[data-screen="confirm"]').waitFor({ timeout: 20_000 });
      await page.waitForFunction(() => {
        const img = document.querySelector('.preview img') as HTMLImageElement | null;
        return Boolean(img?.complete) && (img?.naturalWidth ?? 0) > 0;
      });
      await page.screenshot({ path: join(IMAGES, `${file}.png`) });
      await page.locator('[data-action="cancel"]').click();
      await page.locator('[data-screen="home"]').waitFor({ timeout: 20_000 });
    }
  } finally {
    await browser.close();
    await kiosk.stop();
  }
}

await pushed();
await fromKiosk();
console.log(`docs-screenshots: ${PUSHED.length + FROM_KIOSK.length} images in ${IMAGES}`);
