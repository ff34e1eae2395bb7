import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, takeDataDirLock } from './data-dir-lock.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'adm-lock-'));
  dirs.push(dir);
  return join(dir, 'data');
}

/** Another process that takes the lock and keeps running; resolves once it holds it. */
async function holder(dir: string): Promise<ChildProcess> {
  const script = `import { takeDataDirLock } from ${JSON.stringify(join(import.meta.dirname, 'data-dir-lock.ts'))};
const lock = takeDataDirLock(${JSON.stringify(dir)});
console.log(lock.ok ? 'held' : lock.error);
setInterval(() => undefined, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const line = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(`${d}`)),
  );
  expect(line.trim()).toBe('held');
  return child;
}

describe('the data folder lock', () => {
  it('is held by one process and released at stop', () => {
    const dir = dataDir();
    const lock = takeDataDirLock(dir);
    expect(lock.ok).toBe(true);
    if (!lock.ok) return;
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.value.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a data folder a live process holds, naming it, and takes it once that process is killed', async () => {
    const dir = dataDir();
    const child = await holder(dir);
    const refused = takeDataDirLock(dir);
    expect(refused).toEqual({
      ok: false,
      error: `another kiosk (pid ${child.pid}) is running on the data folder ${dir}; stop it first`,
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const taken = takeDataDirLock(dir);
    expect(taken.ok).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  });

  it('takes over a lock written before a reboot, even when its pid is alive now', () => {
    const dir = dataDir();
    takeDataDirLock(dir);
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: process.ppid, bootId: 'another-boot', startTicks: '' }),
    );
    expect(takeDataDirLock(dir).ok).toBe(true);
  });

  it('takes over a lock whose pid now belongs to a process started later (a reused pid)', () => {
    const dir = dataDir();
    takeDataDirLock(dir);
    const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...lock, pid: process.ppid, startTicks: '1' }));
    expect(takeDataDirLock(dir).ok).toBe(true);
  });

  it('takes over a lock file left half-written', () => {
    const dir = dataDir();
    takeDataDirLock(dir);
    writeFileSync(join(dir, LOCK_FILE), '{"pid":');
    expect(takeDataDirLock(dir).ok).toBe(true);
  });

  it('does not remove a lock another process has taken since', async () => {
    const dir = dataDir();
    const mine = takeDataDirLock(dir);
    if (!mine.ok) throw new Error(mine.error);
    rmSync(join(dir, LOCK_FILE));
    const child = await holder(dir);
    mine.value.release();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(child.pid);
  });
});
