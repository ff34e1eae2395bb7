import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import type { CentralApi, PostOutcome } from '../../kiosk/central-api/client.ts';
import { Journal } from '../../kiosk/journal/journal.ts';
import { Outbox } from '../../kiosk/outbox/outbox.ts';
import { openDb } from '../../kiosk/store/db.ts';
import { pruneStore } from '../../kiosk/store/retention.ts';

const SESSIONS = Number(process.env.ADM_RETENTION_SESSIONS ?? 100_000);
const PER_DAY = 300;
const DAY_MS = 24 * 60 * 60_000;
const HEARTBEAT_MS = 60_000;

/** The central API acknowledging at once: what is measured here is the store, not the network. */
const ack = async (): Promise<PostOutcome> => ({ kind: 'ack', status: 200, body: {} });
const api = { complete: ack, release: ack, feedback: ack, heartbeat: ack } as unknown as CentralApi;

function sizeOf(dataDir: string): number {
  let n = 0;
  for (const f of ['kiosk.db', 'kiosk.db-wal']) {
    try {
      n += statSync(join(dataDir, f)).size;
    } catch {
      // no WAL right after a truncating checkpoint
    }
  }
  return n;
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('retention', () => {
  it(`keeps the data file bounded over ${SESSIONS} sessions at ${PER_DAY} a day with heartbeats every minute`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'adm-retention-'));
    dirs.push(dataDir);
    const db = openDb(dataDir);
    // The fsync of every commit is what a power cut needs, and only costs time here: the file's size
    // is the same without it.
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -131072');
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const journal = new Journal(db, clock);
    const outbox = new Outbox(db, api, clock);
    const sizes: Array<{ day: number; bytes: number; sessions: number }> = [];
    const days = Math.ceil(SESSIONS / PER_DAY);
    let n = 0;
    const started = Date.now();
    for (let day = 1; day <= days; day++) {
      // One simulated day in one transaction: the same rows as one commit per step, many times faster.
      let sinceHeartbeat = 0;
      const sessionsToday = Math.min(PER_DAY, SESSIONS - n);
      const gap = DAY_MS / PER_DAY;
      journal.transaction(() => {
        for (let s = 0; s < sessionsToday; s++, n++) {
          const id = journal.start('code').sessionId;
          journal.append(id, {
            step: 'looked-up',
            applicationNo: `3574-KIA-2611-${String(n).padStart(6, '0')}`,
            service: 'KIA',
            nikMasked: '357401******0001',
            documents: [{ documentId: `DOC-${n}`, medium: 'CARD' }],
          });
          journal.append(id, {
            step: 'claimed',
            claimId: `CLM-${n}`,
            leaseExpiresAt: '2026-01-01T00:15:00Z',
          });
          journal.append(id, { step: 'downloaded' });
          journal.append(id, { step: 'confirmed' });
          journal.append(id, { step: 'card-before', documentId: `DOC-${n}`, total: n, spoiled: 0 });
          for (const at of ['sequence-started', 'panels-sent', 'card-fed', 'card-ejected'])
            journal.append(id, { step: 'card-progress', documentId: `DOC-${n}`, at });
          journal.append(id, {
            step: 'card-after',
            documentId: `DOC-${n}`,
            outcome: 'printed',
            total: n + 1,
          });
          const outboxId = outbox.enqueue({
            kind: 'complete',
            claimId: `CLM-${n}`,
            applicationNo: `3574-KIA-2611-${String(n).padStart(6, '0')}`,
            body: { printedAt: new Date(clock.now()).toISOString(), cardsPrinted: 1, pagesPrinted: 0 },
          });
          journal.append(id, { step: 'completion-queued', outboxId, cardsPrinted: 1, pagesPrinted: 0 });
          if (n % 2 === 0)
            outbox.enqueue({
              kind: 'feedback',
              body: { kioskId: 'ADM-1', rating: 4, service: 'KIA', at: new Date(clock.now()).toISOString() },
            });
          journal.append(id, { step: 'closed', outcome: 'printed' });
          clock.advance(gap);
          sinceHeartbeat += gap;
          for (; sinceHeartbeat >= HEARTBEAT_MS; sinceHeartbeat -= HEARTBEAT_MS)
            outbox.enqueue({
              kind: 'heartbeat',
              body: {
                at: new Date(clock.now()).toISOString(),
                state: 'IN_SERVICE',
                softwareVersion: '1.1.0',
                devices: { cardPrinter: 'READY', paperPrinter: 'READY', scanner: 'READY' },
                supplies: { blankCards: 100, paperSheets: 500 },
                outboxPending: 0,
              },
            });
        }
      });
      // Every message acknowledged (heartbeats included: each is acknowledged as it goes, none dropped).
      db.prepare("UPDATE outbox SET state = 'sent', sent_at = created_at WHERE state = 'pending'").run();
      await outbox.flush();
      pruneStore(db, { journal, outbox }, clock, 90);
      if (day % 30 === 0 || day === days) sizes.push({ day, bytes: sizeOf(dataDir), sessions: n });
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const rows = {
      sessions: (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n,
      outbox: (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n,
    };
    db.close();
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
    process.stdout.write(
      `retention: ${n} sessions over ${days} days in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `data file by day: ${sizes.map((s) => `${s.day}:${mb(s.bytes)} MB`).join(', ')}; ` +
        `rows kept: ${rows.sessions} sessions, ${rows.outbox} outbox\n`,
    );
    expect(n).toBe(SESSIONS);
    // 90 days kept: no more than 91 days of sessions and messages remain.
    expect(rows.sessions).toBeLessThanOrEqual(91 * PER_DAY);
    expect(rows.outbox).toBeLessThanOrEqual(91 * (PER_DAY * 1.5 + DAY_MS / HEARTBEAT_MS));
    // Once retention bites (from day 90), the file stops growing: the last size is within 10 % of day 120.
    const at120 = sizes.find((s) => s.day === 120);
    if (at120) expect(sizeOf(dataDir)).toBeLessThanOrEqual(at120.bytes * 1.1);
  }, 300_000);
});
