import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDb } from '../store/db.ts';
import { AuditLog } from './audit-log.ts';
import { type AuditVerifier, readAuditVerifier } from './signing-key.ts';
import type { AuditHead } from './types.ts';

/** What `verify-audit` checks against besides the chain itself. */
export interface VerifyAuditOptions {
  /** The kiosk's audit key file (private, or the public half): every signature is checked. */
  keyPath?: string;
  /** Heads the central API kept (`SEQ:HASH`), checked with those the kiosk recorded as acknowledged. */
  anchors?: AuditHead[];
}

/**
 * Verifies the audit trail in `dataDir/kiosk.db`, prints `OK <count> entries` (with what else was checked)
 * or `BROKEN at entry <n>: <reason>` (for a rewritten chain: where it diverges from the last anchored head),
 * and returns the exit code: 0 when the chain is intact, 1 when it is broken or there is no store, 2 for an
 * unreadable key.
 */
export function runVerifyAudit(
  dataDir: string,
  out: (line: string) => void = console.log,
  opts: VerifyAuditOptions = {},
): number {
  if (!existsSync(join(dataDir, 'kiosk.db'))) {
    out(`BROKEN: no kiosk.db in ${dataDir}`);
    return 1;
  }
  let verifier: AuditVerifier | undefined;
  if (opts.keyPath) {
    const v = readAuditVerifier(opts.keyPath);
    if (!v.ok) {
      out(`ERROR: ${v.error}`);
      return 2;
    }
    verifier = v.value;
  }
  const db = openDb(dataDir);
  try {
    const result = new AuditLog(db).verify({
      ...(verifier ? { verifier } : {}),
      ...(opts.anchors ? { anchors: opts.anchors } : {}),
    });
    if (result.ok) {
      const more = [
        result.fromSeq !== undefined
          ? `from entry ${result.fromSeq} (older ones pruned at a checkpoint)`
          : '',
        result.signed !== undefined ? `${result.signed} signed` : '',
        result.anchoredSeq !== undefined ? `anchored up to entry ${result.anchoredSeq}` : '',
      ].filter(Boolean);
      out(`OK ${result.count} entries${more.length ? `; ${more.join('; ')}` : ''}`);
      return 0;
    }
    out(`BROKEN at entry ${result.brokenAt}: ${result.reason}`);
    return 1;
  } finally {
    db.close();
  }
}

/** The value of `--name VALUE` or `--name=VALUE` (every one of them). */
function option(argv: readonly string[], name: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === name && argv[i + 1] !== undefined) found.push(argv[++i]!);
    else if (a.startsWith(`${name}=`)) found.push(a.slice(name.length + 1));
  }
  return found;
}

/** Reads `--data-dir DIR` (or `--data-dir=DIR`) from argv. */
export function parseDataDir(argv: string[]): string | undefined {
  return option(argv, '--data-dir')[0];
}

const USAGE = 'usage: verify-audit --data-dir DIR [--key AUDIT_KEY_FILE] [--anchor SEQ:HASH]...';

/**
 * `npm run kiosk -- verify-audit --data-dir DIR [--key FILE] [--anchor SEQ:HASH]`: the words after
 * `verify-audit`. Returns the exit code (2 for a usage error).
 */
export function runVerifyAuditCli(
  argv: readonly string[],
  out: (line: string) => void = console.log,
): number {
  const dataDir = option(argv, '--data-dir')[0];
  if (!dataDir) {
    out(USAGE);
    return 2;
  }
  const anchors: AuditHead[] = [];
  for (const a of option(argv, '--anchor')) {
    const m = /^(\d+):([0-9a-f]{64})$/.exec(a);
    if (!m) {
      out(`--anchor ${a}: SEQ:HASH (a sequence number and a 64-digit hex hash)\n${USAGE}`);
      return 2;
    }
    anchors.push({ seq: Number(m[1]), hash: m[2]! });
  }
  const keyPath = option(argv, '--key')[0];
  return runVerifyAudit(dataDir, out, { ...(keyPath ? { keyPath } : {}), anchors });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(runVerifyAuditCli(process.argv.slice(2)));
}
