import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** cups-pdf reads its per-queue config from this fixed directory (compiled in): cups-pdf-<name>.conf. */
const CUPS_PDF_CONF_DIR = '/etc/cups';
const CUPS_PDF_PPD = '/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd';
const CUPS_SERVER_BIN = '/usr/lib/cups';
const START_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

/** A private CUPS scheduler for one test file. */
export interface Cupsd {
  /** The scheduler's domain socket: pass as `CUPS_SERVER` or as the driver's `server`. */
  server: string;
  /** The cups-pdf queue that prints into `outDir`. */
  queue: string;
  /** Where cups-pdf writes each printed job as a PDF. */
  outDir: string;
  /** `{ CUPS_SERVER }`, for `lp`, `lpstat`, `lpadmin`, `cupsdisable`... and for a kiosk child process. */
  env: Record<string, string>;
  /**
   * Adds a queue on the test backend `adm-fault`: every job sent to it makes the "printer" report the
   * given printer-state-reasons keyword (e.g. `media-jam-error`) and stop, as a real one does on a jam.
   */
  addFaultQueue(name: string, reason: string): Promise<void>;
  /** Runs a CUPS admin command (`lpadmin`, `cupsdisable`, `cupsreject`...) against this scheduler. */
  admin(command: string, args: string[]): Promise<string>;
  /** Stops cupsd and removes its directory and the cups-pdf config it wrote. */
  stop(): Promise<void>;
}

/**
 * Starts `cupsd` in the foreground with its own config, spool and domain socket under a temp dir (no
 * systemd, no port), and a cups-pdf queue that writes into its own `outDir`. Runs as root (cupsd
 * drops to `lp` for filters). Each call is independent, so test files can run in parallel.
 */
