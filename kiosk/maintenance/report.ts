import { AuditLog } from '../audit/audit-log.ts';
import type { SessionDetail } from '../audit/types.ts';
import { LedgerTable } from '../ledger/ledger-table.ts';
import type { Db } from '../store/db.ts';
import { csvLine } from './csv.ts';
import { DEFAULT_TIME_ZONE, dayIn, dayRange } from './time-zone.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One document type's line of the daily report. */
export interface ReportRow {
  /** The Service (KTP_EL, KK...), TEST for maintenance test prints, or UNKNOWN. */
  service: string;
  /** Sessions that printed everything (`partial` ones count here too, and under `partial`). */
  printed: number;
  partial: number;
  /** Refused sessions by reason (`expired-qr`, `not-ready`...). */
  refused: Record<string, number>;
  /** Sessions that ended with a device fault and nothing printed. */
  faults: number;
  cancelled: number;
  cardsUsed: number;
  cardsSpoiled: number;
  sheetsUsed: number;
  sheetsSpoiled: number;
}

/** The report of one day in the kiosk's time zone. */
export interface DailyReport {
  day: string;
  timeZone: string;
  /** ms since the epoch, the day's start and end in that zone. */
  from: number;
  until: number;
  rows: ReportRow[];
  /** Card and paper movements by technicians that day. */
  supplies: { cardsLoaded: number; cardsRemoved: number; sheetsLoaded: number; sheetsRemoved: number };
}

/** The WIB day (`YYYY-MM-DD`) a moment falls in (`dayIn` for the kiosk's own zone). */
export function jakartaDay(ms: number): string {
  return dayIn(ms, DEFAULT_TIME_ZONE);
}

function emptyRow(service: string): ReportRow {
  return {
    service,
    printed: 0,
    partial: 0,
    refused: {},
    faults: 0,
    cancelled: 0,
    cardsUsed: 0,
    cardsSpoiled: 0,
    sheetsUsed: 0,
    sheetsSpoiled: 0,
  };
}

/**
 * The daily report per document type: sessions printed, refused by reason, faults, cards and sheets
 * used and spoiled. Sessions come from the audit trail (`type: 'session'`), supplies from the ledger.
 */
export function dailyReport(db: Db, day: string, timeZone: string = DEFAULT_TIME_ZONE): DailyReport {
  if (!DAY.test(day)) throw new RangeError(`day must be YYYY-MM-DD: ${day}`);
  const { from, until } = dayRange(day, timeZone);
  const rows = new Map<string, ReportRow>();
  const row = (service: string | undefined) => {
    const key = service ?? 'UNKNOWN';
    let r = rows.get(key);
    if (!r) {
      r = emptyRow(key);
      rows.set(key, r);
    }
    return r;
  };

  for (const e of new AuditLog(db).entries({ since: from, until, type: 'session' })) {
    const d = (e.detail ?? {}) as SessionDetail;
    const r = row(d.service);
    switch (e.outcome) {
      case 'printed':
        r.printed++;
        break;
      case 'partial':
        r.printed++;
        r.partial++;
        break;
      case 'refused': {
        const reason = d.reason ?? 'unknown';
        r.refused[reason] = (r.refused[reason] ?? 0) + 1;
        break;
      }
      case 'fault':
        r.faults++;
        break;
      case 'cancelled':
      case 'timeout':
        r.cancelled++;
        break;
    }
  }

  const supplies = { cardsLoaded: 0, cardsRemoved: 0, sheetsLoaded: 0, sheetsRemoved: 0 };
  const table = new LedgerTable(db);
  for (const e of table.entries('card', { since: from, until })) {
    if (e.kind === 'printed') row(e.service).cardsUsed += e.count;
    else if (e.kind === 'spoiled') row(e.service).cardsSpoiled += e.count;
    else if (e.kind === 'loaded') supplies.cardsLoaded += e.count;
    else if (e.kind === 'removed') supplies.cardsRemoved += e.count;
  }
  for (const e of table.entries('paper', { since: from, until })) {
    if (e.kind === 'printed') row(e.service).sheetsUsed += e.count;
    else if (e.kind === 'spoiled') row(e.service).sheetsSpoiled += e.count;
    else if (e.kind === 'loaded') supplies.sheetsLoaded += e.count;
    else if (e.kind === 'removed') supplies.sheetsRemoved += e.count;
  }
  return {
    day,
    timeZone,
    from,
    until,
    rows: [...rows.values()].sort((a, b) => a.service.localeCompare(b.service)),
    supplies,
  };
}

const CSV_HEADER = [
  'day',
  'service',
  'printed',
  'partial',
  'refused_total',
  'refused_by_reason',
  'faults',
  'cancelled',
  'cards_used',
  'cards_spoiled',
  'sheets_used',
  'sheets_spoiled',
];

/** The report as CSV (one line per document type; refusals as `reason:count` pairs separated by spaces). */
export function reportCsv(report: DailyReport): string {
  const lines = [csvLine(CSV_HEADER)];
  for (const r of report.rows) {
    const refusedTotal = Object.values(r.refused).reduce((a, b) => a + b, 0);
    const byReason = Object.entries(r.refused)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}:${v}`)
      .join(' ');
    lines.push(
      csvLine([
        report.day,
        r.service,
        r.printed,
        r.partial,
        refusedTotal,
        byReason,
        r.faults,
        r.cancelled,
        r.cardsUsed,
        r.cardsSpoiled,
        r.sheetsUsed,
        r.sheetsSpoiled,
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
