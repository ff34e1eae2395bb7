import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../../drivers/shared/clock.ts';
import {
  CLAIM_LEASE_MS,
  PIN_MAX_ATTEMPTS,
  PIN_PROOF_TTL_MS,
  RELEASE_REASONS,
  SERVICES,
} from '../contract.ts';
import { codesPage } from './codes-page.ts';
import { createMinter, type Minter } from './mint.ts';
import { buildSeed, type SimApplication } from './seed.ts';

/** One kiosk the simulator knows: its token and the regions it may serve. */
export interface SimKiosk {
  kioskId: string;
  token: string;
  regions: string[];
}

/** A fault the simulator answers one route with, for the fault matrix. */
export type SimFault =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'malformed' }
  | { kind: 'wrong-shape' }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'slow'; ms: number };

export type SimRoute =
  | 'lookup'
  | 'pin'
  | 'claim'
  | 'document'
  | 'complete'
  | 'release'
  | 'heartbeat'
  | 'feedback';

export interface SimClaim {
  claimId: string;
  applicationNo: string;
  kioskId: string;
  grantedAt: number;
  leaseExpiresAt: number;
  state: 'live' | 'completed' | 'released';
  releaseReason?: string;
}

/** What the simulator saw, for tests to check against the kiosk's own record. */
export interface SimRecords {
  requests: Array<{
    method: string;
    path: string;
    kioskId?: string;
    idempotencyKey?: string;
    status: number;
  }>;
  claims: SimClaim[];
  completions: Array<{ claimId: string; applicationNo: string; body: Record<string, unknown>; at: number }>;
  releases: Array<{ claimId: string; applicationNo: string; reason: string; at: number }>;
  heartbeats: Array<{ kioskId: string; body: Record<string, unknown>; at: number }>;
  feedback: Array<Record<string, unknown>>;
  pinChecks: Array<{ applicationNo: string; ok: boolean }>;
}

export interface CentralSimOptions {
  clock?: Clock;
  kiosks?: SimKiosk[];
  port?: number;
  host?: string;
}

interface AppState {
  app: SimApplication;
  wrongPins: number;
  locked: boolean;
}

const DEFAULT_KIOSK: SimKiosk = { kioskId: 'ADM-3574-MPP-01', token: 'sim-token', regions: ['3574'] };

/**
 * The central Dukcapil API of central-api.yaml as a real HTTP server: claims with leases, PIN attempts
 * and lock, idempotency keys scoped to the kiosk, and every error the contract names. Its state lives in
 * memory; `records` tells tests what it saw; `faults` makes a route misbehave for the fault matrix.
 */
export class CentralApiSimulator {
  readonly records: SimRecords = {
    requests: [],
    claims: [],
    completions: [],
    releases: [],
    heartbeats: [],
    feedback: [],
    pinChecks: [],
  };
  private readonly apps = new Map<string, AppState>();
  private readonly docs = new Map<string, { app: AppState; index: number }>();
  private readonly idempotency = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  private readonly pinProofs = new Map<string, { applicationNo: string; expiresAt: number }>();
  private readonly faults = new Map<SimRoute, { fault: SimFault; remaining: number }>();
  private readonly kiosks: SimKiosk[];
  private readonly clock: Clock;
  private server: Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  private minter!: Minter;
  /** The base URL of the API (`http://127.0.0.1:<port>/v1`) once listening. */
  baseUrl = '';

  private constructor(apps: SimApplication[], opts: CentralSimOptions) {
    this.clock = opts.clock ?? systemClock;
    this.kiosks = opts.kiosks ?? [DEFAULT_KIOSK];
    for (const app of apps) {
      const state = { app, wrongPins: 0, locked: false };
      this.apps.set(app.applicationNo, state);
      for (const [index, d] of app.documents.entries()) this.docs.set(d.documentId, { app: state, index });
    }
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
    return [...this.apps.values()].map((s) => s.app);
  }

