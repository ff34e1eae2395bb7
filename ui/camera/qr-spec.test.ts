import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
  blockIndices,
  blockShapes,
  type EcLevel,
  FORMATS,
  formatPositions,
  maskFlips,
  parseSegments,
  symbolLayout,
} from './qr-spec.ts';
import { correctBlock } from './reed-solomon.ts';

// qrcode's own tables (ISO/IEC 18004 table 9 and annex C), to check ours against.
const require = createRequire(import.meta.url);
const ecc = require('qrcode/lib/core/error-correction-code') as {
  getBlocksCount(v: number, l: unknown): number;
  getTotalCodewordsCount(v: number, l: unknown): number;
};
const utils = require('qrcode/lib/core/utils') as { getSymbolTotalCodewords(v: number): number };
const levels = require('qrcode/lib/core/error-correction-level') as Record<EcLevel, unknown>;
const formatInfo = require('qrcode/lib/core/format-info') as {
  getEncodedBits(l: unknown, mask: number): number;
};

const LEVELS: EcLevel[] = ['L', 'M', 'Q', 'H'];

/** Reads a generated symbol's text back with the reader's tables: format, unmask, order, blocks, parse. */
function readBack(text: string | QRCode.QRCodeSegment[], level: EcLevel): string | undefined {
  const qr = QRCode.create(text, { errorCorrectionLevel: level });
  const layout = symbolLayout(qr.version);
  const n = layout.size;
  const dark = (r: number, c: number) => qr.modules.get(r, c) === 1;
  const [first, second] = formatPositions(n);
  const word = (copy: [number, number][]) => copy.reduce((v, [r, c]) => (v << 1) | (dark(r, c) ? 1 : 0), 0);
  expect(word(first!)).toBe(word(second!));
  const format = FORMATS.find((f) => f.bits === word(first!))!;
  expect(format).toMatchObject({ level, mask: qr.maskPattern });
  const words = new Uint8Array(layout.codewords);
  for (let c = 0; c < layout.codewords; c++) {
    for (let b = 0; b < 8; b++) {
      const i = layout.order[c * 8 + b]!;
      const [r, col] = [Math.floor(i / n), i % n];
      words[c] = (words[c]! << 1) | (dark(r, col) !== maskFlips(format.mask, r, col) ? 1 : 0);
    }
  }
  const shapes = blockShapes(qr.version, level);
  const data: number[] = [];
  for (const [b, idx] of blockIndices(shapes).entries()) {
    const block = Uint8Array.from(idx, (i) => words[i]!);
    expect(correctBlock(block, shapes[b]!.checks)).toEqual({ errors: 0, erasures: 0 });
    data.push(...block.subarray(0, shapes[b]!.data));
  }
  return parseSegments(Uint8Array.from(data), qr.version);
}

describe('the QR code as the reader sees it', () => {
  it('has the blocks of ISO/IEC 18004 table 9 for every version and level', () => {
    for (let v = 1; v <= 40; v++) {
      const layout = symbolLayout(v);
      expect(layout.codewords, `version ${v}`).toBe(utils.getSymbolTotalCodewords(v));
      for (const level of LEVELS) {
        const shapes = blockShapes(v, level);
        expect(shapes.length).toBe(ecc.getBlocksCount(v, levels[level]));
        expect(shapes.reduce((s, b) => s + b.checks, 0)).toBe(ecc.getTotalCodewordsCount(v, levels[level]));
        expect(shapes.reduce((s, b) => s + b.data + b.checks, 0)).toBe(layout.codewords);
      }
    }
    // The print code: version 14-M, 4 blocks of 64 codewords and 5 of 65, 24 check codewords each.
    expect(blockShapes(14, 'M').map((b) => b.data + b.checks)).toEqual([64, 64, 64, 64, 65, 65, 65, 65, 65]);
  });

  it('knows the 32 format words (BCH (15,5), masked with 0x5412)', () => {
    for (const f of FORMATS) expect(f.bits).toBe(formatInfo.getEncodedBits(levels[f.level], f.mask));
    // Any two are at least 7 bits apart: 3 wrong bits still leave the nearest word the right one.
    for (const a of FORMATS) {
      for (const b of FORMATS) {
        if (a === b) continue;
        let d = a.bits ^ b.bits;
        let bits = 0;
        for (; d; d &= d - 1) bits += 1;
        expect(bits).toBeGreaterThanOrEqual(7);
      }
    }
  });

  it('reads generated codes of every level, several versions and every segment mode back to their text', () => {
    const cases: [string | QRCode.QRCodeSegment[], EcLevel][] = [
      ['01234567', 'M'],
      ['HELLO WORLD 123', 'Q'],
      ['eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl', 'H'],
      ['Anjungan Dukcapil Mandiri: cetak KTP-el, KIA, akta — ✓', 'L'],
      [
        [
          { data: '3201012345678901', mode: 'numeric' },
          { data: 'KTP-EL ', mode: 'alphanumeric' },
          { data: new TextEncoder().encode('bukan huruf besar'), mode: 'byte' },
        ],
        'M',
      ],
      ['x'.repeat(900), 'L'],
    ];
    for (const [text, level] of cases) {
      const expected =
        typeof text === 'string'
          ? text
          : text
              .map((s) =>
                typeof s.data === 'string' ? s.data : new TextDecoder().decode(s.data as Uint8Array),
              )
              .join('');
      expect(readBack(text, level)).toBe(expected);
    }
  });

  it('refuses data that does not follow the standard to the letter', () => {
    // Byte mode, 2 characters "hi", terminator, pad: valid; then the same with a bad pad codeword.
    const valid = Uint8Array.from([0x40, 0x26, 0x86, 0x90, 0xec, 0x11, 0xec]);
    expect(parseSegments(valid, 1)).toBe('hi');
    expect(parseSegments(Uint8Array.from([0x40, 0x26, 0x86, 0x90, 0xec, 0x12, 0xec]), 1)).toBeUndefined();
    // A count running past the data, and a Kanji segment (not a print code).
    expect(parseSegments(Uint8Array.from([0x40, 0xf6, 0x86, 0x90]), 1)).toBeUndefined();
    expect(parseSegments(Uint8Array.from([0x80, 0x10, 0x00, 0x00]), 1)).toBeUndefined();
    // Numeric groups above 999 do not exist.
    expect(parseSegments(Uint8Array.from([0x10, 0x0f, 0xff, 0xc0, 0xec]), 1)).toBeUndefined();
  });
});
