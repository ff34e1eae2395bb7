import { describe, expect, it } from 'vitest';
import { CR, ESC, encodeCommand, encodeDownload, isPrinterFault, PANELS, parseReply } from './protocol.ts';

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

  it('1.1: COOLING is a state and an ERR code but not a fault; Rbz answers EMPTY or CARD', () => {
    expect(parseReply('COOLING', 'state')).toEqual({ kind: 'value', text: 'COOLING' });
    expect(parseReply('ERR COOLING', 'ok')).toEqual({ kind: 'err', code: 'COOLING' });
    expect(isPrinterFault('COOLING')).toBe(false);
    expect(isPrinterFault('CARD_JAM')).toBe(true);
    expect(parseReply('CARD', 'bezel')).toEqual({ kind: 'value', text: 'CARD' });
    expect(parseReply('EMPTY', 'bezel')).toEqual({ kind: 'value', text: 'EMPTY' });
    expect(parseReply('ERR BAD_COMMAND', 'bezel')).toEqual({ kind: 'err', code: 'BAD_COMMAND' });
    expect(parseReply('FULL', 'bezel').kind).toBe('garbage');
    expect(encodeCommand('Sbz', 'r')).toEqual(
      new Uint8Array([ESC, ...new TextEncoder().encode('Sbz;r'), CR]),
    );
  });
});
