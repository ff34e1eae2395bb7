import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../drivers/shared/clock.ts';

/** How often the kiosk looks at the version installed on disk. */
export const UPDATE_CHECK_MS = 30_000;
/** The exit code that asks the service manager for a restart (`RestartForceExitStatus=` in the unit). */
export const UPDATE_RESTART_EXIT_CODE = 75;

/** The version of the package installed at `root` (its package.json), or undefined mid-upgrade. */
export function readInstalledVersion(root: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Restarts the kiosk into an update only when nobody is using it. An upgrade (`apt`) replaces the files
 * under the running kiosk but restarts nothing; every `UPDATE_CHECK_MS` the kiosk compares the installed
 * version with its own and, once they differ and the kiosk is idle (no applicant session, no technician),
 * calls `onUpdate` once. While a session runs it keeps waiting for the next idle moment.
 */
export function watchForUpdate(options: {
  clock: Clock;
  runningVersion: string;
  installedVersion: () => string | undefined;
  isIdle: () => boolean;
  onUpdate: (installed: string) => void;
  intervalMs?: number;
}): { stop(): void } {
  const interval = options.intervalMs ?? UPDATE_CHECK_MS;
  let timer: unknown;
  let stopped = false;
  const check = () => {
    if (stopped) return;
    const installed = options.installedVersion();
    if (installed && installed !== options.runningVersion && options.isIdle()) {
      stopped = true;
      options.onUpdate(installed);
      return;
    }
    timer = options.clock.setTimeout(check, interval);
  };
  timer = options.clock.setTimeout(check, interval);
  return {
    stop() {
      stopped = true;
      options.clock.clearTimeout(timer);
    },
  };
}
