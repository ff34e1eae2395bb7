import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileValue, mutatedValue, validValue } from '../../test/support/schema-arbitrary.ts';
import { type Operation, operations, rawAt, responseFor, schemaAt } from './openapi.ts';
import { CentralApiSimulator } from './sim/server.ts';

/**
 * The simulator against central-api.yaml, from outside over HTTP: every operation of the contract is
 * driven with requests generated from its schemas, valid and broken, and every answer's status must be
 * one the contract lists for the operation, with a listed content type and a body valid for the listed
 * schema. A POST whose body or parameters break the contract must be 400 BAD_REQUEST.
 */
const KIOSK = 'ADM-3574-MPP-01';
const TOKEN = 'sim-token';
const RUNS = 200;

let sim: CentralApiSimulator;
/** What earlier answers handed out, for later requests to use: proofs and claims. */
const seen = { pinProofs: [] as string[], residentProofs: [] as string[], keys: [] as string[] };

beforeAll(async () => {
  sim = await CentralApiSimulator.start();
});
afterAll(() => sim.close());

interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The body's own verdict by the contract's schema: a POST with an invalid one must get 400. */
  invalid: boolean;
  authorised: boolean;
}

/** A real value of the simulator for a path parameter, drawn by index at run time. */
function realValue(name: string, n: number): string | undefined {
  const pick = <T>(list: T[]) => (list.length ? list[n % list.length] : undefined);
  switch (name) {
    case 'applicationNo':
      return pick(sim.applications().map((a) => a.applicationNo));
    case 'documentId': {
      // Half the time a document of a live claim, so that X-Claim-Id (same n) can match it.
      const live = sim.liveClaims()[n % (sim.liveClaims().length || 1)];
      if (live && n % 2 === 0) return sim.application(live.applicationNo).documents[0]?.documentId;
      return pick(sim.applications().flatMap((a) => a.documents.map((d) => d.documentId)));
    }
    case 'X-Claim-Id':
      return sim.liveClaims()[n % (sim.liveClaims().length || 1)]?.claimId;
    case 'claimId':
      return n % 2 === 0
        ? pick(sim.liveClaims().map((c) => c.claimId))
        : pick(sim.records.claims.map((c) => c.claimId));
    case 'nik':
      return pick([...sim.residents().map((r) => r.nik), '3574019999990099']);
    case 'kioskId':
      return KIOSK;
    default:
      return undefined;
  }
}

/** Fills a body's fields with real values sometimes, so that requests reach past 404 and 422. */
function withRealFields(op: Operation, body: unknown, params: Record<string, string>, n: number): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = { ...(body as Record<string, unknown>) };
  if ('kioskId' in b) b.kioskId = KIOSK;
  if (op.path.endsWith('/pin-verifications') && params.applicationNo)
    b.pin = sim.applications().find((a) => a.applicationNo === params.applicationNo)?.pin ?? b.pin;
  if (op.path.endsWith('/logins') && params.nik)
    b.pin = sim.residents().find((r) => r.nik === params.nik)?.loginPin ?? b.pin;
  if (op.path.endsWith('/claims')) {
    if ('pinProof' in b || n % 3 === 0)
      b.pinProof = seen.pinProofs[n % (seen.pinProofs.length || 1)] ?? b.pinProof;
    if ('residentProof' in b)
      b.residentProof = seen.residentProofs[n % (seen.residentProofs.length || 1)] ?? b.residentProof;
    if (b.pinProof === undefined) delete b.pinProof;
    if (b.residentProof === undefined) delete b.residentProof;
  }
  return b;
}

function requestOf(op: Operation): fc.Arbitrary<() => Request> {
  const paramArbs = op.parameters.map((p) =>
    fc.record({
      real: fc.nat({ max: 9 }).map((k) => k < 8),
      n: fc.nat(),
      generated: validValue(rawAt(p.schemaPointer)),
      hostile: fc.constantFrom('', 'x y', '%', 'not-a-uuid'),
      broken: fc.nat({ max: 19 }).map((k) => k === 0),
    }),
  );
  const bodyArb = op.bodyPointer
    ? fc.oneof(
        { weight: 3, arbitrary: validValue(rawAt(op.bodyPointer)).map((v) => ({ v, text: undefined })) },
        { weight: 2, arbitrary: mutatedValue(rawAt(op.bodyPointer)).map((v) => ({ v, text: undefined })) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('{', 'null', '', '[1,').map((text) => ({ v: undefined, text })),
        },
      )
    : fc.constant(undefined);
  return fc
    .record({
      params: fc.tuple(...paramArbs),
      body: bodyArb,
      auth: fc.nat({ max: 19 }),
      realFields: fc.boolean(),
      n: fc.nat(),
      extra: hostileValue,
    })
    .map(({ params, body, auth, realFields, n }) => () => {
      let path = op.path;
      const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, 'x-kiosk-id': KIOSK };
      const pathValues: Record<string, string> = {};
      let brokenParam = false;
      for (const [i, p] of op.parameters.entries()) {
        const g = params[i]!;
        let value = g.broken
          ? g.hostile
          : ((g.real ? realValue(p.name, g.n) : undefined) ?? String(g.generated));
        if (p.name === 'Idempotency-Key' && !g.broken && g.n % 10 === 0 && seen.keys.length)
          value = seen.keys[g.n % seen.keys.length]!;
        if (g.broken && p.in === 'header' && g.n % 2 === 0) {
          brokenParam = true;
          continue; // left out
        }
        if (schemaAt(p.schemaPointer).check(value) !== undefined) brokenParam = true;
        if (p.in === 'path') {
          pathValues[p.name] = value;
          // `.` and `..` would be folded away by URL normalisation: sent encoded, as a client must.
          path = path.replace(
            `{${p.name}}`,
            encodeURIComponent(value).replace(/^\.\.?$/, (d) => d.replaceAll('.', '%2E')),
          );
        } else headers[p.name.toLowerCase()] = value;
      }
      if (op.method === 'post') seen.keys.push(headers['idempotency-key'] ?? '');
      let text: string | undefined;
      let invalid = brokenParam && op.method === 'post';
      if (body) {
        const value =
          body.text === undefined && realFields ? withRealFields(op, body.v, pathValues, n) : body.v;
        text = body.text ?? JSON.stringify(value);
        if (body.text !== undefined || schemaAt(op.bodyPointer!).check(value) !== undefined) invalid = true;
        headers['content-type'] = 'application/json';
      }
      // A path naming another kiosk is 401 whatever the body (the contract's rule for `kioskId`).
      const authorised = auth !== 0 && (pathValues.kioskId === undefined || pathValues.kioskId === KIOSK);
      if (auth === 0) headers.authorization = 'Bearer wrong';
      return {
        method: op.method.toUpperCase(),
        url: `${sim.baseUrl}${path}`,
        headers,
        ...(text === undefined ? {} : { body: text }),
        invalid,
        authorised,
      };
    });
}

