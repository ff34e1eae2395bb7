import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Clock, systemClock } from '../../../drivers/shared/clock.ts';
import type { OperationName } from '../schemas.ts';
import { codesPage } from './codes-page.ts';
import { createMinter, type Minter } from './mint.ts';
import { checkRequest, matchOperation } from './request.ts';
import { buildSeed, type SimApplication, type SimResident } from './seed.ts';
import {
  emptyRecords,
  type SimAnswer,
  type SimClaim,
  type SimKiosk,
  type SimRecords,
  SimState,
} from './state.ts';

export type { SimClaim, SimKiosk, SimRecords } from './state.ts';

/** A fault the simulator answers one route with, for the fault matrix. */
export type SimFault =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'malformed' }
  | { kind: 'wrong-shape' }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'slow'; ms: number };

/** The operation a fault applies to (the client's names: lookup, pin, login, claim, ...). */
export type SimRoute = OperationName;

export interface CentralSimOptions {
  clock?: Clock;
  kiosks?: SimKiosk[];
  port?: number;
  host?: string;
}

const DEFAULT_KIOSK: SimKiosk = { kioskId: 'ADM-3574-MPP-01', token: 'sim-token', regions: ['3574'] };

/**
 * The central Dukcapil API of central-api.yaml as a real HTTP server: claims with leases, PIN attempts
 * and lock, idempotency keys scoped to the kiosk, and every error the contract names. Its state lives in
 * memory; `records` tells tests what it saw; `faults` makes a route misbehave for the fault matrix.
 */
export class CentralApiSimulator {
  readonly records: SimRecords = emptyRecords();
  private readonly state: SimState;
  private readonly idempotency = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  private readonly faults = new Map<SimRoute, { fault: SimFault; remaining: number }>();
  private readonly kiosks: SimKiosk[];
  private readonly clock: Clock;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private minter!: Minter;
  /** The base URL of the API (`http://127.0.0.1:<port>/v1`) once listening. */
  baseUrl = '';

  private constructor(
    seed: { applications: SimApplication[]; residents: SimResident[] },
    opts: CentralSimOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.kiosks = opts.kiosks ?? [DEFAULT_KIOSK];
    this.state = new SimState(seed.applications, seed.residents, this.records, this.clock);
  }

  /** Builds the seed (real PDFs and card documents) and starts listening. */
  static async start(opts: CentralSimOptions = {}): Promise<CentralApiSimulator> {
    const sim = new CentralApiSimulator(await buildSeed(), opts);
    sim.minter = await createMinter(sim.clock);
    await sim.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
    return sim;
  }

  /** The seeded applications (with PINs), for tests and the code page. */
  applications(): SimApplication[] {
    return [...this.state.apps.values()].map((s) => s.app);
  }

  application(applicationNo: string): SimApplication {
    const s = this.state.apps.get(applicationNo);
    if (!s) throw new Error(`no simulated application ${applicationNo}`);
    return s.app;
  }

  /** The residents registered for ADM self-service sign-in (1.1), with their login PINs. */
  residents(): SimResident[] {
    return [...this.state.residents.values()].map((r) => r.resident);
  }

  /** A resident's applications as their sign-in lists them (newest first, at most 20). */
  applicationsOf(nik: string): SimApplication[] {
    return this.state.applicationsOf(nik);
  }

  /** Whether the kiosk has an open assistance request (1.1: open 5 minutes, or until cleared). */
  assistanceOpen(kioskId: string): boolean {
    return this.state.assistanceOpen(kioskId);
  }

  /** Clears the kiosk's assistance request, as a technician does in the maintenance menu. */
  clearAssistance(kioskId: string): void {
    this.state.clearAssistance(kioskId);
  }

  /** A signed print code for an application (the simulated issuer's key). */
  mintPrintCode(applicationNo: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const app = this.state.apps.get(applicationNo)?.app;
    return this.minter.printCode({
      applicationNo,
      service: app?.service ?? 'KTP_EL',
      regionCode: app?.regionCode ?? '3574',
      ...overrides,
    });
  }

  /** A signed technician badge. */
  mintBadge(technicianId: string, regionCode = '3574'): Promise<string> {
    return this.minter.badge(technicianId, regionCode);
  }

