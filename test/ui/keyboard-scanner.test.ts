import { resolve } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';

/**
 * The keyboard-mode scanner detection (`ui/keyboard-scanner.ts`) in Debian's Chromium, with real key
 * events sent through the DevTools protocol (the same path as a USB keyboard's, `isTrusted` true) and
 * each event's time set exactly, so that "10 ms between keys" is what the page sees whatever the load
 * on this machine.
 *
 * The page has a PIN field that takes digits the way the kiosk's screens do (a window keydown listener,
 * `ui/components/use-typed-keys.ts`) and a native text input; every value either ever shows is recorded,
 * so a scan's character showing even for a moment fails the test.
 */

const PAGE_SCRIPT = `
import { attachKeyboardScanner } from ${JSON.stringify(resolve(import.meta.dirname, '../../ui/keyboard-scanner.ts'))};
const w = window;
w.scans = [];
w.pinHistory = [];
w.textHistory = [];
let pin = '';
const pinEl = document.getElementById('pin');
const text = document.getElementById('text');
attachKeyboardScanner(window, { maxInterKeyMs: 30, onScan: (t) => w.scans.push(t) });
window.addEventListener('keydown', (e) => {
  if (e.target === text) return;
  if (/^[0-9]$/.test(e.key)) { e.preventDefault(); pin += e.key; }
  else if (e.key === 'Backspace') { e.preventDefault(); pin = pin.slice(0, -1); }
  else return;
  pinEl.textContent = pin;
  w.pinHistory.push(pin);
});
text.addEventListener('input', () => w.textHistory.push(text.value));
w.ready = true;
`;

let browser: Browser;
let script: string;

beforeAll(async () => {
  const out = await esbuild.build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
  });
  script = out.outputFiles[0]!.text;
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

/**
 * A new page. Debian's Chromium 156 sometimes announces its omnibox popup as a target of the new
 * context, which playwright-core 1.65 stumbles on (`reading '_page'`); a second attempt gets the page.
 */
async function newPage(): Promise<Page> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await browser.newPage();
    } catch (e) {
      if (attempt >= 5 || !String(e).includes("reading '_page'")) throw e;
    }
  }
}

async function openPage(focusText = false): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await newPage();
  await page.setContent('<div id="pin"></div><input id="text" autocomplete="off">');
  await page.addScriptTag({ content: script });
  await page.waitForFunction(() => (window as unknown as { ready: boolean }).ready);
  if (focusText) await page.focus('#text');
  return { page, cdp: await page.context().newCDPSession(page) };
}

/**
 * Types `keys` with `gapMs` between each, stamping each event exactly. Gaps a person would leave are
 * also waited for in real time (the page's own timers then run as they would); a scanner's bursts are
 * sent in one go, ahead of their stamps (the protocol keeps them in order), so that a stall of this
 * test process cannot split them.
 */
