import { hashPin, isTechnicianPin } from './pin-hash.ts';

/** What `runHashPin` reads from and writes to: the process's own streams, or a test's. */
export interface HashPinIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(on: boolean): unknown };
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** Longest line read for a PIN; anything longer is not a PIN. */
const MAX_LINE = 64;

/**
 * Reads one line: typed at a terminal (echo off, so the PIN is not on screen) or piped
 * (`printf '%s\n' "$PIN" | npm run kiosk -- hash-pin`). Resolves undefined when input ends empty.
 */
function readLine(io: HashPinIo): Promise<string | undefined> {
  return new Promise((resolve) => {
    const tty = io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function';
    let buf = '';
    const done = (line: string | undefined) => {
      io.stdin.removeListener('data', onData);
      io.stdin.removeListener('end', onEnd);
      if (tty) io.stdin.setRawMode?.(false);
      io.stdin.pause();
      resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\n' || ch === '\r') return done(buf);
        // Ctrl-C or Ctrl-D at a raw terminal.
        if (tty && (ch === '\u0003' || ch === '\u0004')) return done(undefined);
        if (tty && (ch === '\u007f' || ch === '\b')) buf = buf.slice(0, -1);
        else buf += ch;
        if (buf.length > MAX_LINE) return done(buf);
      }
    };
    const onEnd = () => done(buf || undefined);
    if (tty) io.stdin.setRawMode?.(true);
    io.stdin.on('data', onData);
    io.stdin.on('end', onEnd);
    io.stdin.resume();
  });
}

/**
 * `npm run kiosk -- hash-pin`: prints the `technicians[].pinHash` string of a PIN read from the terminal
 * (not echoed) or standard input. `hash-pin PIN`, the form kiosk-runtime.md names, still works, with a
 * warning: `ps` and the shell history keep a PIN typed on the command line. A PIN of fewer than 6 digits
 * is refused. Returns the exit code (0, or 2 for a refused PIN).
 */
export async function runHashPin(args: readonly string[], io: HashPinIo = process): Promise<number> {
  let pin: string | undefined;
  if (args.length > 0) {
    io.stderr.write(
      'hash-pin: a PIN on the command line stays in process lists and the shell history;\n' +
        '          prefer `npm run kiosk -- hash-pin` and type it, or pipe it on standard input\n',
    );
    pin = args.length === 1 ? args[0] : undefined;
  } else {
    if (io.stdin.isTTY) io.stderr.write('PIN (6 to 12 digits, not shown): ');
    pin = (await readLine(io))?.trim();
    if (io.stdin.isTTY) io.stderr.write('\n');
  }
  if (!pin || !isTechnicianPin(pin)) {
    io.stderr.write('hash-pin: a technician PIN is 6 to 12 digits\n');
    return 2;
  }
  io.stdout.write(`${await hashPin(pin)}\n`);
  return 0;
}
