import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.ts';
import { encodeCommand, encodeDownload, PANELS } from '../protocol.ts';
import { CommandReader, type ReadCommand } from './command-reader.ts';

function reader() {
  const clock = new ManualClock();
  const got: ReadCommand[] = [];
  const r = new CommandReader(clock, (c) => got.push(c));
  return { clock, got, r };
}

describe('CommandReader', () => {
  it('reads commands split anywhere, ignoring noise between frames', () => {
    const { got, r } = reader();
    const bytes = new Uint8Array([0x41, ...encodeCommand('Rco', 'tc'), 0x00, ...encodeCommand('Rst')]);
    for (const b of bytes) r.push(new Uint8Array([b]));
    expect(got).toEqual([
      { kind: 'command', name: 'Rco', args: ['tc'] },
      { kind: 'command', name: 'Rst', args: [] },
    ]);
  });

  it('reads exactly the panel byte count of a Db, CR bytes inside included', () => {
    const { got, r } = reader();
    const k = new Uint8Array(PANELS.k.bytes).map((_, i) => (i % 3 === 0 ? 0x0d : 0x1b));
    const frame = encodeDownload('k', k);
    r.push(frame.subarray(0, 5000));
    r.push(frame.subarray(5000));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ kind: 'download', panel: 'k' });
    expect((got[0] as { data: Uint8Array }).data).toEqual(k);
  });

  it('refuses an unknown panel at once and discards until the line was quiet 200 ms', () => {
    const { clock, got, r } = reader();
    r.push(new TextEncoder().encode('\u001bDb;x;256;'));
    expect(got).toEqual([{ kind: 'bad-data' }]);
    r.push(encodeCommand('Rst'));
    clock.advance(150);
    r.push(encodeCommand('Rst'));
    expect(got).toHaveLength(1);
    clock.advance(200);
    r.push(encodeCommand('Rst'));
    expect(got.at(-1)).toEqual({ kind: 'command', name: 'Rst', args: [] });
  });

  it('refuses a payload that stops short for 1 s, then reads on', () => {
    const { clock, got, r } = reader();
    r.push(encodeDownload('o', new Uint8Array(PANELS.o.bytes)).subarray(0, 1000));
    clock.advance(999);
    expect(got).toEqual([]);
    clock.advance(1);
    expect(got).toEqual([{ kind: 'bad-data' }]);
    r.push(encodeCommand('Rst'));
    expect(got.at(-1)).toEqual({ kind: 'command', name: 'Rst', args: [] });
  });
});
