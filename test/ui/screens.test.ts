import type { CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_REASONS, type Locale } from '../../kiosk/view.ts';
import { id } from '../../ui/i18n/id.ts';
import { baseView } from '../support/ui-harness.ts';
import { APPLICANT_VIEWS, applicantView } from './applicant-views.ts';
import { openUi, SCREENS_DIR, type UiSession } from './ui-page.ts';

const SCREENS = APPLICANT_VIEWS;

let ui: UiSession;
let cdp: CDPSession;

beforeAll(async () => {
  ui = await openUi(baseView());
  cdp = await ui.context.newCDPSession(ui.page);
});

afterAll(async () => {
  await ui?.close();
});

/** Every button Chromium's accessibility tree exposes, with the name a screen reader would read. */
async function accessibleButtons(): Promise<Array<{ name: string }>> {
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: Array<{ ignored: boolean; role?: { value: string }; name?: { value: string } }>;
  };
  return nodes
    .filter((node) => !node.ignored && node.role?.value === 'button')
    .map((node) => ({ name: String(node.name?.value ?? '') }));
}

describe('every screen, both languages', () => {
  for (const locale of ['id', 'en'] as Locale[]) {
    it(`renders each screen in ${locale} with one data-screen, named and big buttons, and saves a screenshot`, async () => {
      const { page } = ui;
      for (const [name, view] of SCREENS) {
        await ui.show({ ...view, locale });
        expect(await page.locator('[data-screen]').count(), name).toBe(1);
        const buttons = await accessibleButtons();
        // The technician's hidden corner is deliberately out of the accessibility tree (aria-hidden).
        const domButtons = await page.locator('button:not([aria-hidden="true"])').count();
        expect(buttons.length, name).toBe(domButtons);
        for (const button of buttons)
          expect(button.name.trim(), `${name}: a button without a name`).not.toBe('');
        for (const box of await page
          .locator('button:visible')
          .evaluateAll((els) =>
            els.map((el) => el.getBoundingClientRect()).map((r) => ({ w: r.width, h: r.height })),
          )) {
          expect(Math.min(box.w, box.h), `${name}: touch target`).toBeGreaterThanOrEqual(60);
        }
        expect(await page.locator('[data-action="language"]').count(), name).toBe(1);
        // Icons are the project's SVG files: emoji print as boxes on the kiosk's fonts.
        expect(await page.locator('body').innerText(), name).not.toMatch(/\p{Extended_Pictographic}/u);
        await page.screenshot({ path: `${SCREENS_DIR}/${name}-${locale}.png` });
      }
    });
  }

  it('speaks the View locale: Indonesian by default, English when told', async () => {
    const { page } = ui;
    await ui.show(baseView());
    const idTitle = await page.locator('h1').innerText();
    expect(idTitle).toContain('Cetak dokumen');
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await ui.show(baseView({ locale: 'en' }));
    expect(await page.locator('h1').innerText()).toContain('Print your');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
  });
});

describe('error screens', () => {
  it('show the reason, what to do, the helpdesk, home always and retry only where it helps', async () => {
    const { page } = ui;
    for (const reason of ERROR_REASONS) {
      const canRetry = reason === 'service-unavailable';
      await ui.show(baseView({ screen: 'error', reason, canRetry }));
      expect(await page.locator(`[data-screen="error"][data-reason="${reason}"]`).count()).toBe(1);
      expect(await page.locator('[data-action="home"]').count(), reason).toBe(1);
      expect(await page.locator('[data-action="retry"]').count(), reason).toBe(canRetry ? 1 : 0);
      const text = await page.locator('[data-screen]').innerText();
      expect(text, reason).toContain('(0335) 4438894');
      expect(text, reason).toContain('082350657770');
      expect(text, reason).toContain('dispendukkotaprob@gmail.com');
      expect(text, reason).toContain(id[`error.${reason}.next`].slice(0, 20));
    }
  });

  it('names the stage of an application still in process', async () => {
    await ui.show(baseView({ screen: 'error', reason: 'not-ready', stage: 'SIGNING' }));
    expect(await ui.page.locator('[data-screen]').innerText()).toContain(
      'Tahap saat ini: tanda tangan elektronik',
    );
    await ui.show(baseView({ screen: 'error', reason: 'not-ready', stage: 'DATA_ENTRY', locale: 'en' }));
    expect(await ui.page.locator('[data-screen]').innerText()).toContain('Current stage: data entry');
  });

  it('sends home and retry', async () => {
    const { page, harness } = ui;
    await ui.show(baseView({ screen: 'error', reason: 'service-unavailable', canRetry: true }));
    await page.click('[data-action="retry"]');
    await harness.waitForIntent((i) => i.type === 'retry');
    await page.click('[data-action="home"]');
    await harness.waitForIntent((i) => i.type === 'home');
  });
});

