import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { CentralApi } from '../../kiosk/central-api/client.ts';
import { OUTBOX_BACKOFF_MS, Outbox } from '../../kiosk/outbox/outbox.ts';
import { openDb } from '../../kiosk/store/db.ts';
import { MisbehavingApi, pump } from './misbehaving-api.ts';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('outbox: a wall clock that jumps', () => {
  it('retries on time after the wall clock jumps back an hour (waits run on the monotonic clock)', async () => {
    const server = await MisbehavingApi.start();
    cleanup.push(() => server.close());
    const dir = mkdtempSync(join(tmpdir(), 'adm-outbox-jump-'));
    const db = openDb(dir);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanup.push(() => {
      db.close();
    });
    const path = '/v1/claims/C-1/complete';
    server.on(path, { kind: 'status', status: 503 });

    const clock = new ManualClock(Date.now());
    const api = new CentralApi({ baseUrl: server.baseUrl, token: 't', kioskId: 'K-1', timeoutMs: 2_000 });
    const outbox = new Outbox(db, api, clock);
    cleanup.push(() => outbox.stop());
    const id = outbox.enqueue({
      kind: 'complete',
      claimId: 'C-1',
      applicationNo: 'APP-1',
      body: { printedAt: new Date(clock.now()).toISOString(), cardsPrinted: 1 },
    });
    outbox.start();
    await pump(clock, 200);
    expect(server.hitsOf(path)).toHaveLength(1);

    // NTP (or a technician) sets the clock back an hour; the API comes back.
    clock.jumpWall(-60 * 60_000);
    server.on(path, { kind: 'ok' });

    // The first retry is due one backoff step after the failure, whatever the wall clock says.
    await pump(clock, OUTBOX_BACKOFF_MS.first + 500);
    expect(server.hitsOf(path)).toHaveLength(2);
    expect(outbox.item(id)?.state).toBe('sent');
    expect(outbox.pendingCount()).toBe(0);
  });
});
