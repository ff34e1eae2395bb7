import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runHashPin } from './hash-pin-cli.ts';
import { verifyPin } from './pin-hash.ts';

function io(input: string | undefined) {
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  if (input !== undefined) stdin.end(input);
  return {
    io: { stdin, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    out: () => out,
    err: () => err,
  };
}

describe('hash-pin', () => {
  it('reads the PIN from standard input and prints its hash', async () => {
    const t = io('246810\n');
    expect(await runHashPin([], t.io)).toBe(0);
    const hash = t.out().trim();
    expect(await verifyPin('246810', hash)).toBe(true);
    expect(t.out()).not.toContain('246810');
  });

  it('takes the PIN on the command line as the contract names it, with a warning; refuses one shorter than 6 digits', async () => {
    const a = io('');
    expect(await runHashPin(['246810'], a.io)).toBe(0);
    expect(await verifyPin('246810', a.out().trim())).toBe(true);
    expect(a.err()).toMatch(/command line/);
    const short = io('');
    expect(await runHashPin(['1234'], short.io)).toBe(2);
    expect(short.out()).toBe('');
    const b = io('12345\n');
    expect(await runHashPin([], b.io)).toBe(2);
    expect(b.out()).toBe('');
    expect(b.err()).toMatch(/6 to 12 digits/);
    const c = io('');
    expect(await runHashPin([], c.io)).toBe(2);
  });
});
