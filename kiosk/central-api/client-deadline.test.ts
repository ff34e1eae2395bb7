import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralApi } from './client.ts';

/**
 * Issue 13 item 4: an answer whose body stalls after its headers must not hold the kiosk. A real HTTP
 * server sends the status line, the headers and the first bytes of the body, then nothing more; the
 * client's deadline covers the whole answer, so each attempt ends as a timeout and is tried once more.
 */
let server: Server;
let baseUrl = '';
const sockets = new Set<Socket>();
const attempts: string[] = [];
const stalled: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    attempts.push(req.url ?? '');
    if (req.url?.includes('/documents/')) {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '100000' });
      res.write('%PDF-1.7\n');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"applicationNo": "3574-KIA-2611-000123", ');
    }
    stalled.push(res); // and never ends
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const api = () => new CentralApi({ baseUrl, token: 't', kioskId: 'ADM-3574-MPP-01', timeoutMs: 300 });

describe('a body that stalls after the headers', () => {
  it('ends a lookup as a timeout after two bounded attempts', async () => {
    attempts.length = 0;
    const started = performance.now();
    const r = await api().getApplication('3574-KIA-2611-000123');
    const took = performance.now() - started;
    expect(r).toEqual({ ok: false, error: { kind: 'unavailable', detail: 'timeout' } });
    expect(attempts).toHaveLength(2);
    expect(took).toBeGreaterThanOrEqual(550);
    expect(took).toBeLessThan(2000);
  });

  it('ends a document download as a timeout after two bounded attempts', async () => {
    attempts.length = 0;
    const started = performance.now();
    const r = await api().getDocument('DOC-1', 'CLM-1');
    expect(r).toEqual({ ok: false, error: { kind: 'unavailable', detail: 'timeout' } });
    expect(attempts).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('ends a completion (as the outbox sends it) as a timeout, not a hang', async () => {
    const r = await api().complete('CLM-1', { printedAt: '2026-11-28T04:00:00Z' }, CentralApi.newKey());
    expect(r).toEqual({ kind: 'unavailable', detail: 'timeout' });
  });
});
