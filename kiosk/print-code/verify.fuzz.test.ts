import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPLICATION_NO_PATTERN, SERVICE_PATTERN, SERVICES } from '../central-api/contract.ts';
import { readSimIssuerKey } from '../central-api/sim/mint.ts';
import { type CodeRefusal, MAX_CODE_LENGTH, type VerifyOptions, verifyCode } from './verify.ts';

/** 100,000 inputs take seconds alone; room for a CI machine busy with every other test file. */
const FUZZ_TIMEOUT_MS = 180_000;

const simKey = readSimIssuerKey();
const privateKey = createPrivateKey({ key: simKey.privateKeyJwk as never, format: 'jwk' });
const strangerKey = generateKeyPairSync('ed25519').privateKey;
const REGION = '3574';
const NOW = Date.parse('2026-06-01T08:00:00Z');
const NOW_S = Math.floor(NOW / 1000);
const REFUSALS: readonly CodeRefusal[] = ['invalid-qr', 'expired-qr', 'wrong-region'];
const TYP = { print: 'adm-print+jwt', technician: 'adm-tech+jwt' } as const;

const optsFor = (kind: 'print' | 'technician'): VerifyOptions => ({
  kind,
  issuerKeys: [{ kid: simKey.kid, publicKey: simKey.publicKey }],
  regionCode: REGION,
  now: NOW,
});

const b64u = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** A compact JWS over whatever header and payload text, signed by `key` (or carrying `signature`). */
function compact(header: string, payload: string, key: KeyObject | Uint8Array): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  const sig = key instanceof Uint8Array ? key : sign(null, Buffer.from(input), key);
  return `${input}.${b64u(sig)}`;
}

const validClaims = (kind: 'print' | 'technician', sub: string, svc: string) => ({
  iss: 'dukcapil',
  sub,
  ...(kind === 'print' ? { svc } : { role: 'technician' }),
  reg: REGION,
  iat: NOW_S - 60,
  exp: NOW_S + 3600,
  jti: 'f00d',
});

const applicationNo = fc
  .tuple(
    fc.constantFrom('3574', '1471'),
    fc.constantFrom('KIA', 'KTP', 'KK', 'AKL'),
    fc.nat(9999),
    fc.nat(999999),
  )
  .map(([r, s, y, n]) => `${r}-${s}-${String(y).padStart(4, '0')}-${String(n).padStart(6, '0')}`);

/** Claim values that are wrong in type, range or form. */
const hostileClaim: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1.5,
    2 ** 53,
    -(2 ** 53),
    1e308,
    '',
    '3574',
    '1471',
    '357',
    '35740',
    '٣٥٧٤',
    'KIA',
    'kia',
    'technician',
    NOW_S,
    NOW_S - 1,
    NOW_S + 1,
    NOW_S + 120,
    NOW_S + 121,
    String(NOW_S + 3600),
    [],
    {},
    'x'.repeat(65),
  ),
  fc.jsonValue({ maxDepth: 1 }),
);

const CLAIMS = ['iss', 'sub', 'svc', 'role', 'reg', 'iat', 'exp', 'jti', 'nbf', '__proto__'] as const;

/** Valid claims for `kind` (often untouched) with some removed, replaced or added. */
const claimsText = (kind: 'print' | 'technician') =>
  fc
    .record({
      sub: applicationNo,
      svc: fc.constantFrom(...SERVICES, 'KTP', 'AKTA', 'ktp_el', '', 'KTP-EL', 'X'.repeat(41)),
      edits: fc.oneof(
        { weight: 4, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 10 ** 9 }).map((ago) => [['exp', NOW_S - ago]]) },
        {
          weight: 1,
          arbitrary: fc
            .integer({ min: 0, max: 9999 })
            .filter((r) => r !== Number(REGION))
            .map((r) => [['reg', String(r).padStart(4, '0')]]),
        },
        {
          weight: 4,
          arbitrary: fc.array(fc.tuple(fc.constantFrom(...CLAIMS), fc.option(hostileClaim, { freq: 4 })), {
            minLength: 1,
            maxLength: 3,
          }),
        },
      ) as fc.Arbitrary<[string, unknown][]>,
      raw: fc.oneof(
        { weight: 12, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '',
            'null',
            '[]',
            '"claims"',
            '{',
            '{"exp":1e999,"iat":0}',
            '{"exp":-1e999}',
            `{"exp":${NOW_S + 60},"exp":"later"}`,
            '\u0000\uffff',
          ),
        },
        { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
      ),
    })
    .map(({ sub, svc, edits, raw }) => {
      if (raw !== undefined) return raw;
      const c: Record<string, unknown> = validClaims(kind, sub, svc);
      for (const [name, value] of edits) {
        if (value === null) delete c[name];
        else Object.defineProperty(c, name, { value, enumerable: true, writable: true, configurable: true });
      }
      return JSON.stringify(c);
    });

