import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../drivers/shared/clock.ts';
import { CentralApi } from '../../kiosk/central-api/client.ts';
import { Outbox, type OutboxMessage } from '../../kiosk/outbox/outbox.ts';
import { type Db, openDb } from '../../kiosk/store/db.ts';
import { MisbehavingApi } from './misbehaving-api.ts';

const complete = (claimId: string): OutboxMessage => ({
  kind: 'complete',
  claimId,
  applicationNo: `APP-${claimId}`,
  body: { printedAt: new Date().toISOString(), cardsPrinted: 1, pagesPrinted: 0 },
});

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('outbox: one stuck message never blocks the others', () => {
  it('sends the rest while a complete stalls mid-body and another keeps failing, retries each with backoff, and counts both as pending', async () => {
    const server = await MisbehavingApi.start();
    cleanup.push(() => server.close());
    const dir = mkdtempSync(join(tmpdir(), 'adm-outbox-stuck-'));
    const db: Db = openDb(dir);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanup.push(() => {
      db.close();
    });
    server.on('/v1/claims/C-STALL/complete', { kind: 'stall-body' });
    server.on('/v1/claims/C-FAIL/complete', { kind: 'status', status: 500 });

    const api = new CentralApi({ baseUrl: server.baseUrl, token: 't', kioskId: 'K-1', timeoutMs: 1_000 });
    const acked: string[] = [];
    const outbox = new Outbox(
      db,
      api,
      systemClock,
      { acknowledged: (i) => acked.push(i.id) },
      { attemptDeadlineMs: 1_200, backoff: { first: 200, max: 1_600 } },
    );
    cleanup.push(() => outbox.stop());

    // The stuck one first: the old outbox sent in order and waited on it for ever.
    const stall = outbox.enqueue(complete('C-STALL'));
    const fail = outbox.enqueue(complete('C-FAIL'));
    const release = outbox.enqueue({
      kind: 'release',
      claimId: 'C-REL',
      applicationNo: 'APP-REL',
      reason: 'TIMEOUT',
    });
    const beat = outbox.enqueue({
      kind: 'heartbeat',
      body: {
        at: new Date().toISOString(),
        state: 'IN_SERVICE',
        softwareVersion: 't',
        devices: {},
        supplies: {},
        outboxPending: 0,
      },
    });
    outbox.start();

    await until(() => acked.includes(release) && acked.includes(beat), 2_000);
    expect(outbox.pendingCount()).toBe(2);

    // A completion queued while the stall goes on is sent at once, not after it.
    const t0 = Date.now();
    const later = outbox.enqueue(complete('C-LATER'));
    await until(() => acked.includes(later), 1_000);
    expect(Date.now() - t0).toBeLessThan(1_000);

    // Each stuck message is retried on its own: the failing one with growing gaps, the stalled one again
    // once its attempt's deadline passed.
    await until(() => server.hitsOf('/v1/claims/C-FAIL/complete').length >= 4, 4_000);
    await until(() => server.hitsOf('/v1/claims/C-STALL/complete').length >= 2, 4_000);
    const gaps = server
      .hitsOf('/v1/claims/C-FAIL/complete')
      .slice(0, 4)
      .map((h, i, a) => (i === 0 ? 0 : h.at - a[i - 1]!.at))
      .slice(1);
    // Backoff 200, 400, 800 ms: a busy machine only delays a retry, so each gap is at least its step
    // (less a timer's slack), and the third is at least four times the first step.
    expect(gaps[0]).toBeGreaterThanOrEqual(150);
    expect(gaps[1]).toBeGreaterThanOrEqual(350);
    expect(gaps[2]!).toBeGreaterThanOrEqual(750);
    // Every attempt of one message carries the same Idempotency-Key.
    expect(new Set(server.hitsOf('/v1/claims/C-FAIL/complete').map((h) => h.idempotencyKey)).size).toBe(1);
    expect(outbox.pendingCount()).toBe(2);
    expect(outbox.item(fail)).toMatchObject({ state: 'pending', lastError: 'HTTP 500' });
    expect(outbox.item(stall)?.lastError).toMatch(/no whole answer|timeout/);

    // The failing route mends: its message goes, the stalled one is still counted.
    server.on('/v1/claims/C-FAIL/complete', { kind: 'ok' });
    await until(() => acked.includes(fail), 4_000);
    expect(outbox.pendingCount()).toBe(1);
    expect(outbox.pending().map((i) => i.id)).toEqual([stall]);
  }, 20_000);
});
