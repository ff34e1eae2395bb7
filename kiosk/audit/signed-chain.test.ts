import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { openDb } from '../store/db.ts';
import { AuditLog } from './audit-log.ts';
import { type AuditRow, entryHash, fromRow } from './chain.ts';
import { openAuditLog } from './open-audit-log.ts';
import { defaultAuditKeyPath, loadOrCreateAuditKey, readAuditVerifier } from './signing-key.ts';
import { runVerifyAuditCli } from './verify-cli.ts';

const DAY = 86_400_000;

function fill(log: AuditLog, clock: ManualClock, n: number, stepMs = 1000): void {
  for (let i = 0; i < n; i++) {
    log.append({ type: 'maintenance', technicianId: 'T-3574-01', outcome: 'load-cards', detail: { n: i } });
    clock.advance(stepMs);
  }
}

/**
 * What an intruder who can write the data folder does: drops the triggers, changes entry `from`, and
 * recomputes every hash after it and the head, so every link checks. The signatures cannot be redone.
 */
function rewriteFrom(dataDir: string, from: number): void {
  const db = openDb(dataDir);
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  db.prepare("UPDATE audit_log SET outcome = 'remove-cards' WHERE seq = ?").run(from);
  const rows = db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(from) as AuditRow[];
  let prev = (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(from - 1) as { hash: string }).hash;
  for (const r of rows) {
    const hash = entryHash(prev, { ...fromRow(r), prevHash: prev });
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
    prev = hash;
  }
  db.prepare('UPDATE audit_head SET hash = ? WHERE id = 1').run(prev);
  db.close();
}

describe('the signed audit chain', () => {
  let root: string;
  let dataDir: string;
  let keyPath: string;
  let clock: ManualClock;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'adm-audit-sig-'));
    dataDir = join(root, 'data');
    keyPath = defaultAuditKeyPath(dataDir);
    clock = new ManualClock();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps its key outside the data folder, readable by the kiosk only, the same key at every start', () => {
    expect(keyPath.startsWith(`${dataDir}/`)).toBe(false);
    expect(loadOrCreateAuditKey(join(dataDir, 'audit.pem'), dataDir)).toMatchObject({ ok: false });
    const a = loadOrCreateAuditKey(keyPath, dataDir);
    expect(a.ok && a.value.created).toBe(true);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const b = loadOrCreateAuditKey(keyPath, dataDir);
    expect(b.ok && !b.value.created && a.ok && b.value.keyId === a.value.keyId).toBe(true);
    expect(() =>
      openAuditLog(openDb(dataDir), clock, { dataDir, audit: { keyPath: join(dataDir, 'k.pem') } }),
    ).toThrow(/outside dataDir/);
  });

  it('a chain recomputed from entry 4 passes the links but not the signatures nor the anchored head', () => {
    let db = openDb(dataDir);
    const log = openAuditLog(db, clock, { dataDir });
    fill(log, clock, 3);
    log.anchored(log.head());
    fill(log, clock, 5);
    log.anchored(log.head());
    const anchoredHead = log.head();
    expect(anchoredHead.seq).toBe(8);
    db.close();

    rewriteFrom(dataDir, 4);
    db = openDb(dataDir);
    const verifier = readAuditVerifier(keyPath);
    if (!verifier.ok) throw new Error(verifier.error);
    // Without the key and the anchors the links all check: that is what the signature is for.
    expect(new AuditLog(db).verify({ anchors: [] })).toMatchObject({
      ok: false,
      divergence: { anchor: { seq: 8 } },
    });
    db.exec('DELETE FROM audit_anchors');
    expect(new AuditLog(db).verify()).toEqual({ ok: true, count: 8 });
    const r = new AuditLog(db).verify({
      verifier: verifier.value,
      anchors: [{ seq: 3, hash: '' }, anchoredHead],
    });
    expect(r).toMatchObject({ ok: false, brokenAt: 4 });
    db.close();

    // The central API's copy of the head says the same from outside, with the key.
    const lines: string[] = [];
    const code = runVerifyAuditCli(
      ['--data-dir', dataDir, '--key', keyPath, '--anchor', `${anchoredHead.seq}:${anchoredHead.hash}`],
      (l) => lines.push(l),
    );
    expect(code).toBe(1);
    expect(lines[0]).toMatch(
      /^BROKEN at entry 4: the chain diverges from the head anchored at entry 8 .*rewritten from entry 4/,
    );
  });

  it('without the key, the anchors alone say after which entry the rewrite starts', () => {
    let db = openDb(dataDir);
    const log = openAuditLog(db, clock, { dataDir });
    fill(log, clock, 3);
    log.anchored(log.head());
    fill(log, clock, 3);
    log.anchored(log.head());
    db.close();
    rewriteFrom(dataDir, 5);
    db = openDb(dataDir);
    const r = new AuditLog(db).verify();
    expect(r).toMatchObject({ ok: false, divergence: { anchor: { seq: 6 }, lastMatchingAnchor: 3 } });
    expect(r.ok ? '' : r.reason).toMatch(/rewritten after entry 3/);
    db.close();
  });

  it('signs the entries an older kiosk wrote without a key, once, after checking them', () => {
    let db = openDb(dataDir);
    fill(new AuditLog(db, clock), clock, 4);
    db.close();
    db = openDb(dataDir);
    const log = openAuditLog(db, clock, { dataDir });
    fill(log, clock, 2);
    const verifier = readAuditVerifier(keyPath);
    if (!verifier.ok) throw new Error(verifier.error);
    expect(log.verify({ verifier: verifier.value })).toEqual({ ok: true, count: 6, signed: 6 });
    expect(() => db.prepare("UPDATE audit_log SET sig = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    db.close();
  });

  it('prunes past the retention behind a checkpoint and stays verifiable; nothing newer can be deleted', () => {
    const db = openDb(dataDir);
    const log = openAuditLog(db, clock, { dataDir, audit: { retentionDays: 365 } });
    fill(log, clock, 10, 100 * DAY);
    const head = log.head();
    log.anchored(head);
    // 10 entries 100 days apart, now 100 days after the last: the 7 more than 365 days old go.
    const pruned = log.prune(365);
    expect(pruned).toBe(7);
    const verifier = readAuditVerifier(keyPath);
    if (!verifier.ok) throw new Error(verifier.error);
    expect(log.verify({ verifier: verifier.value })).toEqual({
      ok: true,
      count: 3,
      fromSeq: 8,
      signed: 3,
      anchoredSeq: 10,
    });
    expect(log.entries().map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 8').run()).toThrow(/append-only/);
    // The newest entry is never pruned, and appending goes on from the head.
    clock.advance(5000 * DAY);
    expect(log.prune(365)).toBe(2);
    expect(log.append({ type: 'system', outcome: 'start' }).seq).toBe(11);
    expect(log.verify({ verifier: verifier.value })).toMatchObject({ ok: true, count: 2, fromSeq: 10 });
    db.close();
  });

  it('the CLI checks signatures with the key file', () => {
    const db = openDb(dataDir);
    fill(openAuditLog(db, clock, { dataDir }), clock, 3);
    db.close();
    const r = spawnSync(
      'npx',
      ['tsx', 'kiosk/audit/verify-cli.ts', '--data-dir', dataDir, '--key', keyPath],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stdout.trim()).toBe('OK 3 entries; 3 signed');
    expect(r.status).toBe(0);
  });
});