describe('the applicant path, tapped', () => {
  it('home: manual entry, info and language', async () => {
    const { page, harness } = ui;
    await ui.show(baseView());
    await page.click('[data-action="manual-entry"]');
    await harness.waitForIntent((i) => i.type === 'manual-entry');
    await page.click('[data-action="info"]');
    await harness.waitForIntent((i) => i.type === 'info');
    await page.click('[data-action="language"]');
    expect(await harness.waitForIntent((i) => i.type === 'language')).toEqual({
      type: 'language',
      locale: 'en',
    });
    await ui.show(baseView({ locale: 'en' }));
    await page.click('[data-action="language"]');
    expect(await harness.waitForIntent((i) => i.type === 'language')).toEqual({
      type: 'language',
      locale: 'id',
    });
  });

  it('pin: sends itself after the sixth digit, once, and clears after a wrong PIN', async () => {
    const { page, harness } = ui;
    await ui.show(baseView({ screen: 'pin', pin: { wrongCount: 0 } }));
    const before = harness.actions().length;
    for (const digit of '12345') await page.click(`[data-key="${digit}"]`);
    await page.click('[data-action="backspace"]');
    for (const digit of '56') await page.click(`[data-key="${digit}"]`);
    expect(await harness.waitForIntent((i) => i.type === 'pin')).toEqual({ type: 'pin', pin: '123456' });
    await page.click('[data-key="7"]');
    await page.click('[data-action="submit"]', { force: true });
    await page.waitForTimeout(200);
    expect(
      harness
        .actions()
        .slice(before)
        .filter((i) => i.type === 'pin'),
    ).toHaveLength(1);

    await ui.show(baseView({ screen: 'pin', pin: { wrongCount: 1, attemptsLeft: 2 } }));
    await page.waitForSelector('text=Sisa percobaan: 2');
    expect(await page.locator('.pin-box.filled').count()).toBe(0);
    for (const digit of '654321') await page.click(`[data-key="${digit}"]`);
    expect(await harness.waitForIntent((i) => i.type === 'pin' && i.pin === '654321')).toBeTruthy();
  });

  it('manual entry: the keyboard follows the number format, shows its groups, then the PIN', async () => {
    const { page, harness } = ui;
    await ui.show(baseView({ screen: 'manual-entry', manualEntry: { step: 'application-no' } }));
    // Letters only where the format has them: not in the region code.
    expect(await page.locator('[data-key="K"]').isDisabled()).toBe(true);
    for (const key of '3574KIA2611') await page.click(`[data-key="${key}"]`);
    expect(await page.locator('.appno-group').allInnerTexts()).toEqual(['3574', 'KIA', '2611']);
    expect(await page.locator('[data-key="K"]').isDisabled()).toBe(true);
    await page.click('[data-key="-"]', { force: true });
    for (const key of '000123') await page.click(`[data-key="${key}"]`);
    await page.click('[data-action="submit"]');
    expect(await harness.waitForIntent((i) => i.type === 'application-no')).toEqual({
      type: 'application-no',
      applicationNo: '3574-KIA-2611-000123',
    });
    await ui.show(baseView({ screen: 'manual-entry', manualEntry: { step: 'pin' }, pin: { wrongCount: 0 } }));
    for (const digit of '246801') await page.click(`[data-key="${digit}"]`);
    expect(await harness.waitForIntent((i) => i.type === 'pin')).toEqual({ type: 'pin', pin: '246801' });
    await page.click('[data-action="cancel"]');
    await harness.waitForIntent((i) => i.type === 'cancel');
  });

  it('manual entry: a number of the wrong shape is refused before sending, naming the wrong part', async () => {
    const { page, harness } = ui;
    await ui.show(baseView({ screen: 'manual-entry', manualEntry: { step: 'pin' }, pin: { wrongCount: 0 } }));
    await ui.show(baseView({ screen: 'manual-entry', manualEntry: { step: 'application-no' } }));
    const before = harness.actions().length;
    for (const key of '3574KK26') await page.click(`[data-key="${key}"]`);
    await page.click('[data-action="submit"]');
    const warning = page.locator('[data-wrong-part]');
    expect(await warning.getAttribute('data-wrong-part')).toBe('3');
    expect(await warning.innerText()).toContain('Bagian 3 harus 4 angka');
    await page.waitForTimeout(200);
    expect(harness.actions().slice(before)).toEqual([]);
    // Typing again clears the warning.
    await page.click('[data-key="1"]');
    expect(await warning.count()).toBe(0);
  });

  it('not-ready is calm news, not a failure: blue, an hourglass, the stage and what to do', async () => {
    const { page } = ui;
    const color = () => page.locator('h1').evaluate((el) => getComputedStyle(el).color);
    await ui.show(applicantView('error-not-found'));
    const red = await color();
    await ui.show(applicantView('error-not-ready'));
    expect(await page.locator('.tone-calm').count()).toBe(1);
    expect(await color()).not.toBe(red);
    expect(await color()).toBe('rgb(7, 54, 97)');
    expect(await page.locator('img.intro-icon').getAttribute('src')).toMatch(/hourglass/);
    const text = await page.locator('[data-screen]').innerText();
    expect(text).toContain('Tahap saat ini: validasi data');
    expect(text).toContain('Silakan datang lagi nanti');
  });

  it('a paused paper queue is said as it is: paused, a technician told, not "out of paper"', async () => {
    const { page } = ui;
    await ui.show(applicantView('error-out-of-supplies-paused'));
    const root = page.locator('[data-screen="error"]');
    expect(await root.getAttribute('data-reason')).toBe('out-of-supplies');
    const text = await root.innerText();
    expect(text).toContain('Printer kertas sedang dihentikan sementara');
    expect(text).toContain('Petugas teknis sudah diberi tahu');
    expect(text).not.toContain('habis');
  });

  it('home names only the ways of scanning this kiosk has', async () => {
    const { page } = ui;
    await ui.show(baseView());
    expect(await page.locator('.instruction').innerText()).toContain('pemindai');
    expect(await page.locator('[data-screen]').innerText()).not.toMatch(/kamera/i);
    await ui.show(baseView({ camera: true }));
    await page.waitForSelector('text=ke kamera');
    expect(await page.locator('.instruction').innerText()).not.toContain('pemindai');
  });

  it('confirm: shows the preview through the host with the secret, the masked NIK, and confirms', async () => {
    const { page, harness } = ui;
    await ui.show(SCREENS.find(([name]) => name === 'confirm')![1]);
    const img = page.locator('.preview img');
    expect(await img.getAttribute('src')).toBe(`/preview/card-1.png?s=${harness.secret}`);
    await page.waitForFunction(
      () => (document.querySelector('.preview img') as HTMLImageElement).naturalWidth > 0,
    );
    expect(await page.locator('[data-screen]').innerText()).toContain('357401******0001');
    await page.click('[data-action="confirm"]');
    await harness.waitForIntent((i) => i.type === 'confirm');
  });

  it('printing: a progress bar and plain words with the seconds left', async () => {
    const { page } = ui;
    await ui.show(SCREENS.find(([name]) => name === 'printing')![1]);
    expect(await page.locator('h1').innerText()).toBe('Kartu sedang dicetak, sekitar 20 detik');
    expect(await page.getAttribute('[role="progressbar"]', 'aria-valuenow')).toBe('35');
  });

  it('survey: one tap per rating, or skip', async () => {
    const { page, harness } = ui;
    await ui.show(baseView({ screen: 'survey' }));
    expect(await page.locator('[data-rating]').count()).toBe(4);
    await page.click('[data-rating="3"]');
    expect(await harness.waitForIntent((i) => i.type === 'rating')).toEqual({ type: 'rating', rating: 3 });
    await page.getByRole('button', { name: 'Lewati' }).click();
    await harness.waitForIntent((i) => i.type === 'skip');
  });

  it('info: lists the services from config/service-info and opens one', async () => {
    const { page, harness } = ui;
    await ui.show(baseView({ screen: 'info' }));
    await page.click('[data-info="ktp-el"]');
    const text = await page.locator('[data-screen]').innerText();
    expect(text).toContain('Persyaratan');
    expect(text).toContain('2 (dua) hari kerja');
    expect(text).toContain('gratis');
    await page.click('[data-action="home"]');
    await harness.waitForIntent((i) => i.type === 'home');
  });

  it('idle warning: shows the seconds the core counts and a big continue that sends a touch', async () => {
    const { page, harness } = ui;
    await ui.show(baseView({ screen: 'survey', idleWarning: { secondsLeft: 7 } }));
    await page.waitForSelector('text=Sesi akan berakhir dalam 7 detik');
    const since = harness.intents.length;
    await page.click('[data-action="continue"]');
    await harness.waitForIntent((i) => i.type === 'touch', 5000, since);
    await ui.show(baseView({ screen: 'survey' }));
    await expect.poll(() => page.locator('[data-action="continue"]').count()).toBe(0);
  });

  it('sends at most one touch per second however often the screen is touched', async () => {
    const { page, harness } = ui;
    await ui.show(baseView());
    await page.waitForTimeout(1100);
    const since = harness.intents.length;
    for (let i = 0; i < 5; i++) await page.mouse.click(540, 900);
    await page.waitForTimeout(300);
    expect(harness.intents.slice(since).filter((i) => i.type === 'touch')).toHaveLength(1);
  });
});

