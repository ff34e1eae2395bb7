import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CR,
  isPrinterFault,
  isPrinterState,
  PRINTER_STATES,
  parseReply,
  type ReplyShape,
} from './protocol.ts';
import { MAX_REPLY_BYTES, ReplyFramer } from './reply-framer.ts';

/** 100,000 inputs take seconds alone; room for a CI machine busy with every other test file. */
const FUZZ_TIMEOUT_MS = 180_000;

const SHAPES: readonly ReplyShape[] = ['ok', 'text', 'state', 'integer', 'bezel'];
/** Codes that are not faults: the protocol's own, and (1.1) COOLING, a refusal that ends by itself. */
const PROTOCOL_CODES = ['BUSY', 'BAD_COMMAND', 'BAD_DATA', 'COOLING'];

/** The framer's contract over the whole stream: split at CR, keep each line's last MAX_REPLY_BYTES. */
function model(stream: Uint8Array): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < stream.length; i++) {
    if (stream[i] !== CR) continue;
    const line = stream.subarray(Math.max(start, i - MAX_REPLY_BYTES), i);
    lines.push(String.fromCharCode(...line));
    start = i + 1;
  }
  return lines;
}

/** Words a printer (or line noise that looks like one) sends, so near-misses are common. */
const word = fc.constantFrom(
  'OK',
  'ok',
  'OK ',
  'ERR ',
  'ERR',
  'ERR BUSY',
  'ERR  BUSY',
  'ERR READY',
  'ERR OFFLINE',
  'ERR BAD_DATA',
  'EMPTY',
  'CARD',
  ...PRINTER_STATES,
  ...PRINTER_STATES.map((s) => `ERR ${s}`),
  'OFFLINE',
  'READY ',
  '0',
  '007',
  '-1',
  '1e3',
  '999999999999',
  '9999999999999',
  'Primacy 2',
  '\u001bRst',
);

const piece = fc.oneof(
  { weight: 4, arbitrary: word.map((w) => Uint8Array.from(w, (c) => c.charCodeAt(0))) },
  { weight: 3, arbitrary: fc.constantFrom(Uint8Array.of(CR), Uint8Array.of(0x0a), Uint8Array.of(CR, 0x0a)) },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 24 }) },
  {
    weight: 2,
    arbitrary: fc.string({ maxLength: 70 }).map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0))),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ fill: fc.integer({ min: 0, max: 0xff }), length: fc.integer({ min: 60, max: 600 }) })
      .map(({ fill, length }) => new Uint8Array(length).fill(fill === CR ? 0x20 : fill)),
  },
);

/** A reply stream, cut into chunks at random points (a serial read returns whatever has arrived). */
const chunked = fc
  .tuple(fc.array(piece, { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 6 }))
  .map(([pieces, cuts]) => {
    const stream = Uint8Array.from(pieces.flatMap((p) => [...p]));
    const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let from = 0;
    for (const p of [...points, stream.length]) {
      chunks.push(stream.subarray(from, p));
      from = p;
    }
    return { stream, chunks };
  });

/** True when the reply is one of the known shapes and says only what the shape allows. */
function wellFormed(line: string, shape: ReplyShape): boolean {
  const r = parseReply(line, shape);
  switch (r.kind) {
    case 'ok':
      return shape === 'ok' && line === 'OK';
    case 'err':
      return line === `ERR ${r.code}` && (isPrinterFault(r.code) || PROTOCOL_CODES.includes(r.code));
    case 'garbage':
      return r.text === line;
    case 'value':
      if (r.text !== line) return false;
      if (shape === 'state') return isPrinterState(r.text);
      // The driver turns these into counters and ribbon panels with Number(): they must stay exact.
      if (shape === 'integer') return /^\d{1,12}$/.test(r.text) && Number.isSafeInteger(Number(r.text));
      if (shape === 'text') return /^[\x20-\x7e]{1,64}$/.test(r.text);
      if (shape === 'bezel') return r.text === 'EMPTY' || r.text === 'CARD';
      return false;
    default:
      return false;
  }
}

describe('card printer reply parsing fuzz', () => {
  it(
    'frames any byte stream like the reference model and reads every line as a known reply',
    () => {
      fc.assert(
        fc.property(chunked, fc.constantFrom(...SHAPES), ({ stream, chunks }, shape) => {
          const framer = new ReplyFramer();
          const lines = chunks.flatMap((c) => framer.push(c));
          const expected = model(stream);
          if (lines.length !== expected.length) return false;
          for (let i = 0; i < lines.length; i++) {
            const line = lines[i] as string;
            if (line !== expected[i] || line.length > MAX_REPLY_BYTES || line.includes('\r')) return false;
            if (!wellFormed(line, shape)) return false;
          }
          return true;
        }),
        { numRuns: 100_000 },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it('reads every well-formed reply as what it is', () => {
    expect(parseReply('OK', 'ok')).toEqual({ kind: 'ok' });
    for (const s of PRINTER_STATES) expect(parseReply(s, 'state')).toEqual({ kind: 'value', text: s });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999n }), (n) => {
        expect(parseReply(String(n), 'integer')).toEqual({ kind: 'value', text: String(n) });
      }),
      { numRuns: 1000 },
    );
  });
});
