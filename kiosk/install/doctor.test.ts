import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskConfig } from '../../config/schema.ts';
import { CentralApiSimulator } from '../central-api/sim/server.ts';
import { ROOT } from '../paths.ts';
import { formatChecks, type RunProgram, runDoctor } from './doctor.ts';

let sim: CentralApiSimulator;
let dir: string;
beforeAll(async () => {
  sim = await CentralApiSimulator.start({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'adm-doctor-'));
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An installed kiosk's config: real drivers, the central API at the simulator, no built-in simulator. */
function installedConfig(overrides: Partial<KioskConfig> = {}): KioskConfig {
  const sim = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8'));
  delete sim.centralApiSim;
  return {
    ...sim,
    centralApi: { ...sim.centralApi, baseUrl: simUrl() },
    devices: {
      cardPrinter: { driver: 'serial', path: join(dir, 'no-printer') },
      paperPrinter: { driver: 'cups', queue: 'ADM_A4' },
      scanner: [{ driver: 'serial', path: '/dev/null' }],
    },
    dataDir: join(dir, 'data'),
    ...overrides,
  } as KioskConfig;
}
const simUrl = () => sim.baseUrl;

const healthySystem: RunProgram = async (file) =>
  file === 'lpstat' ? 'printer ADM_A4 is idle.  enabled since Thu 03 Dec 2026\n' : 'yes\n';

describe('adm-kiosk doctor', () => {
  it('prints one line per check and names what is wrong: a missing printer, a wrong token', async () => {
    const good = await runDoctor(installedConfig(), healthySystem);
    expect(good.map((c) => [c.name, c.ok])).toEqual([
      ['config', true],
      ['disk', true],
      ['card printer', false],
      ['scanner', true],
      ['CUPS queue', true],
      ['clock', true],
      ['central API', true],
    ]);
    expect(formatChecks(good)).toContain(`FAIL card printer: ${join(dir, 'no-printer')} is missing\n`);

    const base = installedConfig();
    const bad = await runDoctor(
      { ...base, centralApi: { ...base.centralApi, token: 'wrong' } },
      async () => undefined,
    );
    const byName = Object.fromEntries(bad.map((c) => [c.name, c]));
    expect(byName['central API']).toMatchObject({ ok: false, detail: expect.stringMatching(/answered 401/) });
    expect(byName['CUPS queue']).toMatchObject({ ok: false, detail: 'queue ADM_A4 not found' });
    expect(byName.clock).toMatchObject({ ok: false });
  });

  it('checks the configured sound output is a sink of this machine', async () => {
    const sink = 'alsa_output.pci-0000_00_1f.3.analog-stereo';
    const sinks = `0\talsa_output.pci-0000_00_1f.3.hdmi-stereo\tmodule-alsa-card.c\ts16le 2ch 48000Hz\tSUSPENDED
1\t${sink}\tmodule-alsa-card.c\ts16le 2ch 44100Hz\tIDLE
`;
    const withPactl: RunProgram = async (file, args) =>
      file === 'pactl' && args.join(' ') === 'list short sinks' ? sinks : healthySystem(file, args);
    const audio = (output: string) => installedConfig({ audio: { output, volume: 70 } });
    const found = await runDoctor(audio(sink), withPactl);
    expect(found.find((c) => c.name === 'audio output')).toEqual({
      name: 'audio output',
      ok: true,
      detail: sink,
    });
    const missing = await runDoctor(audio('alsa_output.usb-headset'), withPactl);
    expect(missing.find((c) => c.name === 'audio output')).toMatchObject({
      ok: false,
      detail: 'no sink alsa_output.usb-headset (pactl list short sinks)',
    });
    // No output configured: no line.
    expect((await runDoctor(installedConfig(), withPactl)).some((c) => c.name === 'audio output')).toBe(
      false,
    );
  });

  it('fails the central API check when nothing listens there', async () => {
    const base = installedConfig();
    const checks = await runDoctor(
      { ...base, centralApi: { ...base.centralApi, baseUrl: 'http://127.0.0.1:9/v1' } },
      healthySystem,
    );
    expect(checks.find((c) => c.name === 'central API')?.ok).toBe(false);
  });
});
