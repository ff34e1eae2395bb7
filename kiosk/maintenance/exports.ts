import { err, ok, type Result } from '../../drivers/shared/result.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Db } from '../store/db.ts';
import type { MaintenanceExport } from './intents.ts';
import { dailyReport, reportCsv } from './report.ts';
import { dayRange } from './time-zone.ts';
import { findUsbStick, logCsv, reconciliationCsv, reportPdf, writeToStick } from './usb-export.ts';
import type { ReconciliationRow } from './view-model.ts';

/**
 * Writes one export to the USB stick: the daily report (CSV or PDF), the reconciliation or the day's
 * session log (CSV), none with personal data. Answers the file's path, or `no-usb` when no stick is in.
 */
export async function exportFile(opts: {
  what: MaintenanceExport;
  day: string;
  db: Db;
  audit: AuditLog;
  kioskId: string;
  timeZone: string;
  usbMediaRoot: string;
  now: number;
  rows: () => ReconciliationRow[];
}): Promise<Result<string, 'no-usb' | 'export-failed'>> {
  const stick = findUsbStick(opts.usbMediaRoot);
  if (!stick) return err('no-usb');
  try {
    switch (opts.what) {
      case 'report-csv':
        return ok(
          writeToStick(
            stick,
            opts.kioskId,
            `report-${opts.day}.csv`,
            reportCsv(dailyReport(opts.db, opts.day, opts.timeZone)),
          ),
        );
      case 'report-pdf': {
        const pdf = await reportPdf(dailyReport(opts.db, opts.day, opts.timeZone), opts.kioskId, opts.now);
        return ok(writeToStick(stick, opts.kioskId, `report-${opts.day}.pdf`, pdf));
      }
      case 'reconciliation-csv':
        return ok(
          writeToStick(
            stick,
            opts.kioskId,
            `reconciliation-${opts.day}.csv`,
            reconciliationCsv(opts.rows(), opts.now, opts.timeZone),
          ),
        );
      case 'log-csv': {
        const { from, until } = dayRange(opts.day, opts.timeZone);
        const entries = opts.audit.entries({ since: from, until });
        return ok(writeToStick(stick, opts.kioskId, `log-${opts.day}.csv`, logCsv(entries, opts.timeZone)));
      }
    }
  } catch {
    return err('export-failed');
  }
}
