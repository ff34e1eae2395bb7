/**
 * Reed-Solomon decoding over GF(256) as QR codes use it (ISO/IEC 18004 annex A: the field's polynomial
 * x^8 + x^4 + x^3 + x^2 + 1, the generator's roots alpha^0 .. alpha^(n-k-1)), correcting errors and
 * erasures together: an erasure is a codeword the caller does not trust (its position is known, its
 * value is not), and costs half what an error costs, so a block with n - k check codewords is
 * corrected whenever 2 * errors + erasures <= n - k.
 */

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

function mul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!;
}

function div(a: number, b: number): number {
  if (b === 0) throw new Error('division by zero in GF(256)');
  return a === 0 ? 0 : EXP[LOG[a]! + 255 - LOG[b]!]!;
}

/** alpha^i, for any integer i. */
function pow(i: number): number {
  return EXP[((i % 255) + 255) % 255]!;
}

/** p(x) at x, coefficients lowest degree first. */
function evalLow(p: ArrayLike<number>, len: number, x: number): number {
  let y = 0;
  for (let i = len - 1; i >= 0; i--) y = mul(y, x) ^ p[i]!;
  return y;
}

/** The syndromes r(alpha^j), j = 0 .. checks - 1, of a block (first codeword the highest degree). */
function syndromes(block: ArrayLike<number>, checks: number): Uint8Array {
  const s = new Uint8Array(checks);
  for (let j = 0; j < checks; j++) {
    const x = pow(j);
    let y = 0;
    for (let i = 0; i < block.length; i++) y = mul(y, x) ^ block[i]!;
    s[j] = y;
  }
  return s;
}

/** What a decode did: how many of the erased positions and how many others it changed. */
export interface RsCorrection {
  /** Positions located as errors outside the erasures. */
  errors: number;
  erasures: number;
}

/**
 * Corrects `block` in place (n codewords, the last `checks` of them check codewords), treating the
 * positions in `erased` as erasures. Returns what it found, or undefined when the block is beyond
 * 2 * errors + erasures <= checks or the correction does not leave every syndrome zero (then
 * `block` is left as it was).
 *
 * Berlekamp-Massey started from the erasure locator (so it finds the errata locator of errors and
 * erasures together), the roots by a Chien search over the block's positions, the values by Forney.
 */
export function correctBlock(
  block: Uint8Array,
  checks: number,
  erased: readonly number[] = [],
): RsCorrection | undefined {
  const n = block.length;
  const s = erased.length;
  if (s > checks || n > 255) return undefined;
  const synd = syndromes(block, checks);
  if (synd.every((v) => v === 0)) return { errors: 0, erasures: s };
  // Position i (0 = first codeword) is the coefficient of x^(n-1-i): its locator is alpha^(n-1-i).
  const locator = (i: number) => pow(n - 1 - i);
  // The erasure locator Gamma(x) = prod (1 - X x), lowest degree first.
  let lambda = new Uint8Array(checks + 1);
  lambda[0] = 1;
  let degree = 0;
  for (const i of erased) {
    const x = locator(i);
    for (let d = degree + 1; d >= 1; d--) lambda[d] = lambda[d]! ^ mul(lambda[d - 1]!, x);
    degree += 1;
  }
  // Berlekamp-Massey from the erasures on (Blahut's form with erasures: L starts at s).
  let b = lambda.slice();
  let l = s;
  let m = 1;
  let bScale = 1;
  for (let k = s; k < checks; k++) {
    let delta = 0;
    for (let i = 0; i <= l; i++) delta ^= mul(lambda[i]!, synd[k - i] ?? 0);
    if (delta === 0) {
      m += 1;
      continue;
    }
    const factor = div(delta, bScale);
    const next = lambda.slice();
    for (let i = 0; i + m <= checks; i++) next[i + m] = next[i + m]! ^ mul(factor, b[i]!);
    if (2 * l <= k + s) {
      b = lambda;
      l = k + s + 1 - l;
      bScale = delta;
      m = 1;
    } else m += 1;
    lambda = next;
  }
  const errors = l - s;
  if (errors < 0 || 2 * errors + s > checks) return undefined;
  // Chien search over the block's positions only: a root elsewhere means the word is beyond repair.
  const positions: number[] = [];
  for (let i = 0; i < n; i++) if (evalLow(lambda, l + 1, div(1, locator(i))) === 0) positions.push(i);
  if (positions.length !== l) return undefined;
  // Omega(x) = S(x) Lambda(x) mod x^checks.
  const omega = new Uint8Array(checks);
  for (let i = 0; i < checks; i++) {
    let v = 0;
    for (let j = 0; j <= Math.min(i, l); j++) v ^= mul(lambda[j]!, synd[i - j]!);
    omega[i] = v;
  }
  // Lambda'(x): in characteristic 2 only the odd terms remain.
  const derivative = new Uint8Array(l + 1);
  for (let i = 1; i <= l; i += 2) derivative[i - 1] = lambda[i]!;
  const fixes: number[] = [];
  for (const i of positions) {
    const x = locator(i);
    const xInv = div(1, x);
    const den = evalLow(derivative, l, xInv);
    if (den === 0) return undefined;
    fixes.push(mul(x, div(evalLow(omega, checks, xInv), den)));
  }
  const before = block.slice();
  for (const [j, i] of positions.entries()) block[i] = block[i]! ^ fixes[j]!;
  if (!syndromes(block, checks).every((v) => v === 0)) {
    block.set(before);
    return undefined;
  }
  return { errors, erasures: s };
}

