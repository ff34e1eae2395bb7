import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { View } from '../../view.ts';
import { UI_CSP } from '../csp.ts';
import { parseIntent } from '../intent-schema.ts';

/** What the browser host needs of the core (the same port the Electron host uses). */
export interface CorePort {
  subscribe(listener: (view: View) => void): () => void;
  send(intent: import('../../view.ts').Intent): void;
  readAsset(path: string): Promise<{ body: Uint8Array; type: string } | undefined>;
}

export interface BrowserHostOptions {
  /** The built UI (`dist/ui`). */
  uiDir: string;
  /** 0 picks a free port. */
  port: number;
  /** For tests: a fixed secret instead of a random one. */
  secret?: string;
}

export interface BrowserHost {
  /** The URL to open, with the per-launch secret: `http://127.0.0.1:<port>/?s=<secret>`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wav': 'audio/wav',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
const MAX_INTENT_BYTES = 16 * 1024;
const SSE_KEEPALIVE_MS = 15_000;

/**
 * Serves the UI and its bridge on 127.0.0.1 only. The bridge (`/api/events`, `/api/intent`) and the
 * previews need the per-launch secret, so no other local page can drive or watch the kiosk; the Host
 * header must name this loopback port (no DNS rebinding) and an intent's Origin must be this origin.
 */
export async function startBrowserHost(core: CorePort, opts: BrowserHostOptions): Promise<BrowserHost> {
  const secret = opts.secret ?? randomBytes(24).toString('base64url');
  const sockets = new Set<Socket>();
  const streams = new Set<ServerResponse>();
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) plain(res, 500, 'error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().has(req.headers.host ?? '')) return plain(res, 421, 'wrong host');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;
    if (path.startsWith('/api/') || path.startsWith('/preview/')) {
      if (!secretOk(url.searchParams.get('s') ?? req.headers['x-kiosk-secret']?.toString() ?? '', secret)) {
        return plain(res, 403, 'forbidden');
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().has(origin)) return plain(res, 403, 'forbidden origin');
      if (path === '/api/events' && req.method === 'GET') return events(res);
      if (path === '/api/intent' && req.method === 'POST') {
        if (origin === undefined) return plain(res, 403, 'origin required');
        return intent(req, res);
      }
      if (path.startsWith('/preview/') && req.method === 'GET') {
        const asset = await core.readAsset(path);
        if (!asset) return plain(res, 404, 'not found');
        res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store', ...securityHeaders() });
        res.end(asset.body);
        return;
      }
      return plain(res, 404, 'not found');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
    return staticFile(path, res);
  }

  function events(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      ...securityHeaders(),
    });
    streams.add(res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS);
    const unsubscribe = core.subscribe((view) => res.write(`data: ${JSON.stringify(view)}\n\n`));
    res.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
    });
  }

  async function intent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_INTENT_BYTES) return plain(res, 413, 'too large');
      chunks.push(c as Buffer);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return plain(res, 400, 'not JSON');
    }
    const parsed = parseIntent(raw);
    if (!parsed) return plain(res, 400, 'not an intent');
    core.send(parsed);
    res.writeHead(204, { 'cache-control': 'no-store', ...securityHeaders() });
    res.end();
  }

  async function staticFile(path: string, res: ServerResponse): Promise<void> {
    const rel = path === '/' ? 'index.html' : decodeURIComponent(path).replace(/^\/+/, '');
    const full = normalize(join(opts.uiDir, rel));
    if (!full.startsWith(normalize(opts.uiDir) + sep)) return plain(res, 404, 'not found');
    let body: Buffer;
    try {
      body = await readFile(full);
    } catch {
      return plain(res, 404, 'not found');
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(full)] ?? 'application/octet-stream',
      'cache-control': rel === 'index.html' ? 'no-store' : 'no-cache',
      ...securityHeaders(),
    });
    res.end(body);
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?s=${secret}`,
    port,
    close: async () => {
      for (const r of streams) r.end();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function secretOk(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': UI_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(self), microphone=(), geolocation=(), usb=(), serial=()',
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders() });
  res.end(text);
}
