import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../kiosk/paths.ts';
import type { Locale, View } from '../../kiosk/view.ts';
import { baseView } from '../support/ui-harness.ts';
import { APPLICANT_VIEWS, applicantView, REFERENCE } from './applicant-views.ts';
import { openUi, type UiSession } from './ui-page.ts';

/** The kiosk's screen, portrait: no button in its upper third (contract 1.1). */
const SCREEN_HEIGHT = 1920;
const UPPER_THIRD = SCREEN_HEIGHT / 3;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The technician's hidden corner is not the applicant's (aria-hidden, invisible). */
const APPLICANT_BUTTONS = 'button:not([data-action="maintenance-entry"])';

let ui: UiSession;
let axeSource: string;

beforeAll(async () => {
  axeSource = await readFile(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  ui = await openUi(baseView());
});

afterAll(async () => {
  await ui?.close();
});

/** Reads the QR code of a PNG with the kiosk's own decoder (zxing-wasm, from local bytes). */
async function decodeQr(png: Buffer): Promise<string | undefined> {
  // Imported here: the decoder's module (emscripten) must not load before Playwright has its page.
  const { createKioskDecoder, prepareDecoderWasm } = await import('../../ui/camera/decode.ts');
  const wasm = await readFile(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareDecoderWasm({
    wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
  });
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data, width, height } = ctx.getImageData(0, 0, image.width, image.height);
  return createKioskDecoder()({ data: new Uint8ClampedArray(data), width, height });
}

const variants: Array<{ locale: Locale; largeText: boolean }> = [
  { locale: 'id', largeText: false },
  { locale: 'en', largeText: false },
  { locale: 'id', largeText: true },
  { locale: 'en', largeText: true },
];

async function show(view: View, variant: { locale: Locale; largeText: boolean }): Promise<void> {
  await ui.show({ ...view, ...variant });
  await ui.page.waitForFunction(
    (large) => document.documentElement.classList.contains('large-text') === large,
    variant.largeText,
  );
}

interface AxeViolation {
  id: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core 4 on the page as it is, with the contract's rule tags. */
async function axeViolations(): Promise<string[]> {
  // Evaluated over the DevTools protocol: the page's CSP (no inline script) does not apply to it.
  if (!(await ui.page.evaluate(() => 'axe' in window))) await ui.page.evaluate(axeSource);
  const violations = (await ui.page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<{ violations: unknown }> } })
      .axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: tags } })).violations;
  }, AXE_TAGS)) as AxeViolation[];
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * What the layout rules need, measured in the page in one go: every applicant button's box, the
 * helpers' boxes, the title's bottom, and every visible text with its font size.
 */
async function measureLayout() {
  return ui.page.evaluate((selector) => {
    const box = (el: Element | null) =>
      (el ? el.getBoundingClientRect().toJSON() : undefined) as DOMRect | undefined;
    const buttons = [...document.querySelectorAll(selector)].map((el) => ({
      action: el.getAttribute('data-action') ?? el.getAttribute('data-key') ?? 'button',
      rect: box(el)!,
    }));
    const helpers = ['language', 'audio', 'text-size', 'call-staff'].map((action) => ({
      action,
      rect: box(document.querySelector(`[data-screen] [data-action="${action}"]`)),
    }));
    const texts: Array<{ text: string; size: number }> = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (!own) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      texts.push({ text: own, size: Number.parseFloat(getComputedStyle(el).fontSize) });
    }
    return { buttons, helpers, titleBottom: box(document.querySelector('h1'))?.bottom, texts };
  }, APPLICANT_BUTTONS);
}

