import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, statfsSync } from 'node:fs';
import type { KioskConfig } from '../../config/schema.ts';

/** One line of `adm-kiosk doctor`. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Below this much free space in the data folder the doctor fails the disk check. */
export const DOCTOR_MIN_FREE_BYTES = 1024 ** 3;
/** How long the central API may take to answer the doctor. */
const API_TIMEOUT_MS = 5000;

/** Runs a program and gives its standard output, or undefined when it is missing or fails. */
export type RunProgram = (file: string, args: string[]) => Promise<string | undefined>;

const runProgram: RunProgram = (file, args) =>
  new Promise((resolve) =>
    execFile(file, args, { timeout: 5000, encoding: 'utf8' }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    ),
  );

function devicePaths(config: KioskConfig): Array<{ device: string; path: string }> {
  const paths: Array<{ device: string; path: string }> = [];
  const card = config.devices.cardPrinter;
  if (card && 'path' in card && typeof card.path === 'string')
    paths.push({ device: 'card printer', path: card.path });
  const scanners = config.devices.scanner === undefined ? [] : [config.devices.scanner].flat();
  for (const s of scanners)
    if ('path' in s && typeof s.path === 'string') paths.push({ device: 'scanner', path: s.path });
  return paths;
}

/**
 * The checks of an installed kiosk, one line each: data folder writable with room, devices present, the
 * CUPS queue ready, the clock synchronised, the central API answering with this kiosk's token. The config
 * itself was checked when it was loaded. Reads only: a GET of an application that cannot exist (a 404 is
 * the answer of a reachable API that took the token).
 */
export async function runDoctor(config: KioskConfig, run: RunProgram = runProgram): Promise<Check[]> {
  const checks: Check[] = [{ name: 'config', ok: true, detail: 'valid' }];

  try {
    mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.W_OK);
    const fs = statfsSync(config.dataDir);
    const free = fs.bavail * fs.bsize;
    checks.push({
      name: 'disk',
      ok: free >= DOCTOR_MIN_FREE_BYTES,
      detail: `${(free / 1024 ** 3).toFixed(1)} GB free in ${config.dataDir}`,
    });
  } catch (e) {
    checks.push({ name: 'disk', ok: false, detail: `${config.dataDir}: ${(e as Error).message}` });
  }

  for (const { device, path } of devicePaths(config)) {
    checks.push({
      name: device,
      ok: existsSync(path),
      detail: existsSync(path) ? path : `${path} is missing`,
    });
  }
  const paper = config.devices.paperPrinter;
  if (paper?.driver === 'cups') {
    const out = await run('lpstat', ['-p', paper.queue]);
    const ready = out !== undefined && /enabled|idle|printing/.test(out) && !/disabled/.test(out);
    checks.push({ name: 'CUPS queue', ok: ready, detail: out?.trim() || `queue ${paper.queue} not found` });
  }

  const sink = config.audio?.output;
  if (sink) {
    const out = await run('pactl', ['list', 'short', 'sinks']);
    const names = (out ?? '').split('\n').map((line) => line.split('\t')[1]);
    checks.push({
      name: 'audio output',
      ok: names.includes(sink),
      detail:
        out === undefined
          ? `cannot list sound outputs (pactl); ${sink} unchecked`
          : names.includes(sink)
            ? sink
            : `no sink ${sink} (pactl list short sinks)`,
    });
  }

  const synced = (await run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']))?.trim();
  checks.push({
    name: 'clock',
    ok: synced === 'yes',
    detail: synced === 'yes' ? 'synchronised' : 'not synchronised (timedatectl)',
  });

  checks.push(await checkCentralApi(config));
  return checks;
}

/**
 * Whether the central API answers this kiosk's token: a GET of an application that cannot exist, so
 * nothing changes (404 from a reachable API that took the token; 401 or 403 name a wrong token or kiosk).
 */
export async function checkCentralApi(config: KioskConfig): Promise<Check> {
  if (config.centralApiSim) return { name: 'central API', ok: true, detail: 'the built-in simulator' };
  const base = config.centralApi.baseUrl;
  try {
    const res = await fetch(`${base}/applications/ADM-DOCTOR-000000`, {
      headers: { authorization: `Bearer ${config.centralApi.token}`, 'x-kiosk-id': config.kioskId },
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
    await res.body?.cancel();
    const ok = res.status === 404 || res.status === 200;
    return { name: 'central API', ok, detail: ok ? `${base} answers` : `${base} answered ${res.status}` };
  } catch (e) {
    return { name: 'central API', ok: false, detail: `${base}: ${(e as Error).message}` };
  }
}

/** `ok   disk: 12.0 GB free in /var/lib/adm-kiosk`, one line per check. */
export function formatChecks(checks: Check[]): string {
  return checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`).join('');
}
