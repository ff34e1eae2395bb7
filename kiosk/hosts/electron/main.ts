import { join } from 'node:path';
import { CONFIG_EXIT_CODE, loadConfigFile } from '../../../config/load.ts';
import { ROOT, startKioskApp } from '../../app.ts';
import { audioOutputEnv } from '../audio-output.ts';
import { LateCore } from '../late-core.ts';
import { startElectronHost } from './index.ts';

/**
 * The Electron main process: wiring only. The host is started first, because Electron wants its
 * privileged scheme registered before the app is ready; the kiosk core (plain Node, tested without
 * Electron) joins it as soon as its store and devices are open.
 */
export async function runElectronMain(
  argv: string[],
  electronApp: { exit(code: number): void; relaunch(): void },
): Promise<void> {
  const i = argv.indexOf('--config');
  const configPath = i >= 0 && argv[i + 1] ? argv[i + 1]! : join(ROOT, 'config', 'sim.json');
  const loaded = loadConfigFile(configPath);
  if (!loaded.ok) {
    for (const line of loaded.error) process.stderr.write(`${line}\n`);
    electronApp.exit(CONFIG_EXIT_CODE);
    return;
  }
  const config = loaded.value;
  // Before the window exists: Chromium's audio service inherits the environment (the sink for its sound).
  Object.assign(process.env, audioOutputEnv(config));
  const late = new LateCore({
    screen: 'out-of-service',
    locale: config.locale,
    kioskId: config.kioskId,
    available: { card: false, a4: false },
    helpdesk: config.helpdesk ?? {},
  });
  const host = startElectronHost(late, { uiDir: join(ROOT, 'dist', 'ui'), dev: argv.includes('--dev') });
  const app = await startKioskApp(config, {
    onRestart: () => {
      void app.stop().finally(() => {
        electronApp.relaunch();
        electronApp.exit(0);
      });
    },
  });
  late.resolve(app.core);
  await host;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      void app.stop().finally(() => electronApp.exit(0));
    });
  }
}
