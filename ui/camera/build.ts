import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { CAMERA_WASM_URL, CAMERA_WORKER_URL } from './start-camera.ts';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * What the UI's Content-Security-Policy `script-src` must allow for the camera: the worker compiles
 * zxing-wasm's .wasm, which `script-src 'self'` alone forbids (the worker gets the policy from its own
 * response headers, as the Electron protocol handler sends them).
 */
export const CAMERA_CSP_SCRIPT_SRC = "'wasm-unsafe-eval'";

/**
 * Writes the camera's decode worker (`camera-worker.js`, a classic-script bundle for
 * `new Worker('camera-worker.js')`) and zxing-wasm's reader `.wasm` into the UI's output dir, so the
 * decoder loads from the UI's own origin and never from a CDN.
 */
export async function buildCameraAssets(outDir: string, opts: { minify?: boolean } = {}): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(here, 'decode-worker.ts')],
    outfile: join(outDir, CAMERA_WORKER_URL),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120'],
    minify: opts.minify ?? true,
    legalComments: 'none',
    logLevel: 'silent',
    // zxing-wasm's default locateFile reads import.meta.url; the worker always passes its own.
    define: { 'import.meta.url': '""' },
  });
  if (result.errors.length > 0)
    throw new Error(`camera worker build: ${result.errors.map((e) => e.text).join('; ')}`);
  const require = createRequire(import.meta.url);
  await copyFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'), join(outDir, CAMERA_WASM_URL));
}
