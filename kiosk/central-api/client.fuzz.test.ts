import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../drivers/shared/result.ts';
import { readAnswer } from './answer.ts';
import { type ApiFailure, CentralApi, type PostOutcome } from './client.ts';
import {
  applicationSchema,
  type ContractSchema,
  claimSchema,
  completeAnswerSchema,
  pinProofSchema,
  releaseAnswerSchema,
} from './schemas.ts';

/** 100,000 inputs take seconds alone; room for a CI machine busy with every other test file. */
const FUZZ_TIMEOUT_MS = 180_000;

/** One answer of the fake network: a response, or fetch rejecting (with an Error or anything else). */
type Answer =
  | { kind: 'respond'; status: number; body: string | Uint8Array | null }
  | { kind: 'throw'; error: unknown };

const SHA = 'a'.repeat(64);
const VALID = {
  application: {
    applicationNo: '3574-KIA-2611-000123',
    service: 'KIA',
    status: 'READY',
    stage: 'TTE',
    regionCode: '3574',
    selfPrint: true,
    pinRequired: true,
    subject: { nik: '3574011203150001', name: 'ANINDYA PUTRI' },
    documents: [
      { documentId: 'doc-1', medium: 'CARD', template: 'KIA', sha256: SHA },
      { documentId: 'doc-2', medium: 'A4', pages: 2, sha256: SHA },
    ],
    updatedAt: '2026-06-01T08:00:00+07:00',
  },
  pinProof: { pinProof: 'proof-1', expiresAt: '2026-06-01T08:05:00Z' },
  claim: {
    claimId: 'claim-1',
    applicationNo: '3574-KIA-2611-000123',
    leaseExpiresAt: '2026-06-01T08:10:00Z',
  },
  complete: { applicationNo: '3574-KIA-2611-000123', status: 'PRINTED' },
  release: { applicationNo: '3574-KIA-2611-000123', status: 'READY' },
  error: { code: 'PIN_WRONG', message: 'wrong PIN', attemptsLeft: 2 },
} as const;

/** Every path into a value, the places a mutation can hit. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) out.push(...paths(x, [...at, i]));
  } else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    '',
    0,
    -1,
    1.5,
    1e308,
    true,
    [],
    {},
    'x'.repeat(201),
    'KTP',
    'PRINTED',
    'CARD',
    'A4',
    '2026-06-01',
    '2026-06-01T08:00:00',
    '357401120315000',
    'A'.repeat(64),
    'not base64!',
  ),
  fc.jsonValue({ maxDepth: 1 }),
);

const PATHS = new Map<unknown, (string | number)[][]>(
  Object.values(VALID).map((v) => [v, paths(v).filter((p) => p.length > 0)]),
);

/** A valid body with one field deleted or replaced. */
const mutatedBody = fc
  .record({
    base: fc.constantFrom(...Object.values(VALID)),
    pick: fc.nat(),
    del: fc.boolean(),
    value: hostile,
  })
  .map(({ base, pick, del, value }) => {
    const copy = structuredClone(base) as unknown as Record<string | number, unknown>;
    const all = PATHS.get(base) as (string | number)[][];
    const path = all[pick % all.length] as (string | number)[];
    let parent: Record<string | number, unknown> = copy;
    for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (del) delete parent[last];
    else parent[last] = value;
    return JSON.stringify(copy);
  });

const body: fc.Arbitrary<string | Uint8Array | null> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...Object.values(VALID)).map((v) => JSON.stringify(v)) },
  { weight: 6, arbitrary: mutatedBody },
  { weight: 3, arbitrary: fc.json({ maxDepth: 3 }) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...Object.values(VALID)), fc.nat()).map(([v, at]) => {
      const text = JSON.stringify(v);
      return text.slice(0, at % text.length);
    }),
  },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '"ok"', '{}', '\uFEFF{}', '{"code":""}', null) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 21, max: 300 }).map((n) =>
      JSON.stringify({
        ...VALID.application,
        documents: Array.from({ length: n }, (_, i) => ({
          ...VALID.application.documents[0],
          documentId: `d${i}`,
        })),
      }),
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `[${'0,'.repeat(n)}0]`) },
);

const STATUSES = [
  200, 201, 202, 204, 205, 206, 299, 300, 302, 304, 400, 401, 403, 404, 409, 410, 422, 429, 451, 500, 502,
  503, 504, 599,
];
const NULL_BODY = new Set([204, 205, 304]);

const answer: fc.Arbitrary<Answer> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('respond' as const),
      status: fc.constantFrom(...STATUSES),
      body,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('throw' as const),
      error: fc.constantFrom<unknown>(
        new TypeError('fetch failed'),
        new Error(''),
        undefined,
        null,
        'reset',
        42,
        {},
      ),
    }),
  },
);

const CALLS = [
  'getApplication',
  'verifyPin',
  'claim',
  'getDocument',
  'complete',
  'release',
  'heartbeat',
  'feedback',
] as const;
type Call = (typeof CALLS)[number];

