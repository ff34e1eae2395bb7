import { describe, expect, it } from 'vitest';
import { CR, ESC, encodeCommand, encodeDownload, PANELS, parseReply } from './protocol.ts';

describe('card printer protocol', () => {
  it('frames a command as ESC, name and ;-arguments, CR', () => {
    expect([...encodeCommand('Pr', 'ymcko')]).toEqual([ESC, ...Buffer.from('Pr;ymcko'), CR]);
    expect([...encodeCommand('Rst')]).toEqual([ESC, ...Buffer.from('Rst'), CR]);
  });

  it('frames a panel download with its fixed byte count and no escaping', () => {
    const k = new Uint8Array(PANELS.k.bytes).fill(CR);
    const frame = encodeDownload('k', k);
    const head = Buffer.from('Db;k;2;');
    expect(frame.length).toBe(1 + head.length + 82_296 + 1);
    expect([...frame.subarray(1, 1 + head.length)]).toEqual([...head]);
    expect(PANELS.y.bytes).toBe(658_368);
    expect(() => encodeDownload('y', new Uint8Array(10))).toThrow();
  });

  it('reads replies by the shape the command expects', () => {
    expect(parseReply('OK', 'ok')).toEqual({ kind: 'ok' });
    expect(parseReply('ERR COVER_OPEN', 'ok')).toEqual({ kind: 'err', code: 'COVER_OPEN' });
    expect(parseReply('ERR BUSY', 'ok')).toEqual({ kind: 'err', code: 'BUSY' });
    expect(parseReply('ERR WHATEVER', 'ok').kind).toBe('garbage');
    expect(parseReply('READY', 'state')).toEqual({ kind: 'value', text: 'READY' });
    expect(parseReply('OFFLINE', 'state').kind).toBe('garbage');
    expect(parseReply('245', 'integer')).toEqual({ kind: 'value', text: '245' });
    expect(parseReply('24x', 'integer').kind).toBe('garbage');
    expect(parseReply('\u0000\u00fe?', 'text').kind).toBe('garbage');
    expect(parseReply('READY', 'ok').kind).toBe('garbage');
  });
});
