import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const started: Array<{ core: unknown; opts: unknown }> = [];
vi.mock('./index.ts', () => ({
  startElectronHost: vi.fn(async (core: unknown, opts: unknown) => {
    started.push({ core, opts });
  }),
}));

const { runElectronMain } = await import('./main.ts');

afterEach(() => {
  started.length = 0;
});

describe('the Electron main wiring', () => {
  it('exits with code 2 on a bad config, before starting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-electron-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ kioskId: 'K', extra: true }));
    const app = { exit: vi.fn(), relaunch: vi.fn() };
    await runElectronMain(['--config', path], app);
    expect(app.exit).toHaveBeenCalledWith(2);
    expect(started).toHaveLength(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the host first, then gives it the core once the kiosk is up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-electron-'));
    const config = JSON.parse(
      (await import('node:fs')).readFileSync(join(import.meta.dirname, '../../../config/sim.json'), 'utf8'),
    );
    const path = join(dir, 'kiosk.json');
    writeFileSync(
      path,
      JSON.stringify({
        ...config,
        centralApiSim: { port: 0 },
        dataDir: join(dir, 'data'),
        audio: { output: 'alsa_output.pci-0000_00_1f.3.analog-stereo', volume: 80 },
      }),
    );
    delete process.env.PULSE_SINK;
    const app = { exit: vi.fn(), relaunch: vi.fn() };
    const signals = process.listenerCount('SIGTERM');
    await runElectronMain(['--config', path], app);
    expect(started).toHaveLength(1);
    // The screen's sound goes to the configured output (Chromium's audio service inherits this).
    expect(process.env.PULSE_SINK).toBe('alsa_output.pci-0000_00_1f.3.analog-stereo');
    delete process.env.PULSE_SINK;
    const core = started[0]!.core as { currentView(): { screen: string } };
    expect(['home', 'out-of-service']).toContain(core.currentView().screen);
    expect(started[0]!.opts).toMatchObject({ dev: false });
    // A clean stop on SIGTERM: the handler stops the kiosk and exits 0.
    const handler = process.listeners('SIGTERM').at(-1) as () => void;
    expect(process.listenerCount('SIGTERM')).toBe(signals + 1);
    handler();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0), { timeout: 10_000 });
    for (const s of ['SIGTERM', 'SIGINT'] as const)
      process.removeListener(s, process.listeners(s).at(-1) as () => void);
    rmSync(dir, { recursive: true, force: true });
  });
});