/** Mostly the right value, sometimes one of the wrong ones. */
const mostly = <T>(right: T, wrong: T[]) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(right) },
    { weight: 1, arbitrary: fc.constantFrom(...wrong) },
  );

const headerText = (kind: 'print' | 'technician') =>
  fc
    .record({
      alg: mostly<unknown>('EdDSA', ['none', 'HS256', 'ES256', 'RS256', 'eddsa', '', null, 7]),
      typ: mostly<unknown>(TYP[kind], [
        TYP[kind === 'print' ? 'technician' : 'print'],
        'JWT',
        '',
        undefined,
        1,
      ]),
      kid: mostly<unknown>(simKey.kid, ['other', '', undefined, [simKey.kid]]),
      extra: mostly<Record<string, unknown>>({}, [
        { crit: ['b64'], b64: false },
        { b64: false },
        { crit: ['exp'] },
        { jku: 'http://evil' },
        { jwk: { kty: 'OKP', crv: 'Ed25519', x: simKey.publicKey } },
      ]),
      raw: mostly<string | undefined>(undefined, ['', '{', '[]', 'null', '{"alg":"EdDSA"', '"EdDSA"']),
    })
    .map(({ alg, typ, kid, extra, raw }) => raw ?? JSON.stringify({ alg, typ, kid, ...extra }));

const KINDS = ['print', 'technician'] as const;

/** Tokens built from parts: signed by the issuer, by a stranger, or carrying a random signature. */
const craftedToken = fc
  .constantFrom(...KINDS)
  .chain((kind) =>
    fc
      .tuple(
        headerText(kind),
        claimsText(kind),
        fc.oneof(
          { weight: 8, arbitrary: fc.constant<KeyObject | Uint8Array>(privateKey) },
          { weight: 1, arbitrary: fc.constant<KeyObject | Uint8Array>(strangerKey) },
          { weight: 1, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 70 }) },
        ),
      )
      .map(([h, p, key]) => ({ token: compact(h, p, key), kind, issuerSigned: key === privateKey })),
  );

/** A valid token with a character flipped, segments swapped, cut, doubled or padded. */
const mutatedToken = fc
  .record({
    kind: fc.constantFrom('print', 'technician') as fc.Arbitrary<'print' | 'technician'>,
    pick: fc.nat(),
    op: fc.constantFrom('flip', 'swap', 'cut', 'double', 'pad', 'dots', 'space'),
    at: fc.nat(),
    ch: fc.constantFrom('A', '_', '-', '.', '=', '+', '/', ' ', '\u0000', 'é', '\n'),
  })
  .map(({ kind, pick, op, at, ch }) => ({
    token: mutate(kind, pick, op, at, ch),
    kind,
    issuerSigned: undefined,
  }));

/** Valid tokens signed once up front: mutating them needs no signing per run. */
const POOL = Object.fromEntries(
  KINDS.map((kind) => [
    kind,
    fc
      .sample(applicationNo, { numRuns: 32, seed: 8 })
      .map((sub) =>
        compact(
          JSON.stringify({ alg: 'EdDSA', typ: TYP[kind], kid: simKey.kid }),
          JSON.stringify(validClaims(kind, sub, 'KIA')),
          privateKey,
        ),
      ),
  ]),
) as Record<'print' | 'technician', string[]>;

function mutate(kind: 'print' | 'technician', pick: number, op: string, at: number, ch: string): string {
  const pool = POOL[kind];
  const t = pool[pick % pool.length] as string;
  const i = at % t.length;
  const [h, p, s] = t.split('.') as [string, string, string];
  switch (op) {
    case 'flip':
      return `${t.slice(0, i)}${ch}${t.slice(i + 1)}`;
    case 'swap':
      return [`${p}.${h}.${s}`, `${h}.${s}.${p}`, `${s}.${p}.${h}`][at % 3] as string;
    case 'cut':
      return t.slice(0, i);
    case 'double':
      return `${t}.${s}`;
    case 'pad':
      return `${t}${'A'.repeat(MAX_CODE_LENGTH - t.length + (at % 3))}`;
    case 'dots':
      return `${h}..${s}`;
    default:
      return ` ${t}`;
  }
}

const junk = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.stringMatching(/^[A-Za-z0-9_-]{0,30}$/), { minLength: 1, maxLength: 5 })
      .map((parts) => parts.join('.')),
  },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(MAX_CODE_LENGTH + 1), 'a.b.c', '..', '.', '') },
);

