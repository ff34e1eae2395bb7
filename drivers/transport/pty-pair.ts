import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { err, ok, type Result } from '../shared/result.ts';

/** How long socat gets to create both pty links. */
const PTY_START_TIMEOUT_MS = 3000;
/** How often the links are looked for while socat starts. */
const PTY_POLL_MS = 10;

/** A pty pair made by socat: bytes written to one tty path come out of the other. */
export interface PtyPair {
  /** The tty path of one end (a symlink to a /dev/pts/N). */
  readonly pathA: string;
  /** The tty path of the other end. */
  readonly pathB: string;
  /** The socat process id, so that a test can end it on its own (an unplugged cable). */
  readonly pid: number | undefined;
  /** Ends socat: both ends see the pty go away, as if the cable were pulled. Resolves when it exited. */
  close(): Promise<void>;
}

/**
 * Starts `socat` with two raw ptys linked at `pathA` and `pathB` (which must not exist yet) and
 * resolves once both links are there. Each test file uses its own paths so that files can run in
 * parallel.
 */
export async function openPtyPair(pathA: string, pathB: string): Promise<Result<PtyPair, string>> {
  let exited = false;
  let child: ChildProcess;
  try {
    child = spawn('socat', [`pty,raw,echo=0,link=${pathA}`, `pty,raw,echo=0,link=${pathB}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (e) {
    return err((e as Error).message);
  }
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (e) => {
      stderr += e.message;
      exited = true;
      resolve();
    });
  });
  // socat must not outlive this process (a test runner that exits without closing, a crash).
  const killOnExit = (): void => {
    if (!exited) child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  void exit.then(() => process.removeListener('exit', killOnExit));
  const deadline = Date.now() + PTY_START_TIMEOUT_MS;
  while (!(existsSync(pathA) && existsSync(pathB))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      return err(`socat did not start: ${stderr.trim() || 'timeout'}`);
    }
    await new Promise((r) => setTimeout(r, PTY_POLL_MS));
  }
  return ok({
    pathA,
    pathB,
    pid: child.pid,
    close: async () => {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  });
}
