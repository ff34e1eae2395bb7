import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from '../../kiosk/paths.ts';
import { ensureUiBuilt } from '../support/kiosk.ts';
import { KioskProcess } from '../support/kiosk-process.ts';
import type { Report } from './harness.ts';

/** Starts measured, after one start that makes the data folder (and the simulator's cached seed). */
const STARTS = 7;
/** How long the kiosk sits idle on `home` before its RSS is read (issue 20: 30 s). */
const IDLE_MS = 30_000;

/**
 * The built kiosk as it runs on a kiosk PC (`node dist/app/kiosk/main.js`, compiled by the project's own
 * build script into a folder of its own): from process start to the `KIOSK READY` line, on the simulator
 * config (config/sim.json: every device simulated, the built-in central API simulator), each start on the
 * data folder the first one made, as a kiosk that boots every morning; then the resident set size of
 * the process after it has sat idle for 30 s.
 */
export async function bench(report: Report): Promise<void> {
  ensureUiBuilt();
  const out = join(ROOT, 'dist', `.bench-app-${process.pid}`);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-kiosk.mjs'), '--out', out], { stdio: 'pipe' });
  const dir = mkdtempSync(join(tmpdir(), 'adm-bench-start-'));
  try {
    const config = KioskProcess.writeSimConfig(dir);
    const main = join(out, 'kiosk', 'main.js');
    const ready: number[] = [];
    for (let i = 0; i <= STARTS; i++) {
      const started = await startBuilt(main, config);
      if (i > 0) ready.push(started.readyMs);
      if (i < STARTS) {
        await stop(started.child);
        continue;
      }
      await new Promise((r) => setTimeout(r, IDLE_MS));
      const rss = rssMb(started.child.pid!);
      await stop(started.child);
      report({ name: 'startup.kiosk-ready', unit: 'ms', samples: ready });
      report({ name: 'memory.kiosk.rss-idle', unit: 'MB', value: rss });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

/** Spawns the built kiosk and resolves at its `KIOSK READY` line, with the time from the spawn. */
async function startBuilt(main: string, config: string): Promise<{ child: ChildProcess; readyMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [main, '--config', config, '--host', 'browser'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const readyMs = await new Promise<number>((resolve, reject) => {
    let outText = '';
    child.stdout!.on('data', (d: Buffer) => {
      outText += d.toString();
      if (/KIOSK READY \S+/.test(outText)) resolve(performance.now() - t0);
    });
    child.once('exit', (code) => reject(new Error(`kiosk exited with ${code}: ${stderr}`)));
  });
  return { child, readyMs };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** The process's resident set size (VmRSS), in MB. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kb / 1024;
}
