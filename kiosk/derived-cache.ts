import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Values the kiosk derives from its own files by slow work at start (the contract's YAML parsed, the
 * central API simulator's documents drawn), kept as JSON under a hash of everything they are derived
 * from, so that the next start reads them instead of doing the work again. A changed input is a new
 * hash, hence a new file: nothing is ever stale. Anything wrong with the cache (no folder, no room, a
 * torn file) only means the work is done again; it is never an error.
 *
 * The folder is `ADM_CACHE_DIR`, else `adm-kiosk-cache` in the system's temporary folder. It is used
 * only when it belongs to this process's user and nobody else can write to it: in a shared temporary
 * folder another user could otherwise plant a "parsed contract" for the kiosk to read.
 */
export function derivedCacheDir(): string {
  return process.env.ADM_CACHE_DIR || join(tmpdir(), 'adm-kiosk-cache');
}

/** The hash that names a derived value: of every input, in order (texts, bytes). */
export function derivedKey(...inputs: Array<string | Uint8Array>): string {
  const h = createHash('sha256');
  for (const input of inputs) {
    const bytes = typeof input === 'string' ? Buffer.from(input) : input;
    // Each input's length first, so that ("ab", "c") and ("a", "bc") differ.
    h.update(`${bytes.length}:`).update(bytes);
  }
  return h.digest('hex').slice(0, 32);
}

/** Whether the folder is this user's own and written by nobody else. */
function trusted(dir: string): boolean {
  try {
    const st = statSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function pathOf(name: string, key: string): string {
  return join(derivedCacheDir(), `${name}-${key}.json`);
}

/** The value kept under `name` and `key`, or undefined when there is none (or it cannot be read). */
export function readDerived<T>(name: string, key: string): T | undefined {
  if (!trusted(derivedCacheDir())) return undefined;
  try {
    return JSON.parse(readFileSync(pathOf(name, key), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Keeps `value` (JSON) under `name` and `key`. Written beside its place and renamed into it, so a reader
 * never sees half a file, even with two kiosks (or tests) writing the same value at once.
 */
export function writeDerived(name: string, key: string, value: unknown): void {
  const path = pathOf(name, key);
  const partial = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(derivedCacheDir(), { recursive: true, mode: 0o700 });
    if (!trusted(derivedCacheDir())) return;
    writeFileSync(partial, JSON.stringify(value));
    renameSync(partial, path);
  } catch {
    // A full disk or a read-only folder: the value is derived again next time.
  }
}

/** The value under `name` and `key`, derived (and kept) when there is none yet. */
export function derivedSync<T>(name: string, key: string, derive: () => T): T {
  const kept = readDerived<T>(name, key);
  if (kept !== undefined) return kept;
  const value = derive();
  writeDerived(name, key, value);
  return value;
}
