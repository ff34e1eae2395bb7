import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, type PtyPair } from './pty-pair.ts';
import { openSerialTransport } from './serial.ts';
import type { Transport } from './transport.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function pair(): Promise<{ pty: PtyPair; a: Transport; b: Transport }> {
  const dir = mkdtempSync(join(tmpdir(), 'serial-transport-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const opened = await openPtyPair(join(dir, 'a'), join(dir, 'b'));
  if (!opened.ok) throw new Error(opened.error);
  const pty = opened.value;
  cleanups.push(() => pty.close());
  const a = await openSerialTransport(pty.pathA);
  const b = await openSerialTransport(pty.pathB);
  if (!a.ok || !b.ok) throw new Error('open failed');
  cleanups.push(() => a.value.close());
  cleanups.push(() => b.value.close());
  return { pty, a: a.value, b: b.value };
}

function collect(t: Transport): number[] {
  const got: number[] = [];
  t.onData((c) => got.push(...c));
  return got;
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('serial transport over a socat pty pair', () => {
  it('carries binary bytes unchanged both ways (raw: no CR/LF translation, no echo)', async () => {
    const { a, b } = await pair();
    const atB = collect(b);
    const atA = collect(a);
    const all = new Uint8Array(256).map((_, i) => i);
    expect((await a.write(all)).ok).toBe(true);
    expect((await b.write(new Uint8Array([0x0d, 0x0a, 0x1b]))).ok).toBe(true);
    await until(() => atB.length === 256 && atA.length === 3);
    expect(atB).toEqual([...all]);
    expect(atA).toEqual([0x0d, 0x0a, 0x1b]);
  });

  it('reports a missing device as an error value', async () => {
    const r = await openSerialTransport('/nonexistent/tty-for-test');
    expect(r.ok).toBe(false);
  });

  it('sees the pty go away (socat ended) as a close, and writes then fail', async () => {
    const { pty, a } = await pair();
    const reasons: string[] = [];
    a.onClose((r) => reasons.push(r));
    await pty.close();
    await until(() => reasons.length === 1);
    expect(a.isOpen).toBe(false);
    expect((await a.write(new Uint8Array([1]))).ok).toBe(false);
  });

  it('completes large writes between short replies, as a driver sends card panels', async () => {
    const { a, b } = await pair();
    const panel = new Uint8Array(658_368).map((_, i) => (i * 7) & 0xff);
    let got = 0;
    b.onData((c) => {
      got += c.length;
      // The device answers once the whole panel is in; a write that hangs never gets its answer.
      if (got % panel.length === 0) void b.write(new Uint8Array([0x4f, 0x4b, 0x0d]));
    });
    let replies = 0;
    a.onData((c) => {
      replies += c.filter((x) => x === 0x0d).length;
    });
    for (let round = 1; round <= 20; round++) {
      expect((await a.write(panel)).ok).toBe(true);
      await until(() => replies === round);
    }
    expect(got).toBe(20 * panel.length);
  });
});
