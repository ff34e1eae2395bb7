import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../store/db.ts';
import { referenceOf, SESSION_REFERENCE_PATTERN, SessionReferences } from './session-reference.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('session references', () => {
  it('have the contract pattern and never repeat for one kiosk (20,000 in a row)', () => {
    const seen = new Set<string>();
    for (let n = 1; n <= 20_000; n++) {
      const r = referenceOf('ADM-3574-MPP-01', n);
      expect(SESSION_REFERENCE_PATTERN.test(r)).toBe(true);
      seen.add(r);
    }
    expect(seen.size).toBe(20_000);
  });

  it('differ between kiosks for the same counter, and do not read as consecutive numbers', () => {
    expect(referenceOf('ADM-3574-MPP-01', 1)).not.toBe(referenceOf('ADM-3574-MPP-02', 1));
    const a = referenceOf('ADM-3574-MPP-01', 41);
    const b = referenceOf('ADM-3574-MPP-01', 42);
    expect(a.slice(0, 4)).not.toBe(b.slice(0, 4));
  });

  it('keep counting across a restart: a reference handed out is never handed out again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-ref-'));
    dirs.push(dir);
    const first = openDb(dir);
    const a = new SessionReferences(first, 'K1');
    const before = [a.take(), a.take()];
    first.close();
    const second = openDb(dir);
    const after = new SessionReferences(second, 'K1').take();
    second.close();
    expect(before).not.toContain(after);
    expect(after).toBe(referenceOf('K1', 3));
  });

  it('take one ahead that the next session gets, and a restart skips one never used rather than giving it twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-ref-'));
    dirs.push(dir);
    const first = openDb(dir);
    const a = new SessionReferences(first, 'K1');
    expect(a.take()).toBe(referenceOf('K1', 1));
    expect(a.takeAhead()).toBe(true);
    expect(a.takeAhead()).toBe(true);
    expect(a.take()).toBe(referenceOf('K1', 2));
    expect(a.takeAhead()).toBe(true);
    first.close();
    // The one taken ahead (3) went to disk when it was taken: after a restart it is never given.
    const second = openDb(dir);
    const b = new SessionReferences(second, 'K1');
    expect(b.take()).toBe(referenceOf('K1', 4));
    expect(b.take()).toBe(referenceOf('K1', 5));
    second.close();
  });
});