  /** Makes the next `times` calls of a route misbehave (Infinity: until cleared). */
  setFault(route: SimRoute, fault: SimFault, times = Number.POSITIVE_INFINITY): void {
    this.faults.set(route, { fault, remaining: times });
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Sets an application's status, e.g. to READY again for the next test. */
  setStatus(applicationNo: string, status: SimApplication['status']): void {
    const s = this.state.apps.get(applicationNo);
    if (!s) throw new Error(`no simulated application ${applicationNo}`);
    s.app.status = status;
    s.wrongPins = 0;
    s.locked = false;
    // A test that sets an application back to READY starts it afresh: its earlier claims, completed or
    // not, no longer count (a new claim printing it is not a CLAIM_LOST case).
    for (const c of this.records.claims) {
      if (c.applicationNo === applicationNo && (c.state === 'live' || status === 'READY'))
        c.state = 'released';
    }
  }

  /** Completed claims of an application: more than one would be a double print. */
  completionsOf(applicationNo: string): number {
    return new Set(
      this.records.completions.filter((c) => c.applicationNo === applicationNo).map((c) => c.claimId),
    ).size;
  }

  liveClaims(): SimClaim[] {
    const now = this.clock.now();
    return this.records.claims.filter((c) => c.state === 'live' && c.leaseExpiresAt > now);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(port: number, host: string): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, { code: 'INTERNAL', message: 'simulator error' });
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const a = server.address() as AddressInfo;
        this.baseUrl = `http://${host}:${a.port}/v1`;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/sim/codes')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(await codesPage(this));
      return;
    }
    if (url.pathname.startsWith('/sim/')) return this.control(req, url, res);
    if (!url.pathname.startsWith('/v1/'))
      return send(res, 404, { code: 'NOT_FOUND', message: 'no such path' });
    const path = url.pathname.slice(3);
    const method = req.method ?? '';
    const bodyText = await readBody(req);
    const kioskIdHeader = header(req, 'x-kiosk-id');
    const key = header(req, 'idempotency-key');
    const answer = (status: number, body: unknown, type?: string) => {
      this.records.requests.push({ method, path, kioskId: kioskIdHeader, idempotencyKey: key, status });
      send(res, status, body, type);
    };

