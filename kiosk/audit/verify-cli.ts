import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDb } from '../store/db.ts';
import { AuditLog } from './audit-log.ts';

/**
 * Verifies the audit trail in `dataDir/kiosk.db`, prints `OK <count> entries` or `BROKEN at entry <n>: <reason>`,
 * and returns the exit code: 0 when the chain is intact, 1 when it is broken or there is no store.
 * `npm run kiosk -- verify-audit --data-dir DIR` calls this.
 */
export function runVerifyAudit(dataDir: string, out: (line: string) => void = console.log): number {
  if (!existsSync(join(dataDir, 'kiosk.db'))) {
    out(`BROKEN: no kiosk.db in ${dataDir}`);
    return 1;
  }
  const db = openDb(dataDir);
  try {
    const result = new AuditLog(db).verify();
    if (result.ok) {
      out(`OK ${result.count} entries`);
      return 0;
    }
    out(`BROKEN at entry ${result.brokenAt}: ${result.reason}`);
    return 1;
  } finally {
    db.close();
  }
}

/** Reads `--data-dir DIR` (or `--data-dir=DIR`) from argv. */
export function parseDataDir(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--data-dir') return argv[i + 1];
    if (a.startsWith('--data-dir=')) return a.slice('--data-dir='.length);
  }
  return undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dataDir = parseDataDir(process.argv.slice(2));
  if (!dataDir) {
    console.error('usage: tsx kiosk/audit/verify-cli.ts --data-dir DIR');
    process.exit(2);
  }
  process.exit(runVerifyAudit(dataDir));
}
