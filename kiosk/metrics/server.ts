import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KioskMetrics } from './kiosk-metrics.ts';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** The port could not be opened: an incident for the technician; the kiosk goes on serving applicants. */
  onUnavailable?: (detail: { host: string; port: number; code: string }) => void;
}

/**
 * `GET /metrics` for a Prometheus server or agent (kiosk-runtime.md "Metrics"). The text format 0.0.4,
 * or OpenMetrics when the scraper's Accept header asks for it. Anything else is 404. Resolves with
 * `undefined` when the port cannot be opened (after calling `onUnavailable`), never rejects for that.
 */
export async function startMetricsServer(
  metrics: KioskMetrics,
  opts: MetricsServerOptions,
): Promise<MetricsServer | undefined> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const openMetrics = /application\/openmetrics-text/.test(req.headers.accept ?? '');
    metrics.scrape(openMetrics).then(
      ({ body, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (e: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(e as Error).message}\n`),
    );
  });
  // A scraper's connection must never keep the kiosk from stopping.
  server.keepAliveTimeout = 5_000;
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      opts.onUnavailable?.({ host: opts.host, port: opts.port, code: e.code ?? 'ERROR' });
      resolve(false);
    });
    server.listen(opts.port, opts.host, () => resolve(true));
  });
  if (!listening) return undefined;
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
