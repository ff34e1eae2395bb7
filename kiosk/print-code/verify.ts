import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { err, ok, type Result } from '../../drivers/shared/result.ts';
import { APPLICATION_NO_PATTERN, SERVICE_PATTERN, type Service } from '../central-api/contract.ts';

/** A print code that passed every check of qr-code.md. */
export interface PrintCode {
  kind: 'print';
  applicationNo: string;
  service: Service;
  regionCode: string;
  iss?: string;
  jti?: string;
  exp: number;
}

/** A technician badge that passed every check. */
export interface TechnicianBadge {
  kind: 'technician';
  technicianId: string;
  regionCode: string;
  iss?: string;
  jti?: string;
  exp: number;
}

/** Why a code was refused: the `data-reason` the applicant sees. */
export type CodeRefusal = 'invalid-qr' | 'expired-qr' | 'wrong-region';

export interface IssuerKey {
  kid: string;
  /** base64url raw Ed25519 public key. */
  publicKey: string;
}

export interface VerifyOptions {
  kind: 'print' | 'technician';
  issuerKeys: IssuerKey[];
  regionCode: string;
  /** Milliseconds since the epoch. */
  now: number;
}

/** A code longer than this is refused before anything is parsed. */
export const MAX_CODE_LENGTH = 2048;
/** `iat` may be this far in the future (clock skew between issuer and kiosk). */
export const CLOCK_SKEW_SECONDS = 120;

const TYP = { print: 'adm-print+jwt', technician: 'adm-tech+jwt' } as const;
const SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PRINTABLE = /^[\x20-\x7e]*$/;
const keyCache = new Map<string, Promise<CryptoKey | Uint8Array | undefined>>();

/**
 * Checks a scanned code as qr-code.md says, in its order, before anything is sent to the central API.
 * Never throws: anything malformed is `invalid-qr`. The signature is checked by jose (Ed25519 only:
 * `alg` must be exactly EdDSA, so `none` and HS256 confusion are refused before jose sees the token).
 */
export async function verifyCode(
  token: string,
  opts: VerifyOptions & { kind: 'print' },
): Promise<Result<PrintCode, CodeRefusal>>;
export async function verifyCode(
  token: string,
  opts: VerifyOptions & { kind: 'technician' },
): Promise<Result<TechnicianBadge, CodeRefusal>>;
export async function verifyCode(
  token: string,
  opts: VerifyOptions,
): Promise<Result<PrintCode | TechnicianBadge, CodeRefusal>>;
export async function verifyCode(
  token: string,
  opts: VerifyOptions,
): Promise<Result<PrintCode | TechnicianBadge, CodeRefusal>> {
  try {
    return await check(token, opts);
  } catch {
    return err('invalid-qr');
  }
}

async function check(
  token: string,
  opts: VerifyOptions,
): Promise<Result<PrintCode | TechnicianBadge, CodeRefusal>> {
  // 1. size, characters, shape
  if (
    typeof token !== 'string' ||
    token.length > MAX_CODE_LENGTH ||
    !PRINTABLE.test(token) ||
    !SHAPE.test(token)
  ) {
    return err('invalid-qr');
  }
  // 2. algorithm
  const header = decodeProtectedHeader(token);
  if (header.alg !== 'EdDSA') return err('invalid-qr');
  // 3. key and signature
  const issuerKey = opts.issuerKeys.find((k) => k.kid === header.kid);
  if (!issuerKey) return err('invalid-qr');
  const key = await importKey(issuerKey);
  if (!key) return err('invalid-qr');
  let payloadBytes: Uint8Array;
  try {
    ({ payload: payloadBytes } = await compactVerify(token, key, { algorithms: ['EdDSA'] }));
  } catch {
    return err('invalid-qr');
  }
  // 4. type
  if (header.typ !== TYP[opts.kind]) return err('invalid-qr');
  const claims: unknown = JSON.parse(new TextDecoder().decode(payloadBytes));
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return err('invalid-qr');
  const c = claims as Record<string, unknown>;
  // 5. time
  if (!isInt(c.exp) || !isInt(c.iat)) return err('invalid-qr');
  const nowS = Math.floor(opts.now / 1000);
  if (c.exp <= nowS) return err('expired-qr');
  if (c.iat > nowS + CLOCK_SKEW_SECONDS) return err('invalid-qr');
  // 6. region
  if (typeof c.reg !== 'string' || !/^[0-9]{4}$/.test(c.reg)) return err('invalid-qr');
  if (c.reg !== opts.regionCode) return err('wrong-region');
  const carried = {
    ...(typeof c.iss === 'string' ? { iss: c.iss } : {}),
    ...(typeof c.jti === 'string' ? { jti: c.jti } : {}),
  };
  // 7. subject and service
  if (opts.kind === 'technician') {
    if (c.role !== 'technician' || typeof c.sub !== 'string' || c.sub.length === 0 || c.sub.length > 64) {
      return err('invalid-qr');
    }
    return ok({ kind: 'technician', technicianId: c.sub, regionCode: c.reg, exp: c.exp, ...carried });
  }
  if (typeof c.sub !== 'string' || !APPLICATION_NO_PATTERN.test(c.sub)) return err('invalid-qr');
  // qr-code.md rule 7 (1.1): any well-formed Service goes on to the lookup, known to this kiosk or not.
  if (typeof c.svc !== 'string' || !SERVICE_PATTERN.test(c.svc)) return err('invalid-qr');
  return ok({
    kind: 'print',
    applicationNo: c.sub,
    service: c.svc as Service,
    regionCode: c.reg,
    exp: c.exp,
    ...carried,
  });
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

function importKey(k: IssuerKey): Promise<CryptoKey | Uint8Array | undefined> {
  const id = `${k.kid}:${k.publicKey}`;
  let p = keyCache.get(id);
  if (!p) {
    const jwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: k.publicKey };
    p = importJWK(jwk, 'EdDSA').catch(() => undefined);
    keyCache.set(id, p);
  }
  return p;
}
