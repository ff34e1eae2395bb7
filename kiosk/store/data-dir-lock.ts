import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../drivers/shared/result.ts';

/** The lock file inside the data folder. */
export const LOCK_FILE = 'kiosk.lock';

/** Exit code of a kiosk that found its data folder held by another running kiosk. */
export const DATA_DIR_LOCKED_EXIT_CODE = 3;

/** Thrown by `startKioskApp` when another live kiosk holds the data folder; its message is one line. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

/** Who holds a data folder: enough to tell a live holder from one a crash or a reboot left behind. */
interface LockOwner {
  pid: number;
  /** The kernel's boot id: a lock written before a reboot is stale whatever its pid. */
  bootId: string;
  /** The holder's start time (clock ticks since boot), so a pid reused by another process is stale too. */
  startTicks: string;
}

/** A held data folder; `release()` removes the lock if it is still this process's. */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the data folder for this process, so two kiosks never share a journal. The lock is a file
 * created exclusively (`O_EXCL`) naming its holder; a lock whose holder is dead (a SIGKILL, a power cut,
 * a pid reused after a reboot) is taken over. A lock this very process holds is taken over as well: one
 * process runs one kiosk at a time, so it is a kiosk the process abandoned (the tests simulate a power cut
 * that way). Returns the one-line reason when another live kiosk holds it.
 */
export function takeDataDirLock(dataDir: string): Result<DataDirLock, string> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const me = currentOwner();
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(path, me)) return ok(heldLock(path, me));
    const holder = readOwner(path);
    if (holder && holder.pid !== me.pid && isAlive(holder)) {
      return err(`another kiosk (pid ${holder.pid}) is running on the data folder ${dataDir}; stop it first`);
    }
    // Stale (or unreadable: a crash mid-write). Take it over atomically: write ours aside, rename over it.
    const aside = `${path}.${me.pid}`;
    try {
      writeOwnerFile(aside, me);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      return err(`the data folder ${dataDir} holds a lock that cannot be taken over: its disk is full`);
    }
    try {
      renameSync(aside, path);
    } catch {
      continue;
    }
    // Another starter may have renamed its own over ours in the same instant: only one name survives.
    if (readOwner(path)?.pid === me.pid) return ok(heldLock(path, me));
  }
  return err(`the data folder ${dataDir} is being taken by another kiosk starting at the same time`);
}

function heldLock(path: string, me: LockOwner): DataDirLock {
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      if (readOwner(path)?.pid !== me.pid) return;
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}

function createExclusive(path: string, me: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } catch (e) {
    // A full disk (kiosk-runtime.md step 13): the file exists, so the lock is ours; its holder just is
    // not written down. The kiosk must still start and serve what it owes.
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return true;
}

function writeOwnerFile(path: string, me: LockOwner): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } finally {
    closeSync(fd);
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return undefined;
    return {
      pid: parsed.pid,
      bootId: String(parsed.bootId ?? ''),
      startTicks: String(parsed.startTicks ?? ''),
    };
  } catch {
    return undefined;
  }
}

function currentOwner(): LockOwner {
  return { pid: process.pid, bootId: bootId(), startTicks: startTicks(process.pid) ?? '' };
}

/** Whether the process that wrote `owner` is still running (same boot, same pid, same start time). */
function isAlive(owner: LockOwner): boolean {
  if (owner.bootId && owner.bootId !== bootId()) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    // EPERM: the pid exists but belongs to another user; it is alive.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const ticks = startTicks(owner.pid);
  return !(owner.startTicks && ticks !== undefined && ticks !== owner.startTicks);
}

/** Linux's boot id; empty where there is none (the check then rests on the pid alone). */
function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/** Field 22 of `/proc/<pid>/stat`, the process's start time; undefined off Linux or for a gone pid. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
