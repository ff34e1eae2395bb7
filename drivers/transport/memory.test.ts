import { describe, expect, it } from 'vitest';
import { createMemoryTransportPair } from './memory.ts';

describe('memory transport pair', () => {
  it('carries bytes both ways, in order, never synchronously', async () => {
    const { a, b } = createMemoryTransportPair();
    const got: number[] = [];
    b.onData((c) => got.push(...c));
    const w1 = await a.write(new Uint8Array([1, 2]));
    const w2 = await a.write(new Uint8Array([3]));
    expect(w1.ok && w2.ok).toBe(true);
    expect(got).toEqual([]);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([1, 2, 3]);
  });

  it('closing one end closes both, once, and later writes fail', async () => {
    const { a, b } = createMemoryTransportPair();
    const reasons: string[] = [];
    a.onClose((r) => reasons.push(`a:${r}`));
    b.onClose((r) => reasons.push(`b:${r}`));
    await b.close();
    await b.close();
    expect(reasons).toEqual(['b:closed', 'a:peer closed']);
    expect(a.isOpen).toBe(false);
    expect((await a.write(new Uint8Array([1]))).ok).toBe(false);
    const late: string[] = [];
    a.onClose((r) => late.push(r));
    expect(late).toEqual(['peer closed']);
  });
});
