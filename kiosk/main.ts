import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_EXIT_CODE, loadConfigFile } from '../config/load.ts';
import { systemClock } from '../drivers/shared/clock.ts';
import { type KioskApp, ROOT, SOFTWARE_VERSION, startKioskApp } from './app.ts';
import { runVerifyAuditCli } from './audit/verify-cli.ts';
import { writeAudioOutputFile } from './hosts/audio-output.ts';
import { startBrowserHost } from './hosts/browser/server.ts';
import { LateCore } from './hosts/late-core.ts';
import { formatChecks, runDoctor } from './install/doctor.ts';
import { askAnswers, provision, readAnswersFile } from './install/provision.ts';
import { readInstalledVersion, UPDATE_RESTART_EXIT_CODE, watchForUpdate } from './install/update-restart.ts';
import { runHashPin } from './maintenance/hash-pin-cli.ts';
import { DATA_DIR_LOCKED_EXIT_CODE, DataDirLockedError } from './store/data-dir-lock.ts';
import { NEWER_DATA_EXIT_CODE, NewerDataError } from './store/db.ts';

/** The embedded default: every device simulated, with the built-in central API simulator. */
export const DEFAULT_CONFIG = join(ROOT, 'config', 'sim.json');
const UI_DIR = join(ROOT, 'dist', 'ui');

const USAGE = `usage:
  npm run kiosk -- [--config FILE] [--host browser|electron] [--url-file FILE]
  npm run kiosk -- hash-pin [PIN]          (the PIN typed or piped; on the command line with a warning)
  npm run kiosk -- doctor [--config FILE]
  npm run kiosk -- provision [--config FILE] [--from FILE] [--owner UID:GID]
  npm run kiosk -- verify-audit --data-dir DIR [--key FILE] [--anchor SEQ:HASH]`;

/**
 * The kiosk's command line (kiosk-runtime.md). With the browser host it prints `KIOSK READY <url>` once
 * the home screen can be served; SIGTERM/SIGINT stop it cleanly (exit 0).
 */
