/** A NIK: 16 digits (6 region digits, 6 birth-date digits, 4 serial digits). */
const NIK = /^\d{16}$/;
const MASKED_NIK = /^\d{6}\*{6}\d{4}$/;
/** A NIK standing anywhere in free text (a message, a URL). */
const NIK_IN_TEXT = /(?<!\d)(\d{6})\d{6}(\d{4})(?!\d)/g;
/** A compact JWS (print code, badge, bearer token) standing anywhere in free text. */
const JWS_IN_TEXT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** What a secret field is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Masks a NIK to its first 6 and last 4 digits (`357401******0001`), as shown to the applicant and kept
 * in logs. Anything that is not a 16-digit NIK is masked whole, so no digits leak from a malformed one.
 */
export function maskNik(nik: string): string {
  const s = nik.trim();
  if (MASKED_NIK.test(s)) return s;
  if (NIK.test(s)) return `${s.slice(0, 6)}******${s.slice(12)}`;
  return '*'.repeat(Math.min(s.length, 16));
}

/** Field names (case-insensitive, any depth) whose value never goes into a log or onto a screen. */
const SECRET_KEYS = new Set([
  'pin',
  'pinproof',
  'pinhash',
  'token',
  'accesstoken',
  'authorization',
  'password',
  'secret',
  'privatekey',
  'photo',
  'signature',
  'printcode',
]);

function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_-]/g, '');
  return SECRET_KEYS.has(k) || k.endsWith('token') || k.endsWith('secret') || k.endsWith('privatekey');
}

function redactText(s: string): string {
  return s.replace(JWS_IN_TEXT, REDACTED).replace(NIK_IN_TEXT, '$1******$2');
}

/**
 * A copy of `value` fit for a log or a technician's screen: `nik` fields masked, secret fields (pin,
 * pinProof, pinHash, token, photo, signature, private keys, print codes) replaced by `[redacted]`, and
 * NIKs or JWS tokens that slipped into free text masked too. Cycles and exotic objects are cut short.
 */
export function redact<T>(value: T): T {
  return redactValue(value, 0, new WeakSet()) as T;
}

const MAX_DEPTH = 12;

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || seen.has(value)) return REDACTED;
  seen.add(value);
  if (value instanceof Uint8Array) return REDACTED;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.toLowerCase() === 'nik' || k.toLowerCase() === 'niks') {
      out[k] =
        typeof v === 'string' ? maskNik(v) : Array.isArray(v) ? v.map((x) => maskNik(String(x))) : REDACTED;
    } else if (isSecretKey(k)) {
      out[k] = v === undefined || v === null ? v : REDACTED;
    } else {
      out[k] = redactValue(v, depth + 1, seen);
    }
  }
  return out;
}