    const matched = matchOperation(method, path);
    const fault = matched && this.takeFault(matched.name);
    if (fault) {
      this.records.requests.push({ method, path, kioskId: kioskIdHeader, idempotencyKey: key, status: 0 });
      return this.misbehave(fault, res);
    }
    const kiosk = this.kiosks.find(
      (k) => k.kioskId === kioskIdHeader && header(req, 'authorization') === `Bearer ${k.token}`,
    );
    if (!kiosk) return answer(401, { code: 'UNAUTHORIZED', message: 'missing or wrong token or kiosk id' });
    if (!matched) return answer(404, { code: 'NOT_FOUND', message: 'no such operation' });
    if (matched.params.kioskId !== undefined && matched.params.kioskId !== kiosk.kioskId)
      return answer(401, { code: 'UNAUTHORIZED', message: 'the path names another kiosk' });
    const checked = checkRequest(matched, req.headers, bodyText);
    if ('breach' in checked) {
      const { status, code, message } = checked.breach;
      return answer(status, { code, message });
    }
    if (method !== 'POST') {
      const [status, body, type] = this.operate(matched.name, matched.params, undefined, kiosk, req);
      return answer(status, body, type);
    }
    const scoped = `${kiosk.kioskId}\u0000${key}`;
    const fingerprint = `${path}\u0000${canonical(checked.body)}`;
    const seen = this.idempotency.get(scoped);
    if (seen) {
      if (seen.fingerprint !== fingerprint)
        return answer(400, { code: 'BAD_REQUEST', message: 'Idempotency-Key reused for another request' });
      return answer(seen.status, seen.body);
    }
    const [status, body] = this.operate(matched.name, matched.params, checked.body, kiosk, req);
    // A 5xx is not remembered: the kiosk is meant to try again with the same key.
    if (status < 500) this.idempotency.set(scoped, { fingerprint, status, body });
    answer(status, body);
  }

  /** Runs one operation whose request the contract's schemas passed. */
  private operate(
    name: SimRoute,
    params: Record<string, string>,
    body: unknown,
    kiosk: SimKiosk,
    req: IncomingMessage,
  ): SimAnswer {
    const b = body as Record<string, unknown>;
    const st = this.state;
    switch (name) {
      case 'lookup':
        return st.lookup(params.applicationNo!, kiosk);
      case 'document':
        return st.document(params.documentId!, kiosk, header(req, 'x-claim-id') ?? '');
      case 'pin':
        return st.verifyPin(params.applicationNo!, b, kiosk);
      case 'login':
        return st.login(params.nik!, b, kiosk);
      case 'claim':
        return st.claim(params.applicationNo!, b, kiosk);
      case 'complete':
        return st.complete(params.claimId!, b, kiosk);
      case 'release':
        return st.release(params.claimId!, b, kiosk);
      case 'heartbeat':
        return st.heartbeat(b, kiosk);
      case 'handoff':
        return st.handoff(b, kiosk);
      case 'assistance':
        return st.assistance(b, kiosk);
      case 'feedback':
        return st.feedback(b);
    }
  }

  /**
   * The simulator's own control surface, for a test bench or a soak that runs it as another process:
   * `GET /sim/records`, `GET /sim/code/{no}` (a fresh print code as text), `GET /sim/pin/{no}`,
   * `GET /sim/completions/{no}`, `GET /sim/assistance/{kioskId}` (open or not, and every request
   * received), `POST /sim/assistance/{kioskId}/clear`,
   * `POST /sim/status/{no}/{STATUS}`, `POST /sim/reset-records`. It listens on loopback like the API.
   */
  private control(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const [what, no, status] = url.pathname.split('/').slice(2).map(decodeURIComponent);
    const get = req.method === 'GET';
    const post = req.method === 'POST';
    try {
      if (get && what === 'records') send(res, 200, this.records);
      else if (get && what === 'completions' && no) {
        send(res, 200, { count: this.completionsOf(no), liveClaims: this.liveClaims().length });
      } else if (get && what === 'pin' && no) send(res, 200, { pin: this.application(no).pin });
      else if (get && what === 'assistance' && no) {
        const requests = this.records.assistanceRequests.filter((r) => r.kioskId === no);
        send(res, 200, { open: this.assistanceOpen(no), requests });
      } else if (post && what === 'assistance' && no && status === 'clear') {
        this.clearAssistance(no);
        send(res, 204, undefined);
      } else if (get && what === 'code' && no) {
        this.application(no);
        void this.mintPrintCode(no).then((code) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(code);
        });
      } else if (post && what === 'status' && no && status) {
        this.setStatus(no, status as SimApplication['status']);
        send(res, 204, undefined);
      } else if (post && what === 'reset-records') {
        for (const list of Object.values(this.records)) list.splice(0, list.length);
        this.idempotency.clear();
        send(res, 204, undefined);
      } else send(res, 404, { code: 'NOT_FOUND', message: 'no such simulator control' });
    } catch (e) {
      send(res, 400, { code: 'BAD_REQUEST', message: (e as Error).message });
    }
  }

  private takeFault(route: SimRoute): SimFault | undefined {
    const f = this.faults.get(route);
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.faults.delete(route);
    return f.fault;
  }

  private misbehave(fault: SimFault, res: ServerResponse): void {
    switch (fault.kind) {
      case 'status':
        send(
          res,
          fault.status,
          fault.body ?? { code: fault.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', message: 'injected' },
        );
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"applicationNo": "35');
        return;
      case 'wrong-shape':
        send(res, 200, { hello: 'world', status: 42, documents: 'none' });
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'hang':
        return;
      case 'slow':
        setTimeout(() => send(res, 503, { code: 'INTERNAL', message: 'slow' }), fault.ms);
        return;
    }
  }
}

/** JSON with its members sorted: bodies are compared as JSON values (member order does not matter). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, body: unknown, type?: string): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  if (body instanceof Uint8Array) {
    res.writeHead(status, {
      'content-type': type ?? 'application/octet-stream',
      'content-length': body.length,
    });
    res.end(body);
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1_000_000) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