export async function startCupsd(opts: { queue?: string } = {}): Promise<Cupsd> {
  const dir = await mkdtemp('/tmp/adm-cupsd-');
  // cupsd and its filters (run as lp) must be able to reach the spool and the backends.
  await chmod(dir, 0o755);
  const tag = `adm_${dir.slice(dir.lastIndexOf('-') + 1).replace(/[^A-Za-z0-9]/g, '_')}`;
  const queue = opts.queue ?? 'ADM_A4';
  const socket = join(dir, 'cups.sock');
  const outDir = join(dir, 'out');
  for (const d of ['spool', 'cache', 'state', 'log', 'out', 'bin', 'bin/backend']) await mkdir(join(dir, d));
  const tmp = join(dir, 'tmp');
  await mkdir(tmp);
  await chmod(tmp, 0o1777);
  // Jobs from a user unknown to the system (the kiosk's job user) are written by cups-pdf as `nobody`.
  await chmod(outDir, 0o1777);
  await makeServerBin(join(dir, 'bin'));

  await writeFile(
    join(dir, 'cupsd.conf'),
    [
      `Listen ${socket}`,
      'LogLevel info',
      'WebInterface No',
      'Browsing No',
      'DefaultAuthType None',
      // Keep finished jobs so their state can be read back, as the kiosk does after a restart.
      'PreserveJobHistory Yes',
      '<Location />',
      '  Order allow,deny',
      '  Allow all',
      '</Location>',
      '<Policy default>',
      '  <Limit All>',
      '    Order deny,allow',
      '  </Limit>',
      '</Policy>',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'cups-files.conf'),
    [
      `ServerRoot ${dir}`,
      `StateDir ${join(dir, 'state')}`,
      `CacheDir ${join(dir, 'cache')}`,
      `RequestRoot ${join(dir, 'spool')}`,
      `TempDir ${tmp}`,
      `ErrorLog ${join(dir, 'log', 'error_log')}`,
      `AccessLog ${join(dir, 'log', 'access_log')}`,
      `PageLog ${join(dir, 'log', 'page_log')}`,
      `ServerBin ${join(dir, 'bin')}`,
      'DataDir /usr/share/cups',
      'SystemGroup root',
      'User lp',
      'Group lp',
      '',
    ].join('\n'),
  );
  // The cups-pdf backend finds `/etc/cups/cups-pdf-<tag>.conf` from its device URI `cups-pdf:/<tag>`;
  // a file of our own (unique name, removed on stop) keeps the shared /etc/cups/cups-pdf.conf untouched.
  const pdfConf = join(CUPS_PDF_CONF_DIR, `cups-pdf-${tag}.conf`);
  await writeFile(
    pdfConf,
    [`Out ${outDir}`, `AnonDirName ${outDir}`, `Log ${join(dir, 'log')}`, 'Grp root', ''].join('\n'),
  );

  const child = spawn('cupsd', ['-f', '-c', join(dir, 'cupsd.conf'), '-s', join(dir, 'cups-files.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const env = { CUPS_SERVER: socket };
  const admin = async (command: string, args: string[]) =>
    (await run(command, args, { env: { ...process.env, ...env } })).stdout;

  const cleanup = async () => {
    await stopChild(child, exited);
    await rm(pdfConf, { force: true });
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForScheduler(socket, child, () => stderr);
    await admin('lpadmin', ['-p', queue, '-E', '-v', `cups-pdf:/${tag}`, '-P', CUPS_PDF_PPD]);
  } catch (e) {
    await cleanup();
    throw e;
  }
  return {
    server: socket,
    queue,
    outDir,
    env,
    admin,
    addFaultQueue: async (name, reason) => {
      await admin('lpadmin', ['-p', name, '-E', '-v', `adm-fault:/${reason}`, '-m', 'raw']);
    },
    stop: cleanup,
  };
}

/** The PDF files cups-pdf wrote so far, full paths. */
export async function printedFiles(outDir: string): Promise<string[]> {
  if (!existsSync(outDir)) return [];
  return (await readdir(outDir)).filter((f) => f.endsWith('.pdf')).map((f) => join(outDir, f));
}

/**
 * A ServerBin of links to the system's filters and backends, plus the test backend `adm-fault`. The
 * links keep each file's owner and mode, which cupsd checks (root-owned, not group/world writable).
 */
async function makeServerBin(bin: string): Promise<void> {
  await chmod(bin, 0o755);
  await chmod(join(bin, 'backend'), 0o755);
  for (const entry of await readdir(CUPS_SERVER_BIN)) {
    if (entry !== 'backend') await symlink(join(CUPS_SERVER_BIN, entry), join(bin, entry));
  }
  for (const b of await readdir(join(CUPS_SERVER_BIN, 'backend'))) {
    await symlink(join(CUPS_SERVER_BIN, 'backend', b), join(bin, 'backend', b));
  }
  // A backend reports printer conditions with "STATE: +keyword" on stderr; exit code 4
  // (CUPS_BACKEND_STOP) makes the scheduler stop the queue and keep the job, as after a jam.
  const fault = join(bin, 'backend', 'adm-fault');
  await writeFile(
    fault,
    [
      '#!/bin/sh',
      'if [ $# -eq 0 ]; then echo "direct adm-fault \\"Unknown\\" \\"ADM test fault\\""; exit 0; fi',
      'reason=$(echo "$DEVICE_URI" | sed "s#^adm-fault:/##")',
      'cat > /dev/null',
      'echo "STATE: +$reason" >&2',
      'exit 4',
      '',
    ].join('\n'),
  );
  await chmod(fault, 0o755);
}

async function waitForScheduler(socket: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cupsd exited: ${stderr()}`);
    if (existsSync(socket)) {
      try {
        await run('lpstat', ['-r'], { env: { ...process.env, CUPS_SERVER: socket } });
        return;
      } catch {
        // not answering yet
      }
    }
    if (Date.now() > deadline) throw new Error(`cupsd did not start: ${stderr()}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([
    exited.then(() => true),
    new Promise((r) => setTimeout(() => r(false), 5000)),
  ]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}
