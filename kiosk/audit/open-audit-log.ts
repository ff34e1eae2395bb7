import { AUDIT_RETENTION_DAYS, type KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../../drivers/shared/clock.ts';
import type { Db } from '../store/db.ts';
import { AuditLog } from './audit-log.ts';
import { defaultAuditKeyPath, loadOrCreateAuditKey } from './signing-key.ts';

/**
 * The kiosk's audit trail as it runs: signed with the per-kiosk key from `audit.keyPath` (generated there
 * at first start, never inside `dataDir`), entries older than `audit.retentionDays` (default five years)
 * pruned behind a checkpoint. Throws when the key cannot be had: a kiosk must not run with an unsigned trail.
 */
export function openAuditLog(
  db: Db,
  clock: Clock,
  config: Pick<KioskConfig, 'dataDir' | 'audit'>,
  log: (line: string) => void = () => undefined,
): AuditLog {
  const keyPath = config.audit?.keyPath ?? defaultAuditKeyPath(config.dataDir);
  const key = loadOrCreateAuditKey(keyPath, config.dataDir);
  if (!key.ok) throw new Error(key.error);
  if (key.value.created) log(`audit: generated this kiosk's signing key at ${keyPath}`);
  const audit = new AuditLog(db, clock, { signer: key.value });
  const pruned = audit.prune(config.audit?.retentionDays ?? AUDIT_RETENTION_DAYS);
  if (pruned > 0) log(`audit: pruned ${pruned} entries older than the retention, checkpoint kept`);
  return audit;
}
