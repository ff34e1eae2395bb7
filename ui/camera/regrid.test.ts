import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBarcodes } from 'zxing-wasm/reader';
import { drawnCode } from '../../test/camera/drawn-code.ts';
import { prepareDecoderWasm } from './decode.ts';
import { alignmentCentres, redrawCode, redrawnSide, versionBits } from './regrid.ts';

const drawn = (seed: number, lens: number) => drawnCode(seed, { lens });

describe('reading a located code again, module by module', () => {
  beforeAll(async () => {
    const require = createRequire(import.meta.url);
    const wasm = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    await prepareDecoderWasm({
      wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
    });
  });

  it('puts the patterns the version fixes where the standard has them', () => {
    // ISO/IEC 18004 annex D and E: version 7's information, version 14's alignment rows.
    expect(versionBits(7)).toBe(0x07c94);
    expect(versionBits(14)).toBe(0x0e60d);
    expect(alignmentCentres(1)).toEqual([]);
    expect(alignmentCentres(14)).toEqual([6, 26, 46, 66]);
    expect(alignmentCentres(32)).toEqual([6, 34, 60, 86, 112, 138]);
  });

  it('redraws a drawn code module for module, and zxing reads the redrawn one', async () => {
    const { text, qr, frame, located } = drawn(3, 1);
    const side = redrawnSide(located.version);
    const out = new Uint8Array(side * side);
    redrawCode(frame.gray, frame.width, frame.height, located, 0.5, out);
    const n = qr.modules.size;
    let wrong = 0;
    for (let my = 0; my < n; my++) {
      for (let mx = 0; mx < n; mx++) {
        // The redrawn module's centre pixel: 3 pixels per module, 4 modules of quiet zone.
        const dark = out[((my + 4) * 3 + 1) * side + (mx + 4) * 3 + 1] === 0;
        if (dark !== (qr.modules.get(my, mx) === 1)) wrong += 1;
      }
    }
    expect(wrong).toBe(0);
    const rgba = new Uint8ClampedArray(side * side * 4);
    for (let i = 0; i < side * side; i++) {
      rgba.fill(out[i]!, 4 * i, 4 * i + 3);
      rgba[4 * i + 3] = 255;
    }
    const read = await readBarcodes({ data: rgba, width: side, height: side } as unknown as ImageData, {
      formats: ['QRCode'],
      isPure: true,
    });
    expect(read[0]?.text).toBe(text);
  });

  it('takes the neighbours’ leak off a blurred code: fewer modules wrong than without', () => {
    // Two box passes of 7 pixels over 4.2-pixel modules: lone modules sink towards their neighbours.
    const { qr, frame, located } = drawn(5, 3);
    const side = redrawnSide(located.version);
    const n = qr.modules.size;
    const wrongWith = (leak: number) => {
      const out = new Uint8Array(side * side);
      redrawCode(frame.gray, frame.width, frame.height, located, leak, out);
      let wrong = 0;
      for (let my = 0; my < n; my++) {
        for (let mx = 0; mx < n; mx++) {
          const dark = out[((my + 4) * 3 + 1) * side + (mx + 4) * 3 + 1] === 0;
          if (dark !== (qr.modules.get(my, mx) === 1)) wrong += 1;
        }
      }
      return wrong;
    };
    expect(wrongWith(0.5)).toBeLessThan(wrongWith(0));
  });
});
