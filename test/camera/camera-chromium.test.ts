import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_CSP } from '../../kiosk/hosts/csp.ts';
import { buildCameraAssets, CAMERA_CSP_SCRIPT_SRC } from '../../ui/camera/build.ts';
import { writeY4m } from './make-y4m.ts';
import { fakePrintCode, seededRandom } from './render-frame.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

/**
 * The UI's policy, as the Electron host sends it with every file (the worker's own response included),
 * plus what compiling the decoder's wasm needs.
 */
const CSP = UI_CSP.includes("'wasm-unsafe-eval'")
  ? UI_CSP
  : UI_CSP.replace("script-src 'self'", `script-src 'self' ${CAMERA_CSP_SCRIPT_SRC}`);

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

describe('the camera path in Chromium with a fake camera', () => {
  let dir: string;
  let server: Server;
  let url: string;
  const code = fakePrintCode(seededRandom(42));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adm-camera-'));
    const site = join(dir, 'site');
    await buildCameraAssets(site);
    const page = await esbuild.build({
      entryPoints: { page: fileURLToPath(new URL('./camera-page.tsx', import.meta.url)) },
      outdir: site,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      logLevel: 'silent',
    });
    expect(page.errors).toEqual([]);
    await writeFile(
      join(site, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="page.css"><script type="module" src="page.js"></script></head><body><div id="app" style="width:960px"></div></body></html>',
    );
    await writeY4m(join(dir, 'code.y4m'), { text: code });
    await writeY4m(join(dir, 'empty.y4m'), {});
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const file = join(site, path === '/' ? 'index.html' : path.slice(1));
      if (!file.startsWith(site)) return res.writeHead(403).end();
      const stream = createReadStream(file);
      stream.on('error', () => res.writeHead(404).end());
      stream.on('open', () => {
        res.writeHead(200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': CSP,
        });
        stream.pipe(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  async function withBrowser<T>(video: string | undefined, fn: (browser: Browser) => Promise<T>): Promise<T> {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: video
        ? [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${join(dir, video)}`]
        : CHROMIUM_ARGS.filter((a) => a !== '--use-fake-device-for-media-stream'),
    });
    try {
      return await fn(browser);
    } finally {
      await browser.close();
    }
  }

  it('decodes the print code in the worker and hands its text to the page once, with feedback', async () => {
    await withBrowser('code.y4m', async (browser) => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page.waitForSelector('.camera-guide', { state: 'visible' });
      await page.waitForFunction(() => window.cameraTexts.length > 0, undefined, { timeout: 20_000 });
      expect(await page.evaluate(() => window.cameraTexts[0])).toBe(code);
      expect(await page.evaluate(() => window.cameraAvailable)).toEqual([true]);
      // Decoded off the main thread: the page runs exactly one worker, the camera's.
      expect(page.workers().map((w) => new URL(w.url()).pathname)).toEqual(['/camera-worker.js']);
      await page.waitForSelector('.camera-view[data-camera-state="seen"] .camera-guide-tick', {
        state: 'visible',
      });
      expect(await page.locator('.camera-guide-corner').count()).toBe(4);
      // The code stays in view: frames keep decoding, but the text was handed over once.
      await page.waitForTimeout(1000);
      expect(await page.evaluate(() => window.cameraTexts)).toEqual([code]);
      expect(errors).toEqual([]);
    });
  });

  it('hands nothing over when no code is in view', async () => {
    await withBrowser('empty.y4m', async (browser) => {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForSelector('.camera-view[data-camera-state="live"]', { timeout: 20_000 });
      await page.waitForTimeout(1500);
      expect(await page.evaluate(() => window.cameraTexts)).toEqual([]);
    });
  });

  it('reports the camera unavailable when there is none, and hides the guide', async () => {
    await withBrowser(undefined, async (browser) => {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForSelector('.camera-view[data-camera-state="unavailable"]', { timeout: 20_000 });
      const available = await page.evaluate(() => window.cameraAvailable);
      expect(available).toHaveLength(1);
      expect(available[0]).not.toBe(true);
      expect(await page.locator('.camera-guide').isVisible()).toBe(false);
    });
  });
});