describe('keyboard only', () => {
  it('reaches and works every control with Tab and Enter, and types the PIN on the keyboard', async () => {
    const { page, harness } = ui;
    await ui.show(baseView());
    await page.locator('body').focus();
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      seen.push(await page.evaluate(() => document.activeElement?.getAttribute('data-action') ?? ''));
    }
    expect(seen).toEqual(expect.arrayContaining(['language', 'manual-entry', 'info']));
    while (
      (await page.evaluate(() => document.activeElement?.getAttribute('data-action'))) !== 'manual-entry'
    ) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await harness.waitForIntent((i) => i.type === 'manual-entry');

    await ui.show(baseView({ screen: 'pin', pin: { wrongCount: 0 } }));
    await page.keyboard.type('908172');
    expect(await harness.waitForIntent((i) => i.type === 'pin')).toEqual({ type: 'pin', pin: '908172' });
  });
});

describe('escape attempts change nothing', () => {
  it('context menu, selection, drag-drop, window.open, zoom and shortcuts', async () => {
    const { page, context, harness } = ui;
    await ui.show(baseView());
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    const popups: unknown[] = [];
    context.on('page', (p) => popups.push(p));

    const prevented = await page.evaluate(() => {
      const target = document.querySelector('h1')!;
      const fire = (event: Event) => !target.dispatchEvent(event);
      const files = new DataTransfer();
      files.items.add(new File(['x'], 'evil.html', { type: 'text/html' }));
      return {
        contextmenu: fire(new MouseEvent('contextmenu', { bubbles: true, cancelable: true })),
        selectstart: fire(new Event('selectstart', { bubbles: true, cancelable: true })),
        dragover: fire(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: files })),
        drop: fire(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: files })),
        ctrlWheel: fire(
          new WheelEvent('wheel', { bubbles: true, cancelable: true, ctrlKey: true, deltaY: -100 }),
        ),
        zoomKey: fire(
          new KeyboardEvent('keydown', { bubbles: true, cancelable: true, key: '=', ctrlKey: true }),
        ),
        reloadKey: fire(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, key: 'F5' })),
        open: window.open('https://example.com/', '_blank'),
      };
    });
    expect(prevented).toEqual({
      contextmenu: true,
      selectstart: true,
      dragover: true,
      drop: true,
      ctrlWheel: true,
      zoomKey: true,
      reloadKey: true,
      open: null,
    });

    await page.click('h1', { button: 'right' });
    await page.click('h1', { clickCount: 3 });
    expect(await page.evaluate(() => String(window.getSelection()))).toBe('');
    await page.mouse.move(540, 900);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -500);
    await page.keyboard.up('Control');
    for (const key of [
      'F5',
      'Control+r',
      'Control+Shift+I',
      'F12',
      'Control+Equal',
      'Control+p',
      'Alt+ArrowLeft',
    ]) {
      await page.keyboard.press(key);
    }
    await page.waitForTimeout(300);
    expect(popups).toHaveLength(0);
    expect(page.url()).toBe(harness.url);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await page.evaluate(() => window.visualViewport?.scale)).toBe(1);
    expect(await page.locator('[data-screen="home"]').count()).toBe(1);
  });

  it('the CSP refuses inline script and foreign connections', async () => {
    const { page } = ui;
    const result = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      let fetched = 'blocked';
      try {
        await fetch('http://127.0.0.2:9/');
        fetched = 'allowed';
      } catch {
        fetched = 'blocked';
      }
      return { injected: (window as unknown as { injected?: boolean }).injected ?? false, fetched };
    });
    expect(result).toEqual({ injected: false, fetched: 'blocked' });
  });

  it('the events and intents need the secret', async () => {
    const { harness } = ui;
    const refusedBefore = harness.refused;
    const response = await fetch(`${harness.origin}/api/intent?s=wrong`, {
      method: 'POST',
      body: '{"type":"home"}',
    });
    expect(response.status).toBe(403);
    expect(harness.refused).toBe(refusedBefore + 1);
  });
});
