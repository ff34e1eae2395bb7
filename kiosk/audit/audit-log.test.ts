import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { openDb, openMemoryDb } from '../store/db.ts';
import { AuditLog, GENESIS_HASH } from './audit-log.ts';
import { runVerifyAudit } from './verify-cli.ts';

function fill(log: AuditLog, clock: ManualClock, n: number): void {
  for (let i = 0; i < n; i++) {
    log.append({
      type: i % 2 ? 'session' : 'maintenance',
      technicianId: i % 2 ? undefined : 'T-3574-01',
      applicationNo: i % 2 ? `3574-KTP-2026-00000${i}` : undefined,
      nik: i % 2 ? '3574010101900001' : undefined,
      outcome: i % 2 ? 'printed' : 'load-cards',
      detail: { service: 'KTP_EL', n: i, pin: '123456' },
    });
    clock.advance(1000);
  }
}

describe('AuditLog', () => {
  it('chains entries and masks what it stores', () => {
    const clock = new ManualClock();
    const log = new AuditLog(openMemoryDb(), clock);
    fill(log, clock, 4);
    const entries = log.entries();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(entries[1]!.nikMasked).toBe('357401******0001');
    expect(entries[1]!.detail).toEqual({ service: 'KTP_EL', n: 1, pin: '[redacted]' });
    expect(JSON.stringify(entries)).not.toContain('3574010101900001');
    expect(JSON.stringify(entries)).not.toContain('123456');
    expect(log.verify()).toEqual({ ok: true, count: 4 });
    expect(log.entries({ limit: 2 }).map((e) => e.seq)).toEqual([3, 4]);
    expect(log.entries({ type: 'session' }).map((e) => e.seq)).toEqual([2, 4]);
  });

  it('refuses UPDATE and DELETE through SQLite', () => {
    const db = openMemoryDb();
    const log = new AuditLog(db);
    log.append({ type: 'system', outcome: 'start' });
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });
});

describe('tampering is detected', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'adm-audit-'));
    const clock = new ManualClock();
    const db = openDb(dir);
    fill(new AuditLog(db, clock), clock, 6);
    db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Edits the file as an intruder would: the append-only triggers dropped first. */
  function tamper(sql: string): void {
    const db = openDb(dir);
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.exec(sql);
    db.close();
  }

  function verify(): ReturnType<AuditLog['verify']> {
    const db = openDb(dir);
    const r = new AuditLog(db).verify();
    db.close();
    return r;
  }

  it('an intact trail verifies', () => {
    expect(verify()).toEqual({ ok: true, count: 6 });
    const lines: string[] = [];
    expect(runVerifyAudit(dir, (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(['OK 6 entries']);
  });

  it('a changed outcome', () => {
    tamper("UPDATE audit_log SET outcome = 'refused' WHERE seq = 4");
    expect(verify()).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('a changed detail', () => {
    tamper(`UPDATE audit_log SET detail = '{"n":3,"pin":"[redacted]","service":"KIA"}' WHERE seq = 4`);
    expect(verify()).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('an entry rewritten with a forged hash', () => {
    tamper("UPDATE audit_log SET technician_id = 'T-X', hash = 'f' || substr(hash, 2) WHERE seq = 3");
    expect(verify()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('a deleted entry in the middle', () => {
    tamper('DELETE FROM audit_log WHERE seq = 2');
    expect(verify()).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('a cut tail', () => {
    tamper('DELETE FROM audit_log WHERE seq = 6');
    expect(verify()).toMatchObject({ ok: false, brokenAt: 6 });
  });

  it('the CLI exits 1 and names the broken entry', () => {
    tamper('UPDATE audit_log SET at = at + 1 WHERE seq = 5');
    const r = spawnSync('npx', ['tsx', 'kiosk/audit/verify-cli.ts', '--data-dir', dir], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('BROKEN at entry 5');
  });

  it('the CLI exits 0 on an intact trail', () => {
    const out = execFileSync('npx', ['tsx', 'kiosk/audit/verify-cli.ts', `--data-dir=${dir}`], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('OK 6 entries');
  });
});