/**
 * An upper bound on the chance that a block decoded with `errors` errors and `erasures` erasures is
 * decoded to a wrong codeword when the word read is in fact beyond repair (anything, as far as the code
 * can tell): the share of the words of the n - erasures positions kept that lie within `errors` of some
 * codeword of the shortened code (256^(n - s - r) codewords of r = checks - erasures redundancy, each
 * with sum_j C(n - s, j) 255^j words within j <= errors of it), union-bounded. Reed-Solomon codes are
 * MDS, so this is also close to the exact share.
 */
export function miscorrectionBound(n: number, checks: number, errors: number, erasures: number): number {
  const kept = n - erasures;
  const redundancy = checks - erasures;
  let volume = 0;
  let binom = 1;
  for (let j = 0; j <= errors; j++) {
    volume += binom * 255 ** j;
    binom = (binom * (kept - j)) / (j + 1);
  }
  return volume / 256 ** redundancy;
}

/**
 * The largest chance, per block decode, that a word with more wrong codewords than the decode can repair
 * is turned into a wrong codeword and taken (`miscorrectionBound`). A read tries at most about a
 * thousand decodes (9 blocks of the print code, up to 20 erasure counts each, three rounds, two formats)
 * and a frame at most four reads, so a false read of a frame takes a chance under 5e-9 to begin with;
 * its text must then still parse to the letter (modes, counts, zero bits and pad codewords) and, for a
 * print code, carry a valid Ed25519 signature. Errors alone keep the whole correction (12 errors of a
 * print code's block: the bound is then 4e-17); each erasure spends a check codeword that no longer
 * guards, so the more erasures, the fewer errors: 10 with 4 erasures, 5 with 10, none past 19.
 */
export const MISCORRECTION_LIMIT = 1e-12;

/**
 * Decodes one block given how unreliable each codeword is (`unreliable`, larger is less sure): errors
 * only, then with its 1, 2, ... least reliable codewords erased, as long as a decode with that many
 * erasures can still be taken (`acceptable`). Returns the corrected block, or undefined.
 */
export function decodeSoft(block: Uint8Array, checks: number, unreliable: number[]): Uint8Array | undefined {
  const n = block.length;
  const byDoubt = unreliable.map((_, i) => i).sort((a, b) => unreliable[b]! - unreliable[a]!);
  for (let s = 0; s <= checks && acceptable(n, checks, 0, s); s++) {
    const trial = block.slice();
    const fix = correctBlock(trial, checks, byDoubt.slice(0, s));
    if (fix && acceptable(n, checks, fix.errors, s)) return trial;
  }
  return undefined;
}

/** Whether a decode with these errors and erasures is within `MISCORRECTION_LIMIT`. */
export function acceptable(n: number, checks: number, errors: number, erasures: number): boolean {
  return (
    2 * errors + erasures <= checks && miscorrectionBound(n, checks, errors, erasures) <= MISCORRECTION_LIMIT
  );
}

/** The check codewords of `data` for `checks` check codewords (the encoder, for tests). */
export function encodeBlock(data: ArrayLike<number>, checks: number): Uint8Array {
  // The generator prod (x - alpha^j), highest degree first.
  let gen = [1];
  for (let j = 0; j < checks; j++) {
    const next = new Array<number>(gen.length + 1).fill(0);
    for (let i = 0; i < gen.length; i++) {
      next[i] = next[i]! ^ gen[i]!;
      next[i + 1] = next[i + 1]! ^ mul(gen[i]!, pow(j));
    }
    gen = next;
  }
  const rem = new Uint8Array(data.length + checks);
  for (let i = 0; i < data.length; i++) rem[i] = data[i]!;
  for (let i = 0; i < data.length; i++) {
    const c = rem[i]!;
    if (c === 0) continue;
    for (let j = 1; j < gen.length; j++) rem[i + j] = rem[i + j]! ^ mul(gen[j]!, c);
  }
  const out = new Uint8Array(data.length + checks);
  out.set(Array.from(data));
  out.set(rem.subarray(data.length), data.length);
  return out;
}
