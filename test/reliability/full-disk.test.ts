import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { CentralApi } from '../../kiosk/central-api/client.ts';
import { Journal } from '../../kiosk/journal/journal.ts';
import { Outbox } from '../../kiosk/outbox/outbox.ts';
import { dbOpenInfo, openDb } from '../../kiosk/store/db.ts';
import { storageHealth } from '../../kiosk/store/storage-health.ts';
import { writeBehind } from '../../kiosk/store/write-behind.ts';
import { startKiosk, waitForView } from '../support/kiosk.ts';
import { MisbehavingApi, pump } from './misbehaving-api.ts';
import { mountSmallDisk, type SmallDisk } from './tmpfs.ts';

const heartbeat = (clock: ManualClock) => ({
  kind: 'heartbeat' as const,
  body: {
    at: new Date(clock.now()).toISOString(),
    state: 'IN_SERVICE' as const,
    softwareVersion: 't',
    devices: {},
    supplies: {},
    outboxPending: 0,
  },
});

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function disk(): SmallDisk {
  const d = mountSmallDisk(1024);
  if (!d) throw new Error('this test mounts a tmpfs: run it as root (npm test does)');
  cleanup.push(() => d.unmount());
  return d;
}

describe('a full disk (a real tmpfs filled to the last byte)', () => {
  it('never throws on a failed write, keeps the completion in memory, and writes and sends it once there is room', async () => {
    const d = disk();
    const dataDir = join(d.dir, 'data');
    const server = await MisbehavingApi.start();
    cleanup.push(() => server.close());
    const clock = new ManualClock(Date.now());
    let db = openDb(dataDir);
    cleanup.push(() => {
      if (db.open) db.close();
    });
    const api = new CentralApi({ baseUrl: server.baseUrl, token: 't', kioskId: 'K-1', timeoutMs: 2_000 });
    const journal = new Journal(db, clock);
    const outbox = new Outbox(db, api, clock);
    cleanup.push(() => outbox.stop());
    outbox.start();
    const sessionId = journal.start('code').sessionId;
    journal.append(sessionId, { step: 'claimed', claimId: 'C-1', leaseExpiresAt: 'x' });
    expect(storageHealth(dataDir, 0.1)).toMatchObject({ ok: true });

    d.fill();
    expect(storageHealth(dataDir, 0.1)).toMatchObject({ ok: false, reason: 'low-space' });

    // The end of a printed card's session, on a full disk: nothing throws, nothing is lost.
    let outboxId = '';
    expect(() =>
      journal.transaction(() => {
        outboxId = outbox.enqueue({
          kind: 'complete',
          claimId: 'C-1',
          applicationNo: 'APP-1',
          body: { printedAt: new Date(clock.now()).toISOString(), cardsPrinted: 1 },
        });
        journal.append(sessionId, { step: 'completion-queued', outboxId, cardsPrinted: 1, pagesPrinted: 0 });
      }),
    ).not.toThrow();
    expect(() => journal.append(sessionId, { step: 'closed', outcome: 'printed' })).not.toThrow();
    for (let i = 0; i < 5; i++) expect(() => outbox.enqueue(heartbeat(clock))).not.toThrow();
    expect(writeBehind(db).state()).toMatchObject({ writable: false });
    expect(storageHealth(dataDir, 0.1, writeBehind(db))).toMatchObject({ ok: false, reason: 'write-failed' });
    // The completion counts as pending (adm_outbox_pending, the heartbeat) while it waits for the disk.
    expect(outbox.pendingCount()).toBe(1);
    await pump(clock, 5_000);
    expect(server.hitsOf('/v1/claims/C-1/complete')).toHaveLength(0);

    d.free();
    await pump(clock, 5_000);
    expect(writeBehind(db).state()).toEqual({ writable: true });
    expect(server.hitsOf('/v1/claims/C-1/complete')).toHaveLength(1);
    expect(outbox.item(outboxId)?.state).toBe('sent');
    expect(outbox.pendingCount()).toBe(0);
    // Only the newest of the heartbeats held meanwhile went.
    expect(server.hits.filter((h) => h.path.endsWith('/heartbeat')).length).toBeLessThanOrEqual(1);

    // On disk, in order, after a restart.
    await outbox.stop();
    db.close();
    db = openDb(dataDir);
    const steps = new Journal(db, clock).steps(sessionId).map((s) => s.step);
    expect(steps).toEqual(['started', 'claimed', 'completion-queued', 'closed']);
  }, 30_000);

  it('starts on a full disk: the store opens and reads, and writes wait for room', async () => {
    const d = disk();
    const dataDir = join(d.dir, 'data');
    const clock = new ManualClock(Date.now());
    let db = openDb(dataDir);
    const journal = new Journal(db, clock);
    const sessionId = journal.start('code').sessionId;
    db.close();

    d.fill();
    db = openDb(dataDir);
    cleanup.push(() => {
      if (db.open) db.close();
    });
    expect(dbOpenInfo(db).locking).toBe('exclusive');
    const again = new Journal(db, clock);
    expect(again.openSessions().map((s) => s.sessionId)).toEqual([sessionId]);
    expect(again.append(sessionId, { step: 'closed', outcome: 'refused' })).toBe(false);
    expect(storageHealth(dataDir, 0.1)).toMatchObject({ ok: false });

    d.free();
    expect(writeBehind(db).retry()).toBe(true);
    expect(again.openSessions()).toEqual([]);
  });

  it('the whole kiosk starts again on a full disk (kiosk-runtime.md step 13)', async () => {
    const d = mountSmallDisk(4096);
    if (!d) throw new Error('this test mounts a tmpfs: run it as root (npm test does)');
    cleanup.push(() => d.unmount());
    const dataDir = join(d.dir, 'data');
    const first = await startKiosk({ dataDir });
    await first.stop();
    d.fill();
    const again = await startKiosk({ dataDir });
    cleanup.push(() => again.stop());
    expect(again.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(dbOpenInfo(again.app.db).locking).toBe('exclusive');
  }, 60_000);

  it('below the floor the kiosk serves nobody: out-of-service, an incident, and the reason in the heartbeat', async () => {
    const d = mountSmallDisk(16_384);
    if (!d) throw new Error('this test mounts a tmpfs: run it as root (npm test does)');
    cleanup.push(() => d.unmount());
    // A 16 MB disk under a 64 MB floor.
    const k = await startKiosk({ dataDir: join(d.dir, 'data'), config: { storage: { minFreeMB: 64 } } });
    cleanup.push(() => k.stop());
    const v = await waitForView(k, (x) => x.screen === 'out-of-service', 20_000);
    expect(v.screen).toBe('out-of-service');
    expect(k.app.incidents.open().some((i) => i.kind === 'disk-low')).toBe(true);
    await k.app.outbox.flush(true);
    expect(k.central.records.heartbeats.at(-1)?.body).toMatchObject({
      state: 'OUT_OF_SERVICE',
      devices: { storage: 'STORAGE_LOW_SPACE' },
    });
  }, 60_000);
});
