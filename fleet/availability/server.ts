import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AvailabilityFeed,
  availabilityOf,
  type InventoryKiosk,
  instantQuery,
  QUERIES,
} from './availability.ts';
import { type Lang, renderPage } from './page.ts';

export interface AvailabilityOptions {
  /** The central Prometheus, e.g. `http://127.0.0.1:9090`. */
  prometheusUrl: string;
  inventory: InventoryKiosk[];
  host?: string;
  port?: number;
  /** How long one answer of Prometheus serves every visitor (and browsers and proxies may keep it). */
  cacheSeconds?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface AvailabilityService {
  url: string;
  close(): Promise<void>;
}

/** Reads `inventory.json` ({ "kiosks": [...] }). */
export function readInventory(path: string): InventoryKiosk[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { kiosks: InventoryKiosk[] }).kiosks;
}

/**
 * The public availability service: `/` the page (`?lang=en` for English, Bahasa Indonesia by default),
 * `/availability.json` the feed. However many citizens look, Prometheus is asked at most once per
 * `cacheSeconds`; when it cannot answer, the last feed is served (its `generatedAt` says how old).
 */
export async function startAvailabilityService(opts: AvailabilityOptions): Promise<AvailabilityService> {
  const cacheMs = (opts.cacheSeconds ?? 30) * 1000;
  const now = opts.now ?? (() => new Date());
  let cached: { feed: AvailabilityFeed; at: number } | undefined;
  let pending: Promise<AvailabilityFeed> | undefined;

  const refresh = async (): Promise<AvailabilityFeed> => {
    const [state, deviceUp, supply, cardsPerDay] = await Promise.all(
      [QUERIES.state, QUERIES.deviceUp, QUERIES.supply, QUERIES.cardsPerDay].map((q) =>
        instantQuery(opts.prometheusUrl, q, opts.fetch),
      ),
    );
    const feed = availabilityOf(
      opts.inventory,
      { state: state!, deviceUp: deviceUp!, supply: supply!, cardsPerDay: cardsPerDay! },
      now(),
    );
    cached = { feed, at: Date.now() };
    return feed;
  };
  const feed = async (): Promise<AvailabilityFeed> => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.feed;
    pending ??= refresh().finally(() => {
      pending = undefined;
    });
    try {
      return await pending;
    } catch (e) {
      if (cached) return cached.feed;
      throw e;
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers = {
      'cache-control': `public, max-age=${Math.round(cacheMs / 1000)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    };
    if (req.method !== 'GET' || !['/', '/availability.json'].includes(url.pathname)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    feed().then(
      (f) => {
        if (url.pathname === '/availability.json')
          res
            .writeHead(200, {
              ...headers,
              'content-type': 'application/json',
              'access-control-allow-origin': '*',
            })
            .end(JSON.stringify(f));
        else {
          const lang: Lang = url.searchParams.get('lang') === 'en' ? 'en' : 'id';
          res
            .writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' })
            .end(renderPage(f, lang));
        }
      },
      () => res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '30' }).end('unavailable\n'),
    );
  });
  await new Promise<void>((resolve) =>
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
