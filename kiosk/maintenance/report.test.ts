import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { AuditLog } from '../audit/audit-log.ts';
import type { SessionAuditEntry } from '../audit/types.ts';
import { CardLedger } from '../ledger/ledger.ts';
import { PaperLedger } from '../ledger/paper-ledger.ts';
import { openMemoryDb } from '../store/db.ts';
import { dailyReport, jakartaDay, reportCsv } from './report.ts';

describe('dailyReport', () => {
  it('counts sessions and supplies of one WIB day per document type', () => {
    const db = openMemoryDb();
    // 2026-11-22 00:30 WIB is 2026-11-21 17:30 UTC.
    const clock = new ManualClock(Date.parse('2026-11-21T17:30:00Z'));
    const audit = new AuditLog(db, clock);
    const cards = new CardLedger(db, { clock });
    const paper = new PaperLedger(db, { clock });
    expect(jakartaDay(clock.now())).toBe('2026-11-22');

    const session = (e: SessionAuditEntry) => audit.append(e);
    cards.load(50, 'T1');
    paper.load(200, 'T1');
    session({
      type: 'session',
      outcome: 'printed',
      applicationNo: 'A1',
      nik: '3574010101900001',
      detail: { service: 'KTP_EL' },
    });
    cards.printed('A1', 's1', { service: 'KTP_EL', counters: { total: 1, spoiled: 0 } });
    cards.spoiled('CARD_JAM', { service: 'KTP_EL', counters: { total: 1, spoiled: 1 } });
    session({ type: 'session', outcome: 'refused', detail: { service: 'KTP_EL', reason: 'expired-qr' } });
    session({ type: 'session', outcome: 'refused', detail: { service: 'KTP_EL', reason: 'expired-qr' } });
    session({ type: 'session', outcome: 'refused', detail: { service: 'KK', reason: 'not-ready' } });
    session({
      type: 'session',
      outcome: 'fault',
      applicationNo: 'A2',
      detail: { service: 'KK', reason: 'device-fault' },
    });
    paper.spoiled(2, 'MEDIA_JAM', { service: 'KK' });
    session({
      type: 'session',
      outcome: 'printed',
      applicationNo: 'A3',
      detail: { service: 'KK', sheets: 2 },
    });
    paper.printed(2, { service: 'KK' });
    // The next WIB day starts at 17:00 UTC: this one is not in the report.
    clock.advance(24 * 3_600_000);
    session({ type: 'session', outcome: 'printed', detail: { service: 'KTP_EL' } });

    const r = dailyReport(db, '2026-11-22');
    expect(r.rows).toEqual([
      {
        service: 'KK',
        printed: 1,
        partial: 0,
        refused: { 'not-ready': 1 },
        faults: 1,
        cancelled: 0,
        cardsUsed: 0,
        cardsSpoiled: 0,
        sheetsUsed: 2,
        sheetsSpoiled: 2,
      },
      {
        service: 'KTP_EL',
        printed: 1,
        partial: 0,
        refused: { 'expired-qr': 2 },
        faults: 0,
        cancelled: 0,
        cardsUsed: 1,
        cardsSpoiled: 1,
        sheetsUsed: 0,
        sheetsSpoiled: 0,
      },
    ]);
    expect(r.supplies).toEqual({ cardsLoaded: 50, cardsRemoved: 0, sheetsLoaded: 200, sheetsRemoved: 0 });

    expect(reportCsv(r).split('\r\n')).toEqual([
      'day,service,printed,partial,refused_total,refused_by_reason,faults,cancelled,cards_used,cards_spoiled,sheets_used,sheets_spoiled',
      '2026-11-22,KK,1,0,1,not-ready:1,1,0,0,0,2,2',
      '2026-11-22,KTP_EL,1,0,2,expired-qr:2,0,0,1,1,0,0',
      '',
    ]);
  });
});
