import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import type { FlatView, Intent, View } from '../../kiosk/view.ts';

/**
 * A test-only stand-in for the browser host: serves a built UI directory, pushes the Views a test
 * chooses over `/api/events` and records the intents POSTed to `/api/intent`, both guarded by a
 * per-harness secret like the real host. Previews (`/preview/*.png`) are drawn on the fly.
 */
export interface UiHarness {
  /** The page URL, with the secret: `http://127.0.0.1:<port>/?s=<secret>`. */
  url: string;
  origin: string;
  secret: string;
  /** Replaces the current View and sends it to every connected page. */
  push(view: View): void;
  /** Every intent received, in order (touches included). */
  intents: Intent[];
  /** Intents other than `touch`. */
  actions(): Intent[];
  /**
   * Resolves with the first matching intent not yet returned by an earlier wait (or, given `since`, at
   * or after that index of `intents`), waiting up to `timeoutMs` for it to arrive.
   */
  waitForIntent(match: (intent: Intent) => boolean, timeoutMs?: number, since?: number): Promise<Intent>;
  /** Requests refused for a missing or wrong secret. */
  refused: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.wav': 'audio/wav',
};

/** A View on `home` with every field a test usually needs; override what the test is about. */
export function baseView(overrides: Partial<FlatView> = {}): View {
  return {
    screen: 'home',
    locale: 'id',
    kioskId: 'ADM-3574-MPP-01',
    available: { card: true, a4: true },
    helpdesk: { phone: '(0335) 4438894', whatsapp: '082350657770', email: 'dispendukkotaprob@gmail.com' },
    ...overrides,
  } as View;
}

function previewPng(name: string): Buffer {
  const a4 = name.includes('a4');
  const canvas = a4 ? createCanvas(420, 594) : createCanvas(856, 540);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = a4 ? '#ffffff' : '#cfe3f5';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#0b4f8a';
  ctx.font = 'bold 40px sans-serif';
  ctx.fillText(a4 ? 'KARTU KELUARGA' : 'PROVINSI JAWA TIMUR', 30, 70);
  ctx.font = '28px sans-serif';
  ctx.fillText('NIK 357401******0001', 30, 140);
  ctx.fillText('Nama SITI RAHAYU', 30, 190);
  return canvas.toBuffer('image/png');
}

/** Starts the harness on a free port of 127.0.0.1, serving `uiDir`, starting with `initial`. */
export async function startUiHarness(uiDir: string, initial: View = baseView()): Promise<UiHarness> {
  const secret = randomBytes(16).toString('hex');
  let current = initial;
  const clients = new Set<ServerResponse>();
  const intents: Intent[] = [];
  const waiters: Array<{ match: (i: Intent) => boolean; resolve: (i: Intent) => void }> = [];
  let refused = 0;
  let cursor = 0;

  const authorised = (url: URL) => url.searchParams.get('s') === secret;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/events') {
      if (!authorised(url)) {
        refused++;
        res.writeHead(403).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(`data: ${JSON.stringify(current)}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname === '/api/intent' && req.method === 'POST') {
      if (!authorised(url)) {
        refused++;
        res.writeHead(403).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const intent = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Intent;
      intents.push(intent);
      for (const waiter of [...waiters]) {
        if (waiter.match(intent)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(intent);
        }
      }
      res.writeHead(204).end();
      return;
    }
    if (url.pathname.startsWith('/preview/')) {
      if (!authorised(url)) {
        refused++;
        res.writeHead(403).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png' }).end(previewPng(url.pathname));
      return;
    }
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = normalize(join(uiDir, path));
    if (!file.startsWith(normalize(uiDir))) return void res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?s=${secret}`,
    origin,
    secret,
    intents,
    get refused() {
      return refused;
    },
    push(view) {
      current = view;
      for (const client of clients) client.write(`data: ${JSON.stringify(view)}\n\n`);
    },
    actions: () => intents.filter((intent) => intent.type !== 'touch'),
    waitForIntent(match, timeoutMs = 5000, since) {
      // Intents that arrived before the call count too (a click resolves after its POST may have landed);
      // each intent satisfies one wait only, so consecutive waits see consecutive intents.
      const from = since ?? cursor;
      const index = intents.findIndex((intent, i) => i >= from && match(intent));
      if (index >= 0) {
        cursor = index + 1;
        return Promise.resolve(intents[index]!);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching intent')), timeoutMs);
        waiters.push({
          match,
          resolve: (intent) => {
            clearTimeout(timer);
            cursor = intents.lastIndexOf(intent) + 1;
            resolve(intent);
          },
        });
      });
    },
    async close() {
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
