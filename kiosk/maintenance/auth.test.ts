import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { openDb, openMemoryDb } from '../store/db.ts';
import { IDLE_LOGOUT_MS, LOCKOUT_MS, TechnicianAuth, type TechnicianCredential } from './auth.ts';
import { hashPin } from './pin-hash.ts';

let techs: TechnicianCredential[];
beforeAll(async () => {
  techs = [
    { id: 'T-3574-01', pinHash: await hashPin('246810') },
    { id: 'T-3574-02', pinHash: await hashPin('135790') },
  ];
});

describe('TechnicianAuth', () => {
  it('logs in with the right PIN', async () => {
    const auth = new TechnicianAuth(openMemoryDb(), new ManualClock(), techs);
    expect(auth.begin('T-3574-01')).toEqual({ ok: true });
    expect(await auth.enterPin('246810')).toEqual({ ok: true });
    expect(auth.technicianId()).toBe('T-3574-01');
  });

  it('counts wrong PINs down, locks for 15 minutes after the fifth, and lets in after expiry', async () => {
    const clock = new ManualClock();
    const auth = new TechnicianAuth(openMemoryDb(), clock, techs);
    auth.begin('T-3574-01');
    for (let left = 4; left >= 1; left--)
      expect(await auth.enterPin('000000')).toEqual({ ok: false, attemptsLeft: left });
    const locked = await auth.enterPin('000000');
    expect(locked).toEqual({ ok: false, lockedUntil: clock.now() + LOCKOUT_MS });
    expect(auth.state().phase).toBe('out');

    // Even the right PIN is refused while locked, and the lockout is per technician.
    expect(auth.begin('T-3574-01')).toEqual({ ok: false, lockedUntil: clock.now() + LOCKOUT_MS });
    expect(auth.begin('T-3574-02')).toEqual({ ok: true });
    expect(await auth.enterPin('135790')).toEqual({ ok: true });
    auth.logout();

    clock.advance(LOCKOUT_MS - 1);
    expect(auth.begin('T-3574-01')).toMatchObject({ ok: false });
    clock.advance(1);
    expect(auth.begin('T-3574-01')).toEqual({ ok: true });
    expect(await auth.enterPin('000000')).toEqual({ ok: false, attemptsLeft: 4 });
    expect(await auth.enterPin('246810')).toEqual({ ok: true });
  });

  it('measures a lockout on the monotonic clock: setting the wall clock back or forward changes nothing', async () => {
    const clock = new ManualClock();
    const auth = new TechnicianAuth(openMemoryDb(), clock, techs);
    auth.begin('T-3574-01');
    for (let i = 0; i < 5; i++) await auth.enterPin('000000');
    clock.jumpWall(24 * 3_600_000);
    expect(auth.begin('T-3574-01')).toMatchObject({ ok: false });
    clock.jumpWall(-48 * 3_600_000);
    clock.advance(LOCKOUT_MS - 1);
    expect(auth.begin('T-3574-01')).toMatchObject({ ok: false });
    clock.advance(1);
    expect(auth.begin('T-3574-01')).toEqual({ ok: true });
  });

  it('a lockout read back after a restart lasts at most its length, even if the wall clock went back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-auth-'));
    try {
      const clock = new ManualClock();
      let db = openDb(dir);
      const auth = new TechnicianAuth(db, clock, techs);
      auth.begin('T-3574-01');
      for (let i = 0; i < 5; i++) await auth.enterPin('000000');
      db.close();
      clock.jumpWall(-3_600_000);
      db = openDb(dir);
      const again = new TechnicianAuth(db, clock, techs);
      expect(again.begin('T-3574-01')).toMatchObject({ ok: false });
      clock.advance(LOCKOUT_MS);
      expect(again.begin('T-3574-01')).toEqual({ ok: true });
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a PIN shorter than 6 digits as a wrong one', async () => {
    const short = [{ id: 'T-OLD', pinHash: await hashPin('1234', { allowShort: true }) }];
    const auth = new TechnicianAuth(openMemoryDb(), new ManualClock(), short);
    auth.begin('T-OLD');
    expect(await auth.enterPin('1234')).toEqual({ ok: false, attemptsLeft: 4 });
  });

  it('keeps a lockout across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-auth-'));
    try {
      const clock = new ManualClock();
      let db = openDb(dir);
      let auth = new TechnicianAuth(db, clock, techs);
      auth.begin('T-3574-01');
      for (let i = 0; i < 3; i++) await auth.enterPin('111111');
      db.close();
      db = openDb(dir);
      auth = new TechnicianAuth(db, clock, techs);
      auth.begin('T-3574-01');
      expect(await auth.enterPin('111111')).toEqual({ ok: false, attemptsLeft: 1 });
      expect(await auth.enterPin('111111')).toMatchObject({ ok: false, lockedUntil: expect.any(Number) });
      db.close();
      db = openDb(dir);
      auth = new TechnicianAuth(db, clock, techs);
      expect(auth.begin('T-3574-01')).toMatchObject({ ok: false, lockedUntil: clock.now() + LOCKOUT_MS });
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats a badge of a technician not in the config like a wrong PIN, lockout included', async () => {
    const auth = new TechnicianAuth(openMemoryDb(), new ManualClock(), techs);
    auth.begin('NOBODY');
    expect(await auth.enterPin('246810')).toEqual({ ok: false, attemptsLeft: 4 });
  });

  it('logs an idle technician out, and not one who keeps working', async () => {
    const clock = new ManualClock();
    const auth = new TechnicianAuth(openMemoryDb(), clock, techs);
    const logouts: string[] = [];
    auth.onLogout((reason, id) => logouts.push(`${reason}:${id}`));
    auth.begin('T-3574-01');
    await auth.enterPin('246810');
    clock.advance(IDLE_LOGOUT_MS - 1000);
    auth.touch();
    clock.advance(IDLE_LOGOUT_MS - 1000);
    expect(auth.technicianId()).toBe('T-3574-01');
    clock.advance(1000);
    expect(auth.technicianId()).toBeUndefined();
    expect(logouts).toEqual(['idle:T-3574-01']);
  });

  it('refuses a PIN with no login begun', async () => {
    const auth = new TechnicianAuth(openMemoryDb(), new ManualClock(), techs);
    expect(await auth.enterPin('246810')).toEqual({ ok: false, notStarted: true });
  });
});