  application(applicationNo: string): SimApplication {
    const s = this.apps.get(applicationNo);
    if (!s) throw new Error(`no simulated application ${applicationNo}`);
    return s.app;
  }

  /** A signed print code for an application (the simulated issuer's key). */
  mintPrintCode(applicationNo: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const app = this.apps.get(applicationNo)?.app;
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
    const s = this.apps.get(applicationNo);
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
    const bodyText = await readBody(req);
    const kioskIdHeader = header(req, 'x-kiosk-id');
    const key = header(req, 'idempotency-key');
    const record = (status: number) =>
      this.records.requests.push({
        method: req.method ?? '',
        path,
        kioskId: kioskIdHeader,
        idempotencyKey: key,
        status,
      });

    const route = routeOf(req.method ?? '', path);
    if (route) {
      const fault = this.takeFault(route);
      if (fault) {
        record(0);
        return this.misbehave(fault, res);
      }
    }
    const kiosk = this.kiosks.find(
      (k) => k.kioskId === kioskIdHeader && header(req, 'authorization') === `Bearer ${k.token}`,
    );
    if (!kiosk) {
      record(401);
      return send(res, 401, { code: 'UNAUTHORIZED', message: 'missing or wrong token or kiosk id' });
    }
    if (req.method === 'POST') {
      if (!key || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key)) {
        record(400);
        return send(res, 400, { code: 'BAD_REQUEST', message: 'Idempotency-Key (uuid) is required' });
      }
      let body: unknown;
      try {
        body = JSON.parse(bodyText);
      } catch {
        record(400);
        return send(res, 400, { code: 'BAD_REQUEST', message: 'body is not JSON' });
      }
      const scoped = `${kiosk.kioskId}\u0000${key}`;
      const fingerprint = `${path}\u0000${JSON.stringify(body)}`;
      const seen = this.idempotency.get(scoped);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          record(400);
          return send(res, 400, {
            code: 'BAD_REQUEST',
            message: 'Idempotency-Key reused for another request',
          });
        }
        record(seen.status);
        return send(res, seen.status, seen.body);
      }
      const [status, answer] = this.post(path, body, kiosk);
      // A 5xx is not remembered: the kiosk is meant to try again with the same key.
      if (status < 500) this.idempotency.set(scoped, { fingerprint, status, body: answer });
      record(status);
      return send(res, status, answer);
    }
    if (req.method === 'GET') {
      const [status, answer, type] = this.get(path, kiosk, header(req, 'x-claim-id'));
      record(status);
      if (answer instanceof Uint8Array) {
        res.writeHead(status, {
          'content-type': type ?? 'application/octet-stream',
          'content-length': answer.length,
        });
        res.end(answer);
        return;
      }
      return send(res, status, answer);
    }
    record(404);
    send(res, 404, { code: 'NOT_FOUND', message: 'no such operation' });
  }

  /**
   * The simulator's own control surface, for a test bench or a soak that runs it as another process:
   * `GET /sim/records`, `GET /sim/code/{no}` (a fresh print code as text), `GET /sim/pin/{no}`,
   * `GET /sim/completions/{no}`,
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
      else if (get && what === 'code' && no) {
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

  private get(path: string, kiosk: SimKiosk, claimId: string | undefined): [number, unknown, string?] {
    let m = /^\/applications\/([^/]+)$/.exec(path);
    if (m) {
      const s = this.apps.get(decodeURIComponent(m[1]!));
      if (!s) return [404, { code: 'NOT_FOUND', message: 'no such application' }];
      if (!kiosk.regions.includes(s.app.regionCode)) return forbiddenRegion();
      return [200, publicApplication(s.app)];
    }
    m = /^\/documents\/([^/]+)$/.exec(path);
    if (m) {
      const d = this.docs.get(decodeURIComponent(m[1]!));
      if (!d) return [404, { code: 'NOT_FOUND', message: 'no such document' }];
      if (!kiosk.regions.includes(d.app.app.regionCode)) return forbiddenRegion();
      const now = this.clock.now();
      const claim = this.records.claims.find(
        (c) =>
          c.claimId === claimId &&
          c.state === 'live' &&
          c.leaseExpiresAt > now &&
          c.applicationNo === d.app.app.applicationNo &&
          c.kioskId === kiosk.kioskId,
      );
      if (!claim) return [403, { code: 'NO_LIVE_CLAIM', message: 'a live claim is needed to download' }];
      const doc = d.app.app.documents[d.index]!;
      return [200, doc.bytes, doc.contentType];
    }
    return [404, { code: 'NOT_FOUND', message: 'no such operation' }];
  }

  private post(path: string, body: unknown, kiosk: SimKiosk): [number, unknown] {
    const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : null) as Record<
      string,
      unknown
    > | null;
    if (!b) return badRequest('body must be an object');
    let m = /^\/applications\/([^/]+)\/pin-verifications$/.exec(path);
    if (m) return this.verifyPin(decodeURIComponent(m[1]!), b, kiosk);
    m = /^\/applications\/([^/]+)\/claims$/.exec(path);
    if (m) return this.claim(decodeURIComponent(m[1]!), b, kiosk);
    m = /^\/claims\/([^/]+)\/(complete|release)$/.exec(path);
    if (m)
      return m[2] === 'complete'
        ? this.complete(decodeURIComponent(m[1]!), b, kiosk)
        : this.release(decodeURIComponent(m[1]!), b, kiosk);
    m = /^\/kiosks\/([^/]+)\/heartbeat$/.exec(path);
    if (m) {
      if (decodeURIComponent(m[1]!) !== kiosk.kioskId)
        return [401, { code: 'UNAUTHORIZED', message: 'not this kiosk' }];
      const ok =
        typeof b.at === 'string' &&
        ['IN_SERVICE', 'OUT_OF_SERVICE', 'MAINTENANCE'].includes(b.state as string) &&
        typeof b.softwareVersion === 'string' &&
        isObject(b.devices) &&
        isObject(b.supplies) &&
        Number.isInteger(b.outboxPending) &&
        (b.outboxPending as number) >= 0;
      if (!ok) return badRequest('not a valid Heartbeat');
      this.records.heartbeats.push({ kioskId: kiosk.kioskId, body: b, at: this.clock.now() });
      return [204, undefined];
    }
    if (path === '/feedback') {
      const ok =
        typeof b.kioskId === 'string' &&
        Number.isInteger(b.rating) &&
        (b.rating as number) >= 1 &&
        (b.rating as number) <= 4 &&
        typeof b.at === 'string' &&
        (b.service === undefined || (SERVICES as readonly string[]).includes(b.service as string));
      if (!ok) return badRequest('not a valid feedback');
      this.records.feedback.push(b);
      return [204, undefined];
    }
    return [404, { code: 'NOT_FOUND', message: 'no such operation' }];
  }

  private verifyPin(no: string, b: Record<string, unknown>, kiosk: SimKiosk): [number, unknown] {
    if (typeof b.pin !== 'string' || !/^[0-9]{6}$/.test(b.pin)) return badRequest('pin must be 6 digits');
    const s = this.apps.get(no);
    if (!s) return [404, { code: 'NOT_FOUND', message: 'no such application' }];
    if (!kiosk.regions.includes(s.app.regionCode)) return forbiddenRegion();
    const notPrintable = this.notPrintable(s, kiosk);
    if (notPrintable) return notPrintable;
    if (s.locked) return [423, { code: 'PIN_LOCKED', message: 'too many wrong PINs; the office unlocks it' }];
    if (b.pin !== s.app.pin) {
      s.wrongPins++;
      this.records.pinChecks.push({ applicationNo: no, ok: false });
      if (s.wrongPins >= PIN_MAX_ATTEMPTS) {
        s.locked = true;
        return [423, { code: 'PIN_LOCKED', message: 'too many wrong PINs; the office unlocks it' }];
      }
      return [422, { code: 'PIN_WRONG', message: 'wrong PIN', attemptsLeft: PIN_MAX_ATTEMPTS - s.wrongPins }];
    }
    s.wrongPins = 0;
    this.records.pinChecks.push({ applicationNo: no, ok: true });
    const pinProof = `pp_${randomUUID()}`;
    const expiresAt = this.clock.now() + PIN_PROOF_TTL_MS;
    this.pinProofs.set(pinProof, { applicationNo: no, expiresAt });
    return [200, { pinProof, expiresAt: new Date(expiresAt).toISOString() }];
  }

  private claim(no: string, b: Record<string, unknown>, kiosk: SimKiosk): [number, unknown] {
    if (typeof b.kioskId !== 'string') return badRequest('kioskId is required');
    if (b.pinProof !== undefined && typeof b.pinProof !== 'string')
      return badRequest('pinProof must be a string');
    const s = this.apps.get(no);
    if (!s) return [404, { code: 'NOT_FOUND', message: 'no such application' }];
    if (!kiosk.regions.includes(s.app.regionCode)) return forbiddenRegion();
    const now = this.clock.now();
    const live = this.records.claims.find(
      (c) => c.applicationNo === no && c.state === 'live' && c.leaseExpiresAt > now,
    );
    if (s.app.status === 'PRINTED') return [409, { code: 'ALREADY_PRINTED', message: 'printed already' }];
    if (live && live.kioskId !== kiosk.kioskId)
      return [409, { code: 'CLAIMED_ELSEWHERE', message: 'claimed by another kiosk' }];
    const notPrintable = this.notPrintable(s, kiosk);
    if (notPrintable) return notPrintable;
    if (s.app.pinRequired || b.pinProof !== undefined) {
      const proof = typeof b.pinProof === 'string' ? this.pinProofs.get(b.pinProof) : undefined;
      if (!proof || proof.applicationNo !== no || proof.expiresAt <= now) {
        return [403, { code: 'PIN_REQUIRED', message: 'a valid pinProof is required' }];
      }
    }
    if (live) return [200, claimBody(live)];
    const claim: SimClaim = {
      claimId: `CLM-${randomUUID()}`,
      applicationNo: no,
      kioskId: kiosk.kioskId,
      grantedAt: now,
      leaseExpiresAt: now + CLAIM_LEASE_MS,
      state: 'live',
    };
    this.records.claims.push(claim);
    return [201, claimBody(claim)];
  }

  private complete(claimId: string, b: Record<string, unknown>, kiosk: SimKiosk): [number, unknown] {
    if (typeof b.printedAt !== 'string' || Number.isNaN(Date.parse(b.printedAt)))
      return badRequest('printedAt is required');
    for (const k of ['cardsPrinted', 'pagesPrinted'] as const) {
      if (b[k] !== undefined && !(Number.isInteger(b[k]) && (b[k] as number) >= 0))
        return badRequest(`${k} must be a count`);
    }
    const claim = this.records.claims.find((c) => c.claimId === claimId && c.kioskId === kiosk.kioskId);
    if (!claim) return [404, { code: 'NOT_FOUND', message: 'no such claim' }];
    const s = this.apps.get(claim.applicationNo)!;
    if (!kiosk.regions.includes(s.app.regionCode)) return forbiddenRegion();
    if (claim.state !== 'completed') {
      const other = this.records.claims.find(
        (c) => c.applicationNo === claim.applicationNo && c !== claim && c.state === 'completed',
      );
      // The report of what really came out of the printer wins, unless another claim printed it.
      if (other)
        return [409, { code: 'CLAIM_LOST', message: 'the application was printed under another claim' }];
      claim.state = 'completed';
      s.app.status = 'PRINTED';
      this.records.completions.push({
        claimId,
        applicationNo: claim.applicationNo,
        body: b,
        at: this.clock.now(),
      });
    }
    return [200, { applicationNo: claim.applicationNo, status: 'PRINTED' }];
  }

  private release(claimId: string, b: Record<string, unknown>, kiosk: SimKiosk): [number, unknown] {
    if (!(RELEASE_REASONS as readonly string[]).includes(b.reason as string))
      return badRequest('reason is not one of the enum');
    if (b.detail !== undefined && (typeof b.detail !== 'string' || b.detail.length > 500))
      return badRequest('detail too long');
    const claim = this.records.claims.find((c) => c.claimId === claimId && c.kioskId === kiosk.kioskId);
    if (!claim) return [404, { code: 'NOT_FOUND', message: 'no such claim' }];
    const s = this.apps.get(claim.applicationNo)!;
    if (!kiosk.regions.includes(s.app.regionCode)) return forbiddenRegion();
    if (claim.state === 'completed')
      return [409, { code: 'ALREADY_PRINTED', message: 'the claim was completed' }];
    if (claim.state === 'live') {
      claim.state = 'released';
      claim.releaseReason = b.reason as string;
      this.records.releases.push({
        claimId,
        applicationNo: claim.applicationNo,
        reason: b.reason as string,
        at: this.clock.now(),
      });
    }
    return [200, { applicationNo: claim.applicationNo, status: s.app.status }];
  }

  private notPrintable(s: AppState, _kiosk: SimKiosk): [number, unknown] | undefined {
    const st = s.app.status;
    if (st === 'PRINTED') return [409, { code: 'ALREADY_PRINTED', message: 'printed already' }];
    if (st !== 'READY') return [409, { code: 'NOT_READY', message: `status ${st}` }];
    if (!s.app.selfPrint) return [409, { code: 'NOT_SELF_PRINT', message: 'printed at the office' }];
    return undefined;
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

function routeOf(method: string, path: string): SimRoute | undefined {
  if (method === 'GET' && /^\/applications\/[^/]+$/.test(path)) return 'lookup';
  if (method === 'GET' && /^\/documents\//.test(path)) return 'document';
  if (method === 'POST') {
    if (path.endsWith('/pin-verifications')) return 'pin';
    if (path.endsWith('/claims')) return 'claim';
    if (path.endsWith('/complete')) return 'complete';
    if (path.endsWith('/release')) return 'release';
    if (path.endsWith('/heartbeat')) return 'heartbeat';
    if (path === '/feedback') return 'feedback';
  }
  return undefined;
}

function publicApplication(app: SimApplication) {
  return {
    applicationNo: app.applicationNo,
    service: app.service,
    status: app.status,
    ...(app.stage && app.status === 'IN_PROCESS' ? { stage: app.stage } : {}),
    regionCode: app.regionCode,
    selfPrint: app.selfPrint,
    pinRequired: app.pinRequired,
    subject: app.subject,
    documents: app.documents.map((d) => ({
      documentId: d.documentId,
      medium: d.medium,
      ...(d.template ? { template: d.template } : {}),
      ...(d.pages ? { pages: d.pages } : {}),
      sha256: d.sha256,
    })),
    updatedAt: app.updatedAt,
  };
}

function claimBody(c: SimClaim) {
  return {
    claimId: c.claimId,
    applicationNo: c.applicationNo,
    leaseExpiresAt: new Date(c.leaseExpiresAt).toISOString(),
  };
}

function forbiddenRegion(): [number, unknown] {
  return [403, { code: 'FORBIDDEN_REGION', message: 'this kiosk may not serve that region' }];
}

function badRequest(message: string): [number, unknown] {
  return [400, { code: 'BAD_REQUEST', message }];
}

function isObject(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status);
    res.end();
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
