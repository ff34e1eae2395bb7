import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { err, ok, type Result } from '../../drivers/shared/result.ts';

/**
 * The per-kiosk key that signs every audit entry. Whoever can write the data folder can recompute a hash
 * chain, but not these signatures: the private key lives outside `dataDir` (readable by the kiosk's user
 * only), so a rewritten chain shows at its first rewritten entry.
 */
export interface AuditSigner {
  /** The first 16 hex digits of the SHA-256 of the raw public key, stored with each signature. */
  keyId: string;
  sign(hash: string): string;
}

/** What checks the signatures: the public half, from the key file or from provisioning records. */
export interface AuditVerifier {
  keyId: string;
  verify(hash: string, signature: string): boolean;
}

function keyIdOf(pub: KeyObject): string {
  const raw = pub.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** A verifier over a public key. */
export function auditVerifier(pub: KeyObject): AuditVerifier {
  return {
    keyId: keyIdOf(pub),
    verify: (hash, signature) => {
      try {
        return verify(null, Buffer.from(hash, 'utf8'), pub, Buffer.from(signature, 'base64url'));
      } catch {
        return false;
      }
    },
  };
}

/** A signer over a private Ed25519 key. */
export function auditSigner(priv: KeyObject): AuditSigner & { verifier: AuditVerifier } {
  const verifier = auditVerifier(createPublicKey(priv));
  return {
    keyId: verifier.keyId,
    sign: (hash) => sign(null, Buffer.from(hash, 'utf8'), priv).toString('base64url'),
    verifier,
  };
}

/** The key path when the config names none: `<dataDir>.keys/audit-ed25519.pem`, beside the data folder. */
export function defaultAuditKeyPath(dataDir: string): string {
  const d = resolve(dataDir);
  return join(dirname(d), `${basename(d)}.keys`, 'audit-ed25519.pem');
}

/** Whether `path` is `dir` or inside it. */
function inside(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Loads the kiosk's audit key from `keyPath`, or generates it there at provisioning or first start
 * (mode 0600 in a folder of mode 0700). Refused when the path is inside `dataDir`.
 */
export function loadOrCreateAuditKey(
  keyPath: string,
  dataDir: string,
): Result<AuditSigner & { verifier: AuditVerifier; created: boolean }, string> {
  if (inside(keyPath, dataDir))
    return err(`audit.keyPath must be outside dataDir (${keyPath} is inside ${dataDir})`);
  try {
    if (existsSync(keyPath)) {
      const priv = createPrivateKey(readFileSync(keyPath));
      if (priv.asymmetricKeyType !== 'ed25519') return err(`${keyPath} is not an Ed25519 private key`);
      return ok({ ...auditSigner(priv), created: false });
    }
    mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const tmp = `${keyPath}.tmp`;
    writeFileSync(tmp, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, keyPath);
    return ok({ ...auditSigner(privateKey), created: true });
  } catch (e) {
    return err(`audit key ${keyPath}: ${(e as Error).message}`);
  }
}

/** The verifier of a key file (private PEM, or a public SPKI PEM handed out at provisioning). */
export function readAuditVerifier(path: string): Result<AuditVerifier, string> {
  try {
    const pem = readFileSync(path);
    const pub = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
    return ok(auditVerifier(pub));
  } catch (e) {
    return err(`audit key ${path}: ${(e as Error).message}`);
  }
}
