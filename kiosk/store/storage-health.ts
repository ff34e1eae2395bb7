import { statfsSync } from 'node:fs';
import type { WriteBehind } from './write-behind.ts';

/** The floor of free space in the data folder below which the kiosk serves nobody (config `storage.minFreeMB`). */
export const DEFAULT_MIN_FREE_MB = 200;

/**
 * Whether the kiosk may take a new applicant as far as its disk goes. `low-space`: the data folder's file
 * system has less free space than the floor (a session writes a few KB, a print's documents more, and
 * the completion of a printed card must always find room). `write-failed`: a write was refused and is
 * held in memory until the disk takes it. `unknown`: the free space cannot be read (the folder is gone).
 */
export type StorageHealth =
  | { ok: true; freeBytes: number }
  | { ok: false; reason: 'low-space'; freeBytes: number; floorBytes: number }
  | { ok: false; reason: 'write-failed'; freeBytes?: number; held: number; error: string }
  | { ok: false; reason: 'unknown'; error: string };

/**
 * Checks the data folder's free space against the floor and the store's held writes. Cheap (one
 * `statfs`): the core calls it before it claims or prints, and for every heartbeat.
 */
export function storageHealth(
  dataDir: string,
  minFreeMB: number = DEFAULT_MIN_FREE_MB,
  writes?: WriteBehind,
): StorageHealth {
  let freeBytes: number;
  try {
    const s = statfsSync(dataDir);
    freeBytes = s.bavail * s.bsize;
  } catch (e) {
    return { ok: false, reason: 'unknown', error: (e as Error).message };
  }
  const w = writes?.state();
  if (w && !w.writable) return { ok: false, reason: 'write-failed', freeBytes, held: w.held, error: w.error };
  const floorBytes = minFreeMB * 1024 * 1024;
  if (freeBytes < floorBytes) return { ok: false, reason: 'low-space', freeBytes, floorBytes };
  return { ok: true, freeBytes };
}