/** Claims a few READY applications afresh, so that downloads, completions and releases can succeed. */
async function freshClaims(): Promise<void> {
  const ready = sim
    .applications()
    .filter((a) => a.selfPrint && !a.pinRequired && a.regionCode === '3574' && !a.label.includes('rusak'))
    .slice(0, 6);
  for (const a of ready) {
    sim.setStatus(a.applicationNo, 'READY');
    const res = await fetch(`${sim.baseUrl}/applications/${a.applicationNo}/claims`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'x-kiosk-id': KIOSK,
        'idempotency-key': crypto.randomUUID(),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ kioskId: KIOSK }),
    });
    expect(res.status).toBe(201);
  }
}

/** Checks one answer against the contract; returns what breaks it, or undefined. */
async function breach(op: Operation, req: Request, res: Response): Promise<string | undefined> {
  const listed = responseFor(op, res.status);
  if (!listed) return `status ${res.status} is not listed`;
  if (req.authorised && req.invalid && res.status !== 400) return `an invalid request answered ${res.status}`;
  const type = res.headers.get('content-type')?.split(';')[0]?.trim();
  const bytes = new Uint8Array(await res.arrayBuffer());
  const media = Object.keys(listed.content);
  if (media.length === 0) return bytes.length === 0 ? undefined : `a ${res.status} carries a body`;
  if (!type || !media.includes(type)) return `content type ${type} is not one of ${media.join(', ')}`;
  if (type === 'application/pdf')
    return Buffer.from(bytes.slice(0, 5)).toString() === '%PDF-' ? undefined : 'not a PDF';
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return 'body is not JSON';
  }
  const problem = schemaAt(listed.content[type]!).check(json);
  if (problem) return `body: ${problem}`;
  collect(json);
  return undefined;
}

function collect(json: unknown): void {
  const b = json as Record<string, unknown>;
  if (typeof b?.pinProof === 'string') seen.pinProofs.push(b.pinProof);
  if (typeof b?.residentProof === 'string') seen.residentProofs.push(b.residentProof);
}

describe('the central API simulator keeps central-api.yaml', () => {
  it('lists every operation of the contract, 1.1 included', () => {
    expect(operations.map((o) => o.id)).toEqual(
      expect.arrayContaining([
        'POST /residents/{nik}/logins',
        'POST /kiosks/{kioskId}/handoffs',
        'POST /kiosks/{kioskId}/assistance-requests',
      ]),
    );
    expect(operations).toHaveLength(11);
  });

  for (const op of operations) {
    it(`${op.id}: every answer to generated requests, valid and broken, is one the contract lists`, async () => {
      const statuses = new Map<number, number>();
      await freshClaims();
      await fc.assert(
        fc.asyncProperty(requestOf(op), async (make) => {
          const req = make();
          const res = await fetch(req.url, {
            method: req.method,
            headers: req.headers,
            ...(req.body === undefined ? {} : { body: req.body }),
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const problem = await breach(op, req, res);
          if (problem) throw new Error(`${req.method} ${req.url} ${req.body ?? ''}: ${problem}`);
        }),
        // A fixed seed: the same requests every run, so whether they reach past the gate does not vary.
        { numRuns: RUNS, seed: 20261203 },
      );
      // The generators reach past the gate: a success and a refusal of the request itself.
      const codes = [...statuses.keys()];
      expect(
        codes.some((s) => s < 300),
        `${op.id} ${JSON.stringify([...statuses])}`,
      ).toBe(true);
      expect(codes).toContain(401);
      if (op.method === 'post') expect(codes).toContain(400);
    });
  }
});