/** A token and the kind of code the kiosk expects (now and then the other kind). */
const anyToken = fc.tuple(
  fc.oneof(
    // Weighted so that about a quarter of the runs reach the signature check (the costly part).
    {
      weight: 10,
      arbitrary: junk.map((token) => ({ token, kind: 'print' as const, issuerSigned: undefined })),
    },
    { weight: 2, arbitrary: mutatedToken },
    { weight: 3, arbitrary: craftedToken },
  ),
  fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
);

/** A refusal, or an accepted code whose every field holds what the checks promise. */
function clean(r: Awaited<ReturnType<typeof verifyCode>>, kind: 'print' | 'technician'): boolean {
  if (!r.ok) return REFUSALS.includes(r.error);
  const v = r.value;
  const extras = Object.keys(v).filter(
    (k) =>
      !['kind', 'applicationNo', 'service', 'technicianId', 'regionCode', 'exp', 'iss', 'jti'].includes(k),
  );
  const carried =
    (v.iss === undefined || typeof v.iss === 'string') && (v.jti === undefined || typeof v.jti === 'string');
  const common =
    v.kind === kind &&
    v.regionCode === REGION &&
    Number.isSafeInteger(v.exp) &&
    v.exp > NOW_S &&
    carried &&
    extras.length === 0;
  if (!common) return false;
  if (v.kind === 'print') {
    return APPLICATION_NO_PATTERN.test(v.applicationNo) && SERVICE_PATTERN.test(v.service);
  }
  return typeof v.technicianId === 'string' && v.technicianId.length > 0 && v.technicianId.length <= 64;
}

const issuerSignatures = new Map<string, Buffer>();

/** The issuer's signature over a signing input (the mutated tokens share few inputs: cached). */
function issuerSignature(input: string): Buffer {
  let sig = issuerSignatures.get(input);
  if (!sig) {
    if (issuerSignatures.size > 10_000) issuerSignatures.clear();
    sig = sign(null, Buffer.from(input), privateKey);
    issuerSignatures.set(input, sig);
  }
  return sig;
}

/**
 * What must be refused whatever the claims say: not three segments, not EdDSA, not our key, not our
 * signature. `issuerSigned` is known for crafted tokens; for the others the signature is recomputed.
 */
function mustRefuse(token: string, issuerSigned: boolean | undefined): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || issuerSigned === false) return true;
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  } catch {
    return true;
  }
  if (!header || typeof header !== 'object') return true;
  const { alg, kid } = header as Record<string, unknown>;
  if (alg !== 'EdDSA' || kid !== simKey.kid) return true;
  if (issuerSigned) return false;
  // Compared as bytes: the last base64url character of a 64-byte signature carries two spare bits, so
  // a few spellings decode to the same signature, and those are the same signed code.
  return !issuerSignature(`${h}.${p}`).equals(Buffer.from(s, 'base64url'));
}

describe('print code verifier fuzz', () => {
  it(
    'never throws; accepts only well-formed codes, refuses with a known reason',
    async () => {
      const seen: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(anyToken, async ([{ token, kind: made, issuerSigned }, other]) => {
          const kind = other ? (made === 'print' ? 'technician' : 'print') : made;
          let r: Awaited<ReturnType<typeof verifyCode>>;
          try {
            r = await verifyCode(token, optsFor(kind));
          } catch {
            return false;
          }
          const outcome = r.ok ? 'ok' : r.error;
          seen[outcome] = (seen[outcome] ?? 0) + 1;
          if (!clean(r, kind)) return false;
          return !(r.ok && mustRefuse(token, issuerSigned));
        }),
        { numRuns: 100_000 },
      );
      // The generators reach every outcome, so the property above was tested on each of them.
      for (const outcome of ['ok', ...REFUSALS]) expect(seen[outcome] ?? 0).toBeGreaterThan(300);
    },
    FUZZ_TIMEOUT_MS,
  );

  it('always accepts a validly signed code for this region (sanity)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('print', 'technician') as fc.Arbitrary<'print' | 'technician'>,
        applicationNo,
        fc.constantFrom(...SERVICES),
        async (kind, sub, svc) => {
          const token = compact(
            JSON.stringify({ alg: 'EdDSA', typ: TYP[kind], kid: simKey.kid }),
            JSON.stringify(validClaims(kind, sub, svc)),
            privateKey,
          );
          const r = await verifyCode(token, optsFor(kind));
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          if (r.value.kind === 'print') expect(r.value).toMatchObject({ applicationNo: sub, service: svc });
          else expect(r.value).toMatchObject({ technicianId: sub });
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
