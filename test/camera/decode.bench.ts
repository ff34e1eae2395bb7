import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BinaryBitmap, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } from '@zxing/library';
import { readBarcodes } from 'zxing-wasm/reader';
import {
  createKioskDecoder,
  FRAME_BUDGET_MS,
  type FrameDecoder,
  KIOSK_PASSES,
  LOCATE_MS,
  prepareDecoderWasm,
  REGRID_LEAKS,
} from '../../ui/camera/decode.ts';
import type { Report } from '../bench/harness.ts';
import { loadCorpus } from './make-corpus.ts';

/**
 * Every this many frames of the corpus, one is decoded by every setup before timing starts (JIT, wasm
 * instantiation): the kiosk's worker decodes up to 15 frames a second all day, so what counts is its
 * steady state. The corpus is ordered by kind, so the warm-up sees every kind: the first frames alone
 * (clean codes, read by the first pass) left the code that only hard frames reach (the soft reader, the
 * locator) to be compiled while timed, a few milliseconds on each of the first hard frames.
 */
const WARM_UP_STRIDE = 12;

/** @zxing/library with its default settings, on the frame's luminance (what its browser reader does). */
function zxingLibraryDefault(): FrameDecoder {
  const reader = new MultiFormatReader();
  return async ({ data, width, height }) => {
    const lum = new Uint8ClampedArray(width * height);
    for (let i = 0; i < lum.length; i++) {
      lum[i] = (data[i * 4]! * 306 + data[i * 4 + 1]! * 601 + data[i * 4 + 2]! * 117 + 512) >> 10;
    }
    try {
      return reader
        .decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(lum, width, height))))
        .getText();
    } catch {
      // NotFoundException and friends: no code in this frame.
      return undefined;
    }
  };
}

/** zxing-wasm with its default options (all formats, every retry). */
function zxingWasmDefault(): FrameDecoder {
  return async (frame) => (await readBarcodes(frame as ImageData))[0]?.text || undefined;
}

/**
 * The camera decoders on the generated corpus (test/camera/make-corpus.ts: printed codes and codes on
 * phone screens): the kiosk's setup (ui/camera/decode.ts, the one its worker runs) and the same with our
 * own locator (`kiosk-locator`, the next step, not yet the kiosk's) against @zxing/library and zxing-wasm
 * with defaults. Each frame goes through all four in turn so that they share the machine's load.
 *
 * - `camera.decode.<setup>.rate`: codes read right over the frames with a readable code (frames
 *   marked unreadable by the corpus are left out);
 * - `camera.decode.<setup>`: wall-clock ms per frame, every frame; `.cpu`: the process's CPU time per
 *   frame, which a shared machine disturbs less;
 * - `camera.decode.<setup>.false-reads`: frames that gave a text they do not show (an empty frame read
 *   as a code, or a code read as another text), over all frames;
 * - `camera.decode.<setup>.unreadable-read`: frames marked unreadable that the setup read all the same,
 *   over the frames marked unreadable. It must stay 0 for every setup: a frame some decoder reads is
 *   not unreadable, and the corpus's rule (test/camera/readability.ts) would be wrong.
 */
export async function bench(report: Report): Promise<void> {
  const require = createRequire(import.meta.url);
  const wasm = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareDecoderWasm({
    wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
  });
  const frames = await loadCorpus();
  const setups: [string, FrameDecoder][] = [
    ['kiosk', createKioskDecoder()],
    // The same with our own locator after the last pass (not the kiosk's setup yet: see LOCATE_MS).
    ['kiosk-locator', createKioskDecoder(KIOSK_PASSES, FRAME_BUDGET_MS, REGRID_LEAKS, LOCATE_MS)],
    ['zxing-library', zxingLibraryDefault()],
    ['zxing-wasm', zxingWasmDefault()],
  ];
  const warmUp = frames.filter((_, i) => i % WARM_UP_STRIDE === 0);
  for (const [, decode] of setups) for (const f of warmUp) await decode(f);
  const stats = setups.map(() => ({
    samples: [] as number[],
    cpu: [] as number[],
    right: 0,
    falseReads: 0,
    unreadableRead: 0,
  }));
  for (const f of frames) {
    for (const [i, [, decode]] of setups.entries()) {
      const s = stats[i]!;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const text = await decode(f);
      s.samples.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      s.cpu.push((c.user + c.system) / 1000);
      if (text === undefined) continue;
      if (text !== f.text) s.falseReads += 1;
      else if (f.unreadable) s.unreadableRead += 1;
      else s.right += 1;
    }
  }
  const readable = frames.filter((f) => f.text !== null && !f.unreadable).length;
  const unreadable = frames.filter((f) => f.text !== null && f.unreadable).length;
  for (const [i, [name]] of setups.entries()) {
    const s = stats[i]!;
    report({ name: `camera.decode.${name}.rate`, unit: 'ratio', value: s.right / readable, n: readable });
    report({ name: `camera.decode.${name}`, unit: 'ms', samples: s.samples });
    report({ name: `camera.decode.${name}.cpu`, unit: 'ms', samples: s.cpu });
    report({
      name: `camera.decode.${name}.false-reads`,
      unit: 'ratio',
      value: s.falseReads / frames.length,
      n: frames.length,
    });
    report({
      name: `camera.decode.${name}.unreadable-read`,
      unit: 'ratio',
      value: unreadable ? s.unreadableRead / unreadable : 0,
      n: unreadable,
    });
  }
}
