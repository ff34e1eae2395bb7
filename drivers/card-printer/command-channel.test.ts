import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.ts';
import { ok } from '../shared/result.ts';
import { createMemoryTransportPair } from '../transport/memory.ts';
import type { Transport } from '../transport/transport.ts';
import { CommandChannel } from './command-channel.ts';
import { encodeCommand } from './protocol.ts';

async function rig() {
  const clock = new ManualClock();
  const { a, b } = createMemoryTransportPair();
  const channel = new CommandChannel(async () => ok<Transport>(a), clock);
  await channel.start();
  const frames: string[] = [];
  b.onData((c) => frames.push(Buffer.from(c).toString('latin1')));
  const answer = (text: string) => b.write(new TextEncoder().encode(`${text}\r`));
  return { clock, channel, frames, answer, device: b };
}

describe('CommandChannel', () => {
  it('sends the next command only after the reply to the previous one', async () => {
    const { clock, channel, frames, answer } = await rig();
    const first = channel.send(encodeCommand('Rco', 'tc'), 'integer');
    const second = channel.send(encodeCommand('Rst'), 'state');
    await clock.advanceAsync(10);
    expect(frames).toEqual(['\u001bRco;tc\r']);
    await answer('7');
    await clock.advanceAsync(10);
    expect(frames).toEqual(['\u001bRco;tc\r', '\u001bRst\r']);
    await answer('READY');
    expect(await first).toEqual({ kind: 'value', text: '7' });
    expect(await second).toEqual({ kind: 'value', text: 'READY' });
  });

  it('gives up after 2 s (offline), and a late reply is not taken for the next command', async () => {
    const { clock, channel, answer } = await rig();
    const first = channel.send(encodeCommand('Rco', 'tc'), 'integer');
    await clock.advanceAsync(2000);
    expect(await first).toEqual({ kind: 'offline' });
    const second = channel.send(encodeCommand('Rco', 'sc'), 'integer');
    await clock.advanceAsync(100);
    await answer('7');
    await clock.advanceAsync(450);
    await answer('3');
    await clock.advanceAsync(10);
    expect(await second).toEqual({ kind: 'value', text: '3' });
  });

  it('answers offline at once when the line closes mid-command', async () => {
    const { clock, channel, device } = await rig();
    const pending = channel.send(encodeCommand('Rst'), 'state');
    await clock.advanceAsync(5);
    await device.close();
    expect(await pending).toEqual({ kind: 'offline' });
    expect(channel.connected).toBe(false);
  });
});
