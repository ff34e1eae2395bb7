import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPin } from './maintenance/pin-hash.ts';
import { migrate, NEWER_DATA_EXIT_CODE, openDb } from './store/db.ts';

const ROOT = join(import.meta.dirname, '..');
const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'kiosk', 'main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('the kiosk command line', () => {
  it('stops with exit code 2 and one line per bad key when the config breaks the schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-cli-'));
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({
        kioskId: 'K',
        regionCode: '3574',
        centralApi: { baseUrl: 'http://127.0.0.1:8080/v1', token: 't' },
        qr: { issuerKeys: [{ kid: 'a', publicKey: 'cqJ_ulR5tiZgNcp_V5ooKcYjL9aJVNkLcvCrakbzkos' }] },
        devices: { cardPrinter: { driver: 'serial' } },
        dataDir: 'x',
        colour: 'blue',
      }),
    );
    const r = run(['--config', path, '--host', 'browser']);
    expect(r.status).toBe(2);
    expect(r.stdout).not.toContain('KIOSK READY');
    expect(r.stderr).toContain('config: devices.cardPrinter.path: required for driver "serial"');
    expect(r.stderr).toContain('config: colour: unknown key');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops with exit code 2 for a missing file and for a file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-cli-'));
    expect(run(['--config', join(dir, 'none.json'), '--host', 'browser']).status).toBe(2);
    writeFileSync(join(dir, 'broken.json'), '{ "kioskId": ');
    const r = run(['--config', join(dir, 'broken.json'), '--host', 'browser']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^config: .*not valid JSON/m);
    rmSync(dir, { recursive: true, force: true });
  });

  it('hash-pin prints a salted scrypt hash that verifies', async () => {
    const r = run(['hash-pin', '135790']);
    expect(r.status).toBe(0);
    const hash = r.stdout.trim();
    expect(hash).toMatch(/^scrypt\$/);
    expect(await verifyPin('135790', hash)).toBe(true);
    expect(await verifyPin('135791', hash)).toBe(false);
    expect(run(['hash-pin', '135790']).stdout.trim()).not.toBe(hash);
  });

  it('refuses, with a clear line and its own exit code, a data folder written by a newer version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-cli-'));
    try {
      const dataDir = join(dir, 'data');
      const db = openDb(dataDir);
      migrate(db, 'journal', ['CREATE TABLE placeholder (x INTEGER)']);
      // A newer kiosk left its journal at a schema this one does not know.
      db.prepare("UPDATE schema_version SET version = 99 WHERE module = 'journal'").run();
      db.close();
      const config = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const path = join(dir, 'kiosk.json');
      writeFileSync(
        path,
        JSON.stringify({
          ...config,
          dataDir,
          centralApiSim: { port: 0 },
          host: { kind: 'browser', port: 0 },
        }),
      );
      const r = run(['--config', path, '--host', 'browser']);
      expect(r.status).toBe(NEWER_DATA_EXIT_CODE);
      expect(r.stderr).toMatch(/written by a newer version of the kiosk/);
      expect(r.stdout).not.toMatch(/KIOSK READY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
