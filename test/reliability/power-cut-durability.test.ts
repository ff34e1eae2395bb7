import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import type { CentralApi } from '../../kiosk/central-api/client.ts';
import { Journal } from '../../kiosk/journal/journal.ts';
import { Outbox } from '../../kiosk/outbox/outbox.ts';
import { ROOT } from '../../kiosk/paths.ts';
import { openDb } from '../../kiosk/store/db.ts';

const KILLS = 5;

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** Runs the writer until it has reported `after` completions, then SIGKILLs it mid-write. */
async function runAndKill(
  dataDir: string,
  after: number,
): Promise<{ committed: string[]; sync: string; syncAfter: string }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test', 'reliability', 'store-writer.ts'), dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const committed: string[] = [];
  let sync = '';
  let syncAfter = '';
  let buf = '';
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += String(d);
  });
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer ended by itself (${code}): ${stderr}`));
    });
    child.stdout!.on('data', (d) => {
      buf += String(d);
      let i = buf.indexOf('\n');
      while (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('READY ')) sync = line.slice(6);
        if (line.startsWith('SYNC_AFTER ')) syncAfter = line.slice(11);
        if (line.startsWith('COMMITTED ')) committed.push(line.slice(10));
        i = buf.indexOf('\n');
      }
      if (committed.length >= after && !child.killed) child.kill('SIGKILL');
    });
  });
  return { committed, sync, syncAfter };
}

describe('power cut: a queued completion is never lost', () => {
  it('keeps every completion reported written, with its journal step, when the process is SIGKILLed mid-write', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'adm-power-cut-'));
    dirs.push(dataDir);
    const reported: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const { committed, sync, syncAfter } = await runAndKill(dataDir, 20 + Math.floor(Math.random() * 60));
      // The writer's connection commits with synchronous FULL (2): the WAL is fsynced at every commit but
      // those of steps nothing outside acts on, after which it is FULL again.
      expect(sync).toBe('2');
      expect(syncAfter).toBe('2');
      reported.push(...committed);
    }
    expect(reported.length).toBeGreaterThanOrEqual(KILLS * 20);

    const db = openDb(dataDir);
    try {
      const clock = new ManualClock();
      const journal = new Journal(db, clock);
      const outbox = new Outbox(db, {} as CentralApi, clock);
      const pending = new Map(outbox.pending().map((i) => [i.id, i]));
      for (const line of reported) {
        const [sessionId, outboxId] = line.split(' ') as [string, string];
        expect(pending.get(outboxId)?.message).toMatchObject({ kind: 'complete' });
        expect(journal.steps(sessionId)).toContainEqual(
          expect.objectContaining({ step: 'completion-queued', outboxId }),
        );
        // The steps before it that did not wait for the disk are there too.
        expect(journal.steps(sessionId).map((s) => s.step)).toEqual(
          expect.arrayContaining(['started', 'claimed', 'card-before']),
        );
      }
      // Nothing half-written: every completion-queued step has its outbox row and every row its step.
      const queued = db
        .prepare("SELECT data FROM session_steps WHERE step = 'completion-queued'")
        .all()
        .map((r) => (JSON.parse((r as { data: string }).data) as { outboxId: string }).outboxId);
      expect(new Set(queued)).toEqual(new Set(pending.keys()));
    } finally {
      db.close();
    }
  }, 60_000);
});
