import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralApiSimulator } from '../central-api/sim/server.ts';
import { hashPin, verifyPin } from '../maintenance/pin-hash.ts';
import { ROOT } from '../paths.ts';
import { askAnswers, provision } from './provision.ts';

let sim: CentralApiSimulator;
let dir: string;
beforeAll(async () => {
  sim = await CentralApiSimulator.start({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'adm-provision-'));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The installed default config (the simulator's), as the package writes it. */
function installedConfig(name: string): string {
  const path = join(dir, name);
  copyFileSync(join(ROOT, 'config', 'sim.json'), path);
  return path;
}

describe('adm-kiosk provision', () => {
  it('--from a prepared file writes the config 0600 without the simulator and checks the API', async () => {
    const config = installedConfig('from.json');
    const answers = join(dir, 'answers.json');
    const pinHash = await hashPin('246810');
    writeFileSync(
      answers,
      JSON.stringify({
        kioskId: 'ADM-3574-MPP-01',
        regionCode: '3574',
        centralApi: { baseUrl: sim.baseUrl, token: 'sim-token' },
        technicians: [{ id: 'T-3574-09', pinHash }],
      }),
    );
    // Not spawnSync: the simulator answering the check runs in this process.
    const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'kiosk', 'main.ts'),
          'provision',
          '--config',
          config,
          '--from',
          answers,
        ],
        { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`wrote ${config} (mode 0600)`);
    expect(run.stdout).toContain('the built-in central API simulator is off');
    expect(run.stdout).toMatch(/^ok {3}central API: .* answers$/m);
    const written = JSON.parse(readFileSync(config, 'utf8'));
    expect(written).toMatchObject({
      kioskId: 'ADM-3574-MPP-01',
      centralApi: { baseUrl: sim.baseUrl, token: 'sim-token' },
      technicians: [{ id: 'T-3574-09', pinHash }],
    });
    expect(written).not.toHaveProperty('centralApiSim');
    expect(statSync(config).mode & 0o777).toBe(0o600);
  });

  it('writes nothing when the answers break the config schema', async () => {
    const config = installedConfig('bad.json');
    const before = readFileSync(config, 'utf8');
    const result = await provision({
      configPath: config,
      answers: {
        kioskId: 'ADM-1',
        regionCode: 'not-a-region',
        centralApi: { baseUrl: sim.baseUrl, token: 't' },
        technicians: [{ id: 'T', pinHash: await hashPin('135790') }],
      },
    });
    expect(result.ok).toBe(false);
    expect(readFileSync(config, 'utf8')).toBe(before);
  });

  it('asks on the terminal, hashes each PIN, and refuses a PIN under six digits', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    input.end('ADM-3574-MPP-08\n3574\nhttps://api.example/v1\nsecret-token\nT-1\n482915\n482915\n\n');
    const answers = await askAnswers(input, output);
    if (!answers.ok) throw new Error(answers.error.join('; '));
    expect(answers.value).toMatchObject({
      kioskId: 'ADM-3574-MPP-08',
      regionCode: '3574',
      centralApi: { baseUrl: 'https://api.example/v1', token: 'secret-token' },
    });
    expect(answers.value.technicians.map((t) => t.id)).toEqual(['T-1']);
    expect(await verifyPin('482915', answers.value.technicians[0]!.pinHash)).toBe(true);
    expect(String(output.read())).not.toContain('482915');

    const short = new PassThrough();
    short.end('K\n3574\nhttps://api.example/v1\nt\nT-1\n1234\n');
    expect(await askAnswers(short, new PassThrough())).toEqual({
      ok: false,
      error: ['the PIN for T-1 must be 6 to 12 digits'],
    });
  });
});
