import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { readInstalledVersion, UPDATE_CHECK_MS, watchForUpdate } from './update-restart.ts';

describe('restart into an update when idle', () => {
  it('waits while a session runs, then restarts once at the next idle moment', () => {
    const root = mkdtempSync(join(tmpdir(), 'adm-update-'));
    const pkg = (version: string) => writeFileSync(join(root, 'package.json'), JSON.stringify({ version }));
    pkg('0.1.0');
    const clock = new ManualClock();
    let screen = 'home';
    const onUpdate = vi.fn();
    watchForUpdate({
      clock,
      runningVersion: '0.1.0',
      installedVersion: () => readInstalledVersion(root),
      isIdle: () => screen === 'home',
      onUpdate,
    });
    clock.advance(UPDATE_CHECK_MS * 3);
    expect(onUpdate).not.toHaveBeenCalled();

    // apt upgrades the package during a session.
    screen = 'printing';
    pkg('0.1.1');
    clock.advance(UPDATE_CHECK_MS * 10);
    expect(onUpdate).not.toHaveBeenCalled();

    screen = 'home';
    clock.advance(UPDATE_CHECK_MS);
    expect(onUpdate).toHaveBeenCalledExactlyOnceWith('0.1.1');
    clock.advance(UPDATE_CHECK_MS * 5);
    expect(onUpdate).toHaveBeenCalledTimes(1);
    rmSync(root, { recursive: true, force: true });
  });

  it('ignores a package.json caught half-written by the upgrade', () => {
    const root = mkdtempSync(join(tmpdir(), 'adm-update-'));
    writeFileSync(join(root, 'package.json'), '{"vers');
    expect(readInstalledVersion(root)).toBeUndefined();
    rmSync(root, { recursive: true, force: true });
  });
});
