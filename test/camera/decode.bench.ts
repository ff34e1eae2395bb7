import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BinaryBitmap, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } from '@zxing/library';
import { readBarcodes } from 'zxing-wasm/reader';
import { createKioskDecoder, type FrameDecoder, prepareDecoderWasm } from '../../ui/camera/decode.ts';
import type { Report } from '../bench/harness.ts';
import { loadCorpus } from './make-corpus.ts';

/** Frames decoded by every setup before timing starts (JIT, wasm instantiation). */
const WARM_UP_FRAMES = 5;

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
 * The camera decoders on the generated corpus (test/camera/make-corpus.ts): the kiosk's setup
 * (ui/camera/decode.ts, the one its worker runs) against @zxing/library and zxing-wasm with defaults.
 * Each frame goes through all three in turn so that they share the machine's load.
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
    ['zxing-library', zxingLibraryDefault()],
    ['zxing-wasm', zxingWasmDefault()],
  ];
  for (const [, decode] of setups) for (const f of frames.slice(0, WARM_UP_FRAMES)) await decode(f);
  const stats = setups.map(() => ({ samples: [] as number[], right: 0, falsePositive: 0 }));
  for (const f of frames) {
    for (const [i, [, decode]] of setups.entries()) {
      const t0 = performance.now();
      const text = await decode(f);
      stats[i]!.samples.push(performance.now() - t0);
      if (f.text !== null && text === f.text) stats[i]!.right += 1;
      if (f.text === null && text !== undefined) stats[i]!.falsePositive += 1;
    }
  }
  const withCode = frames.filter((f) => f.text !== null).length;
  const empty = frames.length - withCode;
  for (const [i, [name]] of setups.entries()) {
    const s = stats[i]!;
    report({ name: `camera.decode.${name}.rate`, unit: 'ratio', value: s.right / withCode, n: withCode });
    report({ name: `camera.decode.${name}`, unit: 'ms', samples: s.samples });
    report({
      name: `camera.decode.${name}.false-positives`,
      unit: 'ratio',
      value: s.falsePositive / empty,
      n: empty,
    });
  }
}
