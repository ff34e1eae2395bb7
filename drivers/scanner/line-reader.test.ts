import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader, MAX_LINE_BYTES } from './line-reader.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('LineReader', () => {
  it('ends a code at CR, LF or CR LF', () => {
    const r = new LineReader();
    expect(r.push(bytes('ADM1\rADM2\nADM3\r\nADM4\r'))).toEqual(['ADM1', 'ADM2', 'ADM3', 'ADM4']);
  });

  it('ignores empty lines, also LF LF and CR CR', () => {
    const r = new LineReader();
    expect(r.push(bytes('\r\n\r\nA\n\n\r\rB\r\n'))).toEqual(['A', 'B']);
  });

  it('joins a code split across chunks, and a CR LF split between chunks', () => {
    const r = new LineReader();
    expect(r.push(bytes('AD'))).toEqual([]);
    expect(r.push(bytes('M-1\r'))).toEqual(['ADM-1']);
    expect(r.push(bytes('\nADM-2\r'))).toEqual(['ADM-2']);
    expect(r.push(bytes('\n'))).toEqual([]);
  });

  it('keeps a line of exactly MAX_LINE_BYTES', () => {
    const r = new LineReader();
    const line = 'x'.repeat(MAX_LINE_BYTES);
    expect(r.push(bytes(`${line}\n`))).toEqual([line]);
  });

  it('throws away more than MAX_LINE_BYTES without a line end, whole, and keeps working', () => {
    const r = new LineReader();
    const long = 'y'.repeat(MAX_LINE_BYTES + 1);
    expect(r.push(bytes(long.slice(0, 3000)))).toEqual([]);
    expect(r.push(bytes(long.slice(3000)))).toEqual([]);
    expect(r.push(bytes('tail-of-the-long-line\r\nNEXT\r\n'))).toEqual(['NEXT']);
    expect(r.dropped).toBe(1);
  });

  it('decodes UTF-8 split inside a character', () => {
    const r = new LineReader();
    const b = bytes('Dukcapil é\n');
    expect([...r.push(b.subarray(0, 10)), ...r.push(b.subarray(10))]).toEqual(['Dukcapil é']);
  });

  it('gives the same lines however the stream is chunked', () => {
    const line = fc.stringMatching(/^[A-Za-z0-9.:_-]{0,40}$/);
    const end = fc.constantFrom('\r', '\n', '\r\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(line, end), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (parts, cuts) => {
          const stream = bytes(parts.map(([l, e]) => l + e).join(''));
          const expected = parts.map(([l]) => l).filter((l) => l.length > 0);
          const whole = new LineReader().push(stream);
          const r = new LineReader();
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const got: string[] = [];
          let from = 0;
          for (const p of [...points, stream.length]) {
            got.push(...r.push(stream.subarray(from, p)));
            from = p;
          }
          expect(whole).toEqual(expected);
          expect(got).toEqual(expected);
        },
      ),
    );
  });
});
