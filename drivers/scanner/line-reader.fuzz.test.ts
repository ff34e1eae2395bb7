import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader, MAX_LINE_BYTES } from './line-reader.ts';

/** 100,000 inputs take seconds alone; room for a CI machine busy with every other test file. */
const FUZZ_TIMEOUT_MS = 180_000;

const CR = 0x0d;
const LF = 0x0a;
const decoder = new TextDecoder('utf-8');

/**
 * The reader's contract as a plain model over the whole stream: a line ends at CR, LF or CR LF (the
 * LF right after a CR ends nothing), empty lines vanish, a line over MAX_LINE_BYTES is dropped whole,
 * and the unterminated tail is still pending (and counted as dropped once it is too long).
 */
function model(stream: Uint8Array): { lines: Uint8Array[]; dropped: number } {
  const lines: Uint8Array[] = [];
  let dropped = 0;
  let start = 0;
  let afterCr = false;
  for (let i = 0; i < stream.length; i++) {
    const byte = stream[i];
    const wasCr = afterCr;
    afterCr = byte === CR;
    if (byte === LF && wasCr) {
      start = i + 1;
      continue;
    }
    if (byte !== CR && byte !== LF) continue;
    const line = stream.subarray(start, i);
    if (line.length > MAX_LINE_BYTES) dropped += 1;
    else if (line.length > 0) lines.push(line);
    start = i + 1;
  }
  if (stream.length - start > MAX_LINE_BYTES) dropped += 1;
  return { lines, dropped };
}

const terminator = fc.constantFrom<number[]>([CR], [LF], [CR, LF], [LF, CR], [CR, CR], [], [CR, LF, LF]);

/** Bytes a scanner line could hold: printable text, NUL, ESC, high bytes, stray CR/LF, valid UTF-8. */
const smallContent = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }).map((s) => new TextEncoder().encode(s)) },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom(0x00, 0x0d, 0x0a, 0x1b, 0x41, 0x7f, 0x80, 0xc3, 0xa9, 0xef, 0xff), {
        maxLength: 12,
      })
      .map((a) => Uint8Array.from(a)),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => new TextEncoder().encode(s)),
  },
);

/** A run around the size limit, cheap to make: one byte repeated with a few random bytes set. */
const longContent = fc
  .record({
    fill: fc.integer({ min: 0x20, max: 0xff }),
    length: fc.integer({ min: MAX_LINE_BYTES - 3, max: MAX_LINE_BYTES + 3 }),
    far: fc.boolean(),
    pokes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 0xff })), { maxLength: 3 }),
  })
  .map(({ fill, length, far, pokes }) => {
    const out = new Uint8Array(far ? length * 2 : length).fill(fill);
    for (const [at, v] of pokes) out[at % out.length] = v;
    return out;
  });

const segment = fc.tuple(
  fc.oneof({ weight: 30, arbitrary: smallContent }, { weight: 1, arbitrary: longContent }),
  terminator,
);

/** A stream of segments, cut into chunks at random points. */
const chunked = fc
  .tuple(fc.array(segment, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }))
  .map(([segments, cuts]) => {
    const parts = segments.flatMap(([content, end]) => [content, Uint8Array.from(end)]);
    const total = parts.reduce((n, p) => n + p.length, 0);
    const stream = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      stream.set(p, at);
      at += p.length;
    }
    const points = [...new Set(cuts.map((c) => (total === 0 ? 0 : c % (total + 1))))].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let from = 0;
    for (const p of [...points, total]) {
      chunks.push(stream.subarray(from, p));
      from = p;
    }
    return { stream, chunks };
  });

describe('LineReader fuzz', () => {
  it(
    'never throws and emits exactly the lines of the reference model, however the bytes are split',
    () => {
      fc.assert(
        fc.property(chunked, ({ stream, chunks }) => {
          const reader = new LineReader();
          const lines = chunks.flatMap((c) => reader.push(c));
          const expected = model(stream);
          for (const line of lines) {
            // Decoding never produces more UTF-16 units than bytes went in, so this bounds the bytes too.
            if (line.length === 0 || line.length > MAX_LINE_BYTES || /[\r\n]/.test(line)) return false;
          }
          if (reader.dropped !== expected.dropped) return false;
          if (lines.length !== expected.lines.length) return false;
          return expected.lines.every((b, i) => lines[i] === decoder.decode(b));
        }),
        { numRuns: 100_000 },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'hands valid UTF-8 lines back byte for byte',
    () => {
      const encoder = new TextEncoder();
      const text = fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
        .filter((s) => !/[\r\n]/.test(s));
      fc.assert(
        fc.property(fc.array(text, { maxLength: 5 }), terminator, (codes, end) => {
          const reader = new LineReader();
          const tail = end.length ? end : [LF];
          const lines = codes.flatMap((c) => reader.push(Uint8Array.from([...encoder.encode(c), ...tail])));
          expect(lines).toEqual(codes);
        }),
        { numRuns: 10_000 },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