function clientAnswering(answers: Answer[]): CentralApi {
  let i = 0;
  const fakeFetch = async (): Promise<Response> => {
    const a = answers[Math.min(i++, answers.length - 1)] as Answer;
    if (a.kind === 'throw') throw a.error;
    return new Response(NULL_BODY.has(a.status) ? null : (a.body as BodyInit | null), {
      status: a.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return new CentralApi({
    baseUrl: 'http://central.invalid/v1',
    token: 't',
    kioskId: 'ADM-3574-MPP-01',
    timeoutMs: 5000,
    fetch: fakeFetch as typeof fetch,
  });
}

function run(api: CentralApi, call: Call): Promise<Result<unknown, ApiFailure> | PostOutcome> {
  const key = 'k-1';
  switch (call) {
    case 'getApplication':
      return api.getApplication('3574-KIA-2611-000123');
    case 'verifyPin':
      return api.verifyPin('3574-KIA-2611-000123', '123456', key);
    case 'claim':
      return api.claim('3574-KIA-2611-000123', 'proof-1', key);
    case 'getDocument':
      return api.getDocument('doc-1', 'claim-1');
    case 'complete':
      return api.complete('claim-1', { printedAt: '2026-06-01T08:00:00Z', cardsPrinted: 1 }, key);
    case 'release':
      return api.release('claim-1', 'TIMEOUT', undefined, key);
    case 'heartbeat':
      return api.heartbeat(
        {
          at: '2026-06-01T08:00:00Z',
          state: 'IN_SERVICE',
          softwareVersion: '1',
          devices: {},
          supplies: {},
          outboxPending: 0,
        },
        key,
      );
    case 'feedback':
      return api.feedback({ kioskId: 'ADM-3574-MPP-01', rating: 4, at: '2026-06-01T08:00:00Z' }, key);
  }
}

const SCHEMA: Partial<Record<Call, ContractSchema<unknown>>> = {
  getApplication: applicationSchema,
  verifyPin: pinProofSchema,
  claim: claimSchema,
};

/** A failure with a known kind whose fields hold what they promise. */
function cleanFailure(f: ApiFailure, answers: Answer[]): boolean {
  switch (f.kind) {
    case 'refused':
      return (
        answers.some((a) => a.kind === 'respond' && a.status === f.status) &&
        f.status >= 300 &&
        f.status < 500 &&
        typeof f.code === 'string' &&
        f.code.length > 0 &&
        typeof f.message === 'string' &&
        (f.attemptsLeft === undefined || (Number.isInteger(f.attemptsLeft) && f.attemptsLeft >= 0))
      );
    case 'unavailable':
    case 'malformed':
      return typeof f.detail === 'string';
    default:
      return false;
  }
}

function clean(call: Call, r: Result<unknown, ApiFailure> | PostOutcome, answers: Answer[]): boolean {
  const answered2xx = answers.some((a) => a.kind === 'respond' && a.status >= 200 && a.status < 300);
  if ('ok' in r) {
    if (!r.ok) return cleanFailure(r.error, answers);
    if (!answered2xx) return false;
    if (call === 'getDocument') return r.value instanceof Uint8Array;
    return (SCHEMA[call] as ContractSchema<unknown>).safeParse(r.value).success;
  }
  if (r.kind === 'ack') return answered2xx && typeof r.status === 'number';
  return cleanFailure(r, answers);
}

const SCHEMAS = [
  applicationSchema,
  pinProofSchema,
  claimSchema,
  completeAnswerSchema,
  releaseAnswerSchema,
  undefined,
] as const;

describe('central API client fuzz', () => {
  it(
    'reads any answer as a schema-valid value or a failure of a known kind',
    async () => {
      const seen: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...STATUSES),
          body,
          fc.constantFrom(...SCHEMAS),
          async (status, b, schema) => {
            const res = new Response(NULL_BODY.has(status) ? null : (b as BodyInit | null), { status });
            let r: Result<unknown, ApiFailure>;
            try {
              r = await readAnswer(res, schema as ContractSchema<unknown> | undefined, 'GET x');
            } catch {
              return false;
            }
            const answers: Answer[] = [{ kind: 'respond', status, body: b }];
            const outcome = r.ok ? 'ok' : r.error.kind;
            seen[outcome] = (seen[outcome] ?? 0) + 1;
            if (!r.ok) return cleanFailure(r.error, answers);
            if (status < 200 || status > 299) return false;
            return schema ? schema.safeParse(r.value).success : r.value === undefined;
          },
        ),
        { numRuns: 100_000 },
      );
      // The generators reach every outcome, so the property above was tested on each of them.
      for (const outcome of ['ok', 'refused', 'unavailable', 'malformed']) {
        expect(seen[outcome] ?? 0).toBeGreaterThan(1000);
      }
    },
    FUZZ_TIMEOUT_MS,
  );

  // Through ky, the retry after `unavailable` and the fetch rejecting: each call costs about 0.2 ms
  // of ky's own work, so this runs fewer inputs than the answer reading above.
  it(
    'every client call resolves to a schema-valid answer or a failure of a known kind',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...CALLS),
          fc.array(answer, { minLength: 2, maxLength: 2 }),
          async (call, answers) => {
            let r: Result<unknown, ApiFailure> | PostOutcome;
            try {
              r = await run(clientAnswering(answers), call);
            } catch {
              return false;
            }
            return clean(call, r, answers);
          },
        ),
        { numRuns: 10_000 },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it('takes a valid answer as it is (sanity)', async () => {
    const ok = (b: unknown): Answer => ({ kind: 'respond', status: 200, body: JSON.stringify(b) });
    const api = clientAnswering([ok(VALID.application)]);
    expect(await api.getApplication('3574-KIA-2611-000123')).toEqual({ ok: true, value: VALID.application });
    expect(await clientAnswering([ok(VALID.claim)]).claim('x', undefined, 'k')).toEqual({
      ok: true,
      value: VALID.claim,
    });
    expect(
      await clientAnswering([{ kind: 'respond', status: 422, body: JSON.stringify(VALID.error) }]).verifyPin(
        'x',
        '1',
        'k',
      ),
    ).toEqual({ ok: false, error: { kind: 'refused', status: 422, ...VALID.error } });
  });
});
