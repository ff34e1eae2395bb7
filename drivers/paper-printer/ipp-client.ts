import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { err, ok, type Result } from '../shared/result.ts';
import { decodeIppResponse, encodeIppRequest, type IppRequest, type IppResponse } from './ipp.ts';

/** How long one IPP request to the local scheduler may take before the spooler counts as offline. */
export const IPP_REQUEST_TIMEOUT_MS = 10_000;

/** Where the local CUPS scheduler listens: a unix socket path or host:port. */
export type CupsServer = { socketPath: string } | { host: string; port: number };

const DEFAULT_SOCKET = '/run/cups/cups.sock';
const DEFAULT_PORT = 631;

/**
 * The scheduler address the way the `lp` tools find it: an explicit value, else `CUPS_SERVER`, else the
 * default domain socket when it exists, else localhost:631.
 */
export function resolveCupsServer(server = process.env.CUPS_SERVER): CupsServer {
  if (server?.startsWith('/')) return { socketPath: server };
  if (server) {
    const [host, port] = server.split(':');
    return { host: host || 'localhost', port: port ? Number(port) : DEFAULT_PORT };
  }
  if (existsSync(DEFAULT_SOCKET)) return { socketPath: DEFAULT_SOCKET };
  return { host: 'localhost', port: DEFAULT_PORT };
}

let nextRequestId = 1;

/** Sends one IPP request to the scheduler. A refused connection or a garbled answer is `err(message)`. */
export function ippRequest(
  server: CupsServer,
  path: string,
  req: Omit<IppRequest, 'requestId'>,
): Promise<Result<IppResponse, string>> {
  const body = encodeIppRequest({ ...req, requestId: nextRequestId++ });
  return new Promise((resolve) => {
    const r = request(
      {
        ...server,
        path,
        method: 'POST',
        // CUPS checks the Host header against its ServerName/ServerAlias; localhost is always allowed.
        headers: { 'Content-Type': 'application/ipp', 'Content-Length': body.length, Host: 'localhost' },
        timeout: IPP_REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => resolve(err(e.message)));
        res.on('end', () => {
          if (res.statusCode !== 200) return resolve(err(`HTTP ${res.statusCode}`));
          const decoded = decodeIppResponse(new Uint8Array(Buffer.concat(chunks)));
          resolve(decoded ? ok(decoded) : err('malformed IPP response'));
        });
      },
    );
    r.on('timeout', () => r.destroy(new Error('IPP request timed out')));
    r.on('error', (e) => resolve(err(e.message)));
    r.end(body);
  });
}