async function typeKeys(cdp: CDPSession, keys: string[], gapMs: number, startAt?: number): Promise<number> {
  // A burst is stamped from a second ahead, so that its stamps stay ahead of a slow protocol.
  let at = startAt ?? Date.now() + (gapMs > 60 ? 0 : BURST_LEAD_MS);
  const realStart = Date.now();
  const burst: Promise<unknown>[] = [];
  for (const [i, key] of keys.entries()) {
    if (i > 0) at += gapMs;
    if (gapMs > 60) {
      const wait = realStart + (at - (startAt ?? realStart)) - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const text = key === 'Enter' ? '\r' : key;
    const code = key === 'Enter' ? { windowsVirtualKeyCode: 13, code: 'Enter' } : {};
    const down = cdp.send('Input.dispatchKeyEvent', {
      type: 'keyDown',
      key,
      text,
      timestamp: at / 1000,
      ...code,
    });
    const up = cdp.send('Input.dispatchKeyEvent', {
      type: 'keyUp',
      key,
      timestamp: (at + 1) / 1000,
      ...code,
    });
    if (gapMs > 60) await Promise.all([down, up]);
    else burst.push(down, up);
  }
  await Promise.all(burst);
  return at;
}

/** How far ahead of now a burst's first key is stamped. */
const BURST_LEAD_MS = 1000;

type PageState = { scans: string[]; pinHistory: string[]; textHistory: string[]; pin: string; text: string };

/**
 * What the page shows once every key sent is in the past by more than a run's end (keys sent ahead of
 * their stamps are not over before their time) and the page had time to give held keys back.
 */
async function state(page: Page, lastKeyAt = Date.now()): Promise<PageState> {
  const settle = Math.max(0, lastKeyAt - Date.now()) + 200;
  await new Promise((r) => setTimeout(r, settle));
  return page.evaluate(() => {
    const w = window as unknown as PageState;
    return {
      scans: w.scans,
      pinHistory: w.pinHistory,
      textHistory: w.textHistory,
      pin: document.getElementById('pin')!.textContent ?? '',
      text: (document.getElementById('text') as HTMLInputElement).value,
    };
  });
}

/** A print code's shape: digits and letters, 40 of them here. */
const CODE = 'ADM1.3574012345678901234567.ABCDEFGH1234';

describe('keyboard-mode scanner in Chromium', () => {
  it('10 ms between keys: a scan, and not one character in any field', async () => {
    const { page, cdp } = await openPage(true);
    const at = await typeKeys(cdp, [...CODE, 'Enter'], 10);
    const s = await state(page, at);
    expect(s.scans).toEqual([CODE]);
    expect(s.textHistory).toEqual([]);
    expect(s.text).toBe('');
    await page.close();
  });

  it('30 ms between keys (the limit): still a scan', async () => {
    const { page, cdp } = await openPage();
    const at = await typeKeys(cdp, [...'12345678901234567890123', 'Enter'], 30);
    const s = await state(page, at);
    expect(s.scans).toEqual(['12345678901234567890123']);
    // Digits the PIN field would take: it never saw one.
    expect(s.pinHistory).toEqual([]);
    await page.close();
  });

  it('150 ms between keys: a person; every key lands in the field, in order', async () => {
    const { page, cdp } = await openPage(true);
    const typed = 'budi santoso 1234567890';
    await typeKeys(cdp, [...typed], 150);
    const s = await state(page);
    expect(s.scans).toEqual([]);
    expect(s.text).toBe(typed);
    expect(s.textHistory).toHaveLength(typed.length);
    await page.close();
  });

  it('31 ms between keys is a person’s, however long the run', async () => {
    const { page, cdp } = await openPage(true);
    const at = await typeKeys(cdp, [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'], 31);
    const s = await state(page, at);
    expect(s.scans).toEqual([]);
    expect(s.text).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    await page.close();
  });

  it('a quick run shorter than 20 characters with Enter is typing, not a scan', async () => {
    const { page, cdp } = await openPage();
    const at = await typeKeys(cdp, [...'1234567890123456789', 'Enter'], 10);
    const s = await state(page, at);
    expect(s.scans).toEqual([]);
    expect(s.pin).toBe('1234567890123456789');
    await page.close();
  });

  it('a scan in the middle of typing a PIN: the PIN keeps its digits, the scan goes as a scan', async () => {
    const { page, cdp } = await openPage();
    let at = await typeKeys(cdp, [...'123'], 200);
    at = await typeKeys(cdp, [...CODE.replace(/\D/g, '').padEnd(24, '9'), 'Enter'], 10, at + 300);
    await new Promise((r) => setTimeout(r, Math.max(0, at + 300 - Date.now())));
    at = await typeKeys(cdp, [...'456'], 200, Math.max(Date.now(), at + 300));
    const s = await state(page, at);
    expect(s.scans).toHaveLength(1);
    expect(s.pin).toBe('123456');
    expect(s.pinHistory).toEqual(['1', '12', '123', '1234', '12345', '123456']);
    await page.close();
  });

  it('a 4,096-character flood: one scan, no field touched', async () => {
    const { page } = await openPage(true);
    // The flood is raised inside the page, each key stamped 2 ms after the one before (a fast
    // scanner): through the DevTools protocol 4,096 keys take so long on a loaded machine that the
    // sender stalls between them, which a USB scanner does not do. Every shorter case above goes
    // through the protocol.
    const took = await page.evaluate(() => {
      class StampedKey extends KeyboardEvent {
        constructor(
          key: string,
          private readonly at: number,
        ) {
          super('keydown', { key, bubbles: true, cancelable: true });
        }
        override get timeStamp(): number {
          return this.at;
        }
      }
      const input = document.getElementById('text')!;
      const start = performance.now();
      for (let i = 0; i < 4096; i++) {
        input.dispatchEvent(new StampedKey(String.fromCharCode(65 + (i % 26)), start + i * 2));
      }
      input.dispatchEvent(new StampedKey('Enter', start + 4096 * 2));
      return performance.now() - start;
    });
    const s = await state(page);
    expect(s.scans).toHaveLength(1);
    expect(s.scans[0]).toHaveLength(4096);
    expect(s.textHistory).toEqual([]);
    expect(s.text).toBe('');
    // The page kept up: 4,096 keys handled well within the 8 s the scanner took to send them.
    expect(took).toBeLessThan(4096 * 2);
    await page.close();
  }, 60_000);
});