async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'hash-pin') return runHashPin(argv.slice(1));
  if (argv[0] === 'doctor') {
    const i = argv.indexOf('--config');
    const loaded = loadConfigFile(i > 0 ? (argv[i + 1] ?? '') : DEFAULT_CONFIG);
    if (!loaded.ok) {
      for (const line of loaded.error) process.stdout.write(`FAIL config: ${line}\n`);
      return CONFIG_EXIT_CODE;
    }
    const checks = await runDoctor(loaded.value);
    process.stdout.write(formatChecks(checks));
    return checks.every((c) => c.ok) ? 0 : 1;
  }
  if (argv[0] === 'provision') {
    const option = (name: string) => {
      const i = argv.indexOf(name);
      return i > 0 ? argv[i + 1] : undefined;
    };
    const answersFile = option('--from');
    const answers = answersFile
      ? readAnswersFile(answersFile)
      : await askAnswers(process.stdin, process.stdout);
    if (!answers.ok) {
      for (const line of answers.error) process.stderr.write(`provision: ${line}\n`);
      return 2;
    }
    const owner = option('--owner')?.split(':').map(Number);
    const result = await provision({
      configPath: option('--config') ?? DEFAULT_CONFIG,
      answers: answers.value,
      ...(owner?.length === 2 ? { owner: { uid: owner[0]!, gid: owner[1]! } } : {}),
    });
    if (!result.ok) {
      for (const line of result.error) process.stderr.write(`provision: ${line}\n`);
      return 2;
    }
    for (const line of result.value.done) process.stdout.write(`${line}\n`);
    process.stdout.write(formatChecks([result.value.api]));
    return result.value.api.ok ? 0 : 1;
  }
  if (argv[0] === 'verify-audit') return runVerifyAuditCli(argv.slice(1));

  let configPath = DEFAULT_CONFIG;
  let hostKind: 'browser' | 'electron' | undefined;
  let urlFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config') configPath = argv[++i] ?? '';
    else if (a === '--url-file') urlFile = argv[++i];
    else if (a === '--host') {
      const v = argv[++i];
      if (v !== 'browser' && v !== 'electron') {
        process.stderr.write(`--host: "browser" or "electron"\n${USAGE}\n`);
        return 2;
      }
      hostKind = v;
    } else {
      process.stderr.write(`unknown argument ${a}\n${USAGE}\n`);
      return 2;
    }
  }
  const loaded = loadConfigFile(configPath);
  if (!loaded.ok) {
    for (const line of loaded.error) process.stderr.write(`${line}\n`);
    return CONFIG_EXIT_CODE;
  }
  const config = loaded.value;
  const kind = hostKind ?? config.host.kind;
  if (kind === 'electron') {
    process.stderr.write(
      'the Electron host starts through `npm start` (electron dist/app/kiosk/hosts/electron/entry.js); use --host browser here\n',
    );
    return 2;
  }
  // The host serves whichever kiosk is current: a technician's restart replaces it under the same URL.
  const late = new LateCore({
    screen: 'out-of-service',
    locale: config.locale,
    kioskId: config.kioskId,
    available: { card: false, a4: false },
    helpdesk: config.helpdesk ?? {},
  });
  let restarting = false;
  // The outbox's first sends wait until the kiosk said it is ready (a restart's kiosk sends at once).
  let announced = (): void => undefined;
  const ready = new Promise<void>((resolve) => {
    announced = resolve;
  });
  const start = (): Promise<KioskApp> =>
    startKioskApp(config, {
      sendFrom: ready,
      onRestart: () => {
        if (restarting) return;
        restarting = true;
        void app
          .stop()
          .then(start)
          .then((next) => {
            app = next;
            late.resolve(next.core);
          })
          .catch((e: unknown) => {
            process.stderr.write(`kiosk: restart failed: ${(e as Error).message}\n`);
            process.exit(1);
          })
          .finally(() => {
            restarting = false;
          });
      },
    });
  let app = await start();
  late.resolve(app.core);
  const host = await startBrowserHost(late, { uiDir: UI_DIR, port: config.host.port });
  const watchdog = startSystemdWatchdog();
  // The stop handlers are in place before anyone can learn the kiosk is ready: a SIGTERM sent the moment
  // `KIOSK READY` is read must stop it cleanly, not find the default action (death by signal).
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (code: number) => {
      if (stopping) return;
      stopping = true;
      watchdog.stop();
      update.stop();
      if (urlFile) rmSync(urlFile, { force: true });
      await host.close().catch(() => undefined);
      await app.stop().catch(() => undefined);
      resolve(code);
    };
    process.on('SIGTERM', () => void stop(0));
    process.on('SIGINT', () => void stop(0));
    // An upgrade installed under the running kiosk: restart into it at the first idle moment (the unit
    // restarts on UPDATE_RESTART_EXIT_CODE).
    const update = watchForUpdate({
      clock: systemClock,
      runningVersion: SOFTWARE_VERSION,
      installedVersion: () => readInstalledVersion(ROOT),
      isIdle: () => ['home', 'out-of-service'].includes(app.core.currentView().screen),
      onUpdate: (installed) => {
        process.stderr.write(`kiosk: version ${installed} is installed; restarting into it while idle\n`);
        void stop(UPDATE_RESTART_EXIT_CODE);
      },
    });
  });
  // With the simulated scanner, each line on standard input is a scanned code.
  if (app.simScanner) {
    process.stdin.setEncoding('utf8');
    let buffered = '';
    process.stdin.on('data', (chunk: string) => {
      buffered += chunk;
      let nl = buffered.search(/[\r\n]/);
      while (nl >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line) app.simScanner?.scan(line);
        nl = buffered.search(/[\r\n]/);
      }
    });
    process.stdin.on('error', () => undefined);
  }
  // The screen's session (cage + Chromium, packaging/) reads the URL, with its secret, from this file.
  if (urlFile) {
    writeAudioOutputFile(urlFile, config);
    writeFileSync(urlFile, `${host.url}\n`, { mode: 0o600 });
  }
  process.stdout.write(`KIOSK READY ${host.url}\n`);
  announced();
  return stopped;
}

/**
 * Under systemd with `WatchdogSec=`, tells the service manager the kiosk is alive, three times per
 * watchdog period, while the event loop turns (a hung loop stops the pings and systemd restarts the kiosk).
 * Node cannot write to the notify datagram socket itself, so `systemd-notify` does (`NotifyAccess=all`).
 */
function startSystemdWatchdog(): { stop(): void } {
  const usec = Number(process.env.WATCHDOG_USEC);
  if (!process.env.NOTIFY_SOCKET || !Number.isFinite(usec) || usec <= 0) return { stop: () => undefined };
  const ping = () => {
    const child = spawn('systemd-notify', [`--pid=${process.pid}`, 'WATCHDOG=1'], { stdio: 'ignore' });
    child.on('error', () => undefined);
  };
  ping();
  const timer = setInterval(ping, Math.max(1000, usec / 1000 / 3));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof DataDirLockedError) {
      process.stderr.write(`kiosk: ${e.message}\n`);
      process.exit(DATA_DIR_LOCKED_EXIT_CODE);
    }
    if (e instanceof NewerDataError) {
      process.stderr.write(`kiosk: ${e.message}\n`);
      process.exit(NEWER_DATA_EXIT_CODE);
    }
    process.stderr.write(`kiosk: could not start: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  },
);
