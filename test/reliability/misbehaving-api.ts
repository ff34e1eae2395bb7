import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ManualClock } from '../../drivers/shared/clock.ts';

/** What one route does to a request: answer, or misbehave. */
export type Behaviour =
  /** 200 with this JSON body. */
  | { kind: 'ok'; body?: unknown }
  /** This status with a generic error body. */
  | { kind: 'status'; status: number }
  /** Headers and the first bytes of the body, then nothing, ever (the connection stays open). */
  | { kind: 'stall-body' };

/** One request as the server saw it. */
export interface Hit {
  path: string;
  idempotencyKey: string | undefined;
  /** Wall time (Date.now()) of arrival. */
  at: number;
}

/**
 * A real HTTP server standing in for the central API, whose routes misbehave on demand: a route may
 * answer 500s, or send its headers and then stall its body forever. Requests it has no behaviour for
 * are acknowledged as the central API would acknowledge a `complete` or a `release`.
 */
export class MisbehavingApi {
  readonly hits: Hit[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly stalled = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<MisbehavingApi> {
    let api: MisbehavingApi | undefined;
    const server = createServer((req, res) => api!.handle(req, res));
    api = new MisbehavingApi(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return api;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Sets what `path` (e.g. `/v1/claims/C-1/complete`) does from now on. */
  on(path: string, b: Behaviour): void {
    this.behaviours.set(path, b);
  }

  hitsOf(path: string): Hit[] {
    return this.hits.filter((h) => h.path === path);
  }

  async close(): Promise<void> {
    for (const res of this.stalled) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0]!;
    req.resume();
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      this.hits.push({ path, idempotencyKey: typeof key === 'string' ? key : undefined, at: Date.now() });
      const b = this.behaviours.get(path) ?? { kind: 'ok' };
      if (b.kind === 'stall-body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"applicationNo":"');
        this.stalled.add(res);
        return;
      }
      if (b.kind === 'status') {
        res.writeHead(b.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'INTERNAL', message: 'misbehaving on purpose' }));
        return;
      }
      const m = /^\/v1\/claims\/[^/]+\/(complete|release)$/.exec(path);
      if (!m && b.body === undefined) {
        // Heartbeats and feedback: the contract's answer is 204 with no body.
        res.writeHead(204);
        res.end();
        return;
      }
      const body = b.body ?? { applicationNo: 'APP', status: m?.[1] === 'complete' ? 'PRINTED' : 'READY' };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  }
}

/**
 * Moves a simulated clock in small steps, with a few real milliseconds between them so the answers of a
 * real server (real time) arrive between the simulated timers.
 */
export async function pump(clock: ManualClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await clock.advanceAsync(step);
    await new Promise((r) => setTimeout(r, 5));
  }
}