describe('every applicant screen, in both languages and both text sizes', () => {
  // One pass over 4 x 37 screens for both checks: showing a screen costs as much as checking it.
  it('passes axe-core 4 (wcag2a, wcag2aa, wcag21a, wcag21aa) with no violations, keeps buttons out of the upper third and helpers at the bottom, and no text under 24 px (32 px large)', async () => {
    const axeFailures: string[] = [];
    const layoutFailures: string[] = [];
    for (const variant of variants) {
      const min = variant.largeText ? 32 : 24;
      for (const [name, view] of APPLICANT_VIEWS) {
        await show(view, variant);
        const where = `${name} ${variant.locale}${variant.largeText ? ' large' : ''}`;
        for (const violation of await axeViolations()) axeFailures.push(`${where}: ${violation}`);

        const layout = await measureLayout();
        for (const { action, rect } of layout.buttons) {
          if (rect.top < UPPER_THIRD) layoutFailures.push(`${where}: ${action} at y=${rect.top}`);
          if (Math.min(rect.width, rect.height) < 72) layoutFailures.push(`${where}: ${action} is small`);
        }
        for (const { action, rect } of layout.helpers) {
          if (!rect || rect.top < SCREEN_HEIGHT - 300 || rect.bottom > SCREEN_HEIGHT)
            layoutFailures.push(`${where}: helper ${action} not at the bottom (${JSON.stringify(rect)})`);
        }
        // The upper third holds the title and the instruction.
        if (!layout.titleBottom || layout.titleBottom > UPPER_THIRD)
          layoutFailures.push(`${where}: title not in the upper third`);
        for (const text of layout.texts)
          if (text.size < min) layoutFailures.push(`${where}: "${text.text}" at ${text.size}px`);
      }
    }
    expect(axeFailures).toEqual([]);
    expect(layoutFailures).toEqual([]);
  }, 180_000);

  it('switches to large text and back: every text grows', async () => {
    const sizes = async () =>
      ui.page.evaluate(() =>
        ['h1', '.instruction', '[data-action="call-staff"]'].map((s) =>
          Number.parseFloat(getComputedStyle(document.querySelector(s)!).fontSize),
        ),
      );
    await show(applicantView('home'), { locale: 'id', largeText: false });
    const normal = await sizes();
    await show(applicantView('home'), { locale: 'id', largeText: true });
    const large = await sizes();
    for (const [i, size] of large.entries()) expect(size).toBeGreaterThan(normal[i]!);
    expect(await ui.page.getAttribute('[data-action="text-size"]', 'aria-pressed')).toBe('true');
    await ui.page.click('[data-action="text-size"]');
    await ui.harness.waitForIntent((i) => i.type === 'text-size');
  });

  it('info: an open entry in large text never runs under its buttons', async () => {
    const { page } = ui;
    for (const locale of ['id', 'en'] as Locale[]) {
      await show(applicantView('info'), { locale, largeText: true });
      await page.click('[data-info="ktp-el"]');
      await page.waitForSelector('article[data-info="ktp-el"]');
      for (const scroll of [0, 100_000]) {
        const overlaps = await page.evaluate((top) => {
          const body = document.querySelector('.body')!;
          body.scrollTop = top;
          const view = body.getBoundingClientRect();
          const buttons = [...document.querySelectorAll('button:not([data-action="maintenance-entry"])')].map(
            (b) => b.getBoundingClientRect(),
          );
          const found: string[] = [];
          for (const el of document.querySelectorAll('article *')) {
            if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()))
              continue;
            const r = el.getBoundingClientRect();
            // What the applicant sees of it: clipped by the scrolling body.
            const top2 = Math.max(r.top, view.top);
            const bottom = Math.min(r.bottom, view.bottom);
            if (bottom <= top2) continue;
            for (const b of buttons)
              if (top2 < b.bottom && bottom > b.top && r.left < b.right && r.right > b.left)
                found.push(el.textContent ?? '');
          }
          return found;
        }, scroll);
        expect(overlaps, `${locale} scrolled to ${scroll}`).toEqual([]);
      }
      await page.click('[data-action="back"]');
    }
  });
});

describe('calling staff and the reference for the counter', () => {
  it('every applicant screen has call-staff with its name; it sends the intent', async () => {
    const { page, harness } = ui;
    for (const locale of ['id', 'en'] as Locale[]) {
      const name = locale === 'id' ? 'Panggil petugas' : 'Call staff';
      for (const [screen, view] of APPLICANT_VIEWS) {
        await show(view, { locale, largeText: false });
        const button = page.getByRole('button', { name, exact: true });
        expect(await button.count(), `${screen} ${locale}`).toBe(1);
        expect(await button.getAttribute('data-action')).toBe('call-staff');
      }
    }
    await show(applicantView('confirm'), { locale: 'id', largeText: false });
    await page.click('[data-action="call-staff"]');
    await harness.waitForIntent((i) => i.type === 'call-staff');
  });

  it('shows that staff are on their way while the View says so, on every screen', async () => {
    const { page } = ui;
    for (const [screen, view] of APPLICANT_VIEWS) {
      await show({ ...view, assistance: 'requested' } as View, { locale: 'id', largeText: false });
      const note = page.locator('[data-assistance="requested"]');
      expect(await note.isVisible(), screen).toBe(true);
      expect(await note.innerText()).toBe('Petugas sedang menuju ke sini');
    }
    await show({ ...applicantView('home'), assistance: 'requested' } as View, {
      locale: 'en',
      largeText: false,
    });
    expect(await page.locator('[data-assistance="requested"]').innerText()).toBe('Staff are on their way');
    await show(applicantView('home'), { locale: 'en', largeText: false });
    expect(await page.locator('[data-assistance]').count()).toBe(0);
  });

  it('shows the reference large as text and as a QR code that decodes to it, only where the View has it', async () => {
    const { page } = ui;
    await show(applicantView('error-device-fault'), { locale: 'id', largeText: false });
    const panel = page.locator(`[data-reference="${REFERENCE}"]`);
    expect(await panel.count()).toBe(1);
    expect(await panel.locator('.reference-code').innerText()).toBe(REFERENCE);
    const size = await panel
      .locator('.reference-code')
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(56);
    const qr = panel.locator('svg.reference-qr');
    const box = (await qr.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(200);
    // Decode the QR code as drawn on screen, as a counter's scanner would.
    expect(await decodeQr(await qr.screenshot())).toBe(REFERENCE);

    await show(applicantView('collect-incomplete'), { locale: 'en', largeText: false });
    expect(await page.locator(`[data-reference="${REFERENCE}"]`).count()).toBe(1);
    for (const name of ['error-invalid-qr', 'error-expired-qr', 'collect', 'home']) {
      await show(applicantView(name), { locale: 'id', largeText: false });
      expect(await page.locator('[data-reference]').count(), name).toBe(0);
    }
  });
});
