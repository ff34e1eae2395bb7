import { describe, expect, it } from 'vitest';
import { MAX_REPLY_BYTES, ReplyFramer } from './reply-framer.ts';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('ReplyFramer', () => {
  it('cuts at CR only, keeps empty lines and LF, joins a line split across chunks', () => {
    const f = new ReplyFramer();
    expect(f.push(bytes('RE'))).toEqual([]);
    expect(f.push(bytes('ADY\r\r\nOK\r'))).toEqual(['READY', '', '\nOK']);
  });

  it('reads high bytes as Latin-1, one character each', () => {
    expect(new ReplyFramer().push(Uint8Array.from([0x00, 0xfe, 0x41, 0x0d]))).toEqual(['\u0000\u00feA']);
  });

  it('keeps only the tail of a run longer than MAX_REPLY_BYTES', () => {
    const f = new ReplyFramer();
    const [line] = f.push(bytes(`${'x'.repeat(1000)}OK\r`));
    expect(line).toHaveLength(MAX_REPLY_BYTES);
    expect(line?.endsWith('xOK')).toBe(true);
  });

  it('forgets a partial line on clear', () => {
    const f = new ReplyFramer();
    f.push(bytes('noise'));
    f.clear();
    expect(f.push(bytes('7\r'))).toEqual(['7']);
  });
});
