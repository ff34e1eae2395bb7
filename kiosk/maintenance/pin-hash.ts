import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { TECHNICIAN_PIN } from './intents.ts';

/** scrypt cost parameters for new hashes: N=2^14, r=8, p=1 (about 16 MiB and 50 ms per check). */
const SCRYPT_N = 16384;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Upper bound on N accepted from a stored hash, so a crafted config cannot make a check eat the machine. */
const MAX_N = 1 << 20;

function scryptAsync(
  pin: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
  len: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, len, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (e, key) =>
      e ? reject(e) : resolve(key),
    );
  });
}

/** Whether a PIN is one a technician may have: 6 to 12 digits. */
export function isTechnicianPin(pin: string): boolean {
  return TECHNICIAN_PIN.test(pin);
}

/**
 * Hashes a technician PIN for `technicians[].pinHash`: scrypt with a random salt, as a self-describing
 * string `scrypt$N=16384,r=8,p=1$<salt b64>$<hash b64>` so the parameters can be raised later. A PIN of
 * fewer than 6 digits is refused (RangeError); `allowShort` exists only for tests of old configs.
 */
export async function hashPin(pin: string, opts: { allowShort?: boolean } = {}): Promise<string> {
  if (!opts.allowShort && !isTechnicianPin(pin)) throw new RangeError('a technician PIN is 6 to 12 digits');
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES);
  return `scrypt$N=${SCRYPT_N},r=${SCRYPT_R},p=${SCRYPT_P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const FORMAT = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/**
 * Checks a PIN (6 to 12 digits) against a `hashPin` string in constant time. A malformed or unsupported hash never
 * matches (false), so a broken config locks the technician out rather than letting anyone in.
 */
export async function verifyPin(pin: string, pinHash: string): Promise<boolean> {
  const m = FORMAT.exec(pinHash);
  if (!m) return false;
  const n = Number(m[1]);
  const r = Number(m[2]);
  const p = Number(m[3]);
  if (n < 2 || n > MAX_N || (n & (n - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(m[4]!, 'base64');
  const expected = Buffer.from(m[5]!, 'base64');
  if (expected.length < 16 || expected.length > 64) return false;
  const key = await scryptAsync(pin, salt, n, r, p, expected.length);
  // A short PIN never opens maintenance, even against a hash made before PINs had 6 digits.
  return timingSafeEqual(key, expected) && isTechnicianPin(pin);
}
