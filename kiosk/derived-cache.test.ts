import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { derivedKey, derivedSync, readDerived, writeDerived } from './derived-cache.ts';

let dir: string;
const before = process.env.ADM_CACHE_DIR;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'adm-derived-'));
  process.env.ADM_CACHE_DIR = join(dir, 'cache');
});
afterEach(() => {
  if (before === undefined) delete process.env.ADM_CACHE_DIR;
  else process.env.ADM_CACHE_DIR = before;
  rmSync(dir, { recursive: true, force: true });
});

describe('the cache of values derived at start', () => {
  it('derives once, then reads the kept value; another input is another key', () => {
    let derived = 0;
    const derive = () => {
      derived++;
      return { parsed: [1, 'two'] };
    };
    const key = derivedKey('openapi: 3.1.0\n');
    expect(derivedSync('doc', key, derive)).toEqual({ parsed: [1, 'two'] });
    expect(derivedSync('doc', key, derive)).toEqual({ parsed: [1, 'two'] });
    expect(derived).toBe(1);
    expect(derivedSync('doc', derivedKey('openapi: 3.1.1\n'), derive)).toEqual({ parsed: [1, 'two'] });
    expect(derived).toBe(2);
  });

  it('keys on every input and where one ends', () => {
    expect(derivedKey('ab', 'c')).not.toBe(derivedKey('a', 'bc'));
    expect(derivedKey('a', new Uint8Array([1]))).not.toBe(derivedKey('a', new Uint8Array([2])));
    expect(derivedKey('x')).toBe(derivedKey('x'));
  });

  it('treats a torn file as none, and a folder it cannot write as no cache (never an error)', () => {
    writeDerived('doc', 'k1', { a: 1 });
    const [file] = readdirSync(join(dir, 'cache'));
    expect(file).toBe('doc-k1.json');
    writeFileSync(join(dir, 'cache', file!), '{"a": 1');
    expect(readDerived('doc', 'k1')).toBeUndefined();
    expect(derivedSync('doc', 'k1', () => ({ a: 2 }))).toEqual({ a: 2 });
    expect(readDerived('doc', 'k1')).toEqual({ a: 2 });
    // A file where the folder should be: nothing can be kept, the value is still derived.
    process.env.ADM_CACHE_DIR = join(dir, 'not-a-folder');
    writeFileSync(process.env.ADM_CACHE_DIR, '');
    chmodSync(process.env.ADM_CACHE_DIR, 0o400);
    expect(derivedSync('doc', 'k2', () => 7)).toBe(7);
    expect(readDerived('doc', 'k2')).toBeUndefined();
  });

  it('reads nothing from a folder others can write, nor from one of another user', () => {
    writeDerived('doc', 'k3', { a: 1 });
    expect(readDerived('doc', 'k3')).toEqual({ a: 1 });
    // Someone else could have put that file there: it is not read, the value is derived again.
    chmodSync(join(dir, 'cache'), 0o777);
    expect(readDerived('doc', 'k3')).toBeUndefined();
    expect(derivedSync('doc', 'k3', () => ({ a: 2 }))).toEqual({ a: 2 });
    chmodSync(join(dir, 'cache'), 0o700);
    expect(readDerived('doc', 'k3')).toEqual({ a: 1 });
    if (process.getuid?.() === 0) {
      chownSync(join(dir, 'cache'), 65534, 65534);
      expect(readDerived('doc', 'k3')).toBeUndefined();
    }
  });
});
