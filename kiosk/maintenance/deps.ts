import type { CardPrinter, CardPrintOutcome } from '../../drivers/card-printer/types.ts';
import type { PaperJob, PaperJobFailure, PaperPrinter } from '../../drivers/paper-printer/types.ts';
import type { Clock } from '../../drivers/shared/clock.ts';
import type { Result } from '../../drivers/shared/result.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Incidents } from '../incidents/incidents.ts';
import type { CardLedger } from '../ledger/ledger.ts';
import type { PaperLedger } from '../ledger/paper-ledger.ts';
import type { OutboxItem } from '../outbox/outbox.ts';
import type { Db } from '../store/db.ts';
import type { TechnicianAuth } from './auth.ts';

/** What the maintenance controller needs from the rest of the kiosk. */
export interface MaintenanceDeps {
  clock: Clock;
  db: Db;
  dataDir: string;
  kioskId: string;
  auth: TechnicianAuth;
  /** Checks a scanned `adm-tech+jwt` badge (verifyCode with kind 'technician', this kiosk's keys and region). */
  verifyBadge(token: string): Promise<Result<{ technicianId: string }, string>>;
  cardPrinter?: CardPrinter;
  paperPrinter?: PaperPrinter;
  /** Prints the card test pattern; defaults to `cardTestPattern()` on `cardPrinter`. */
  testPrintCard?(): Promise<CardPrintOutcome>;
  /** Prints the A4 test page; defaults to `a4TestPage()` on `paperPrinter`. */
  testPrintA4?(): Promise<Result<PaperJob, PaperJobFailure>>;
  /** The outbox: pending messages and "send now" (`outbox.flush(true)`). */
  outbox: { pending(): OutboxItem[]; sendNow(): Promise<void> };
  incidents: Incidents;
  cardLedger: CardLedger;
  paperLedger: PaperLedger;
  audit: AuditLog;
  /** The kiosk's config; shown with secrets (token, pinHash, private keys) hidden. */
  config: unknown;
  /** The config's `timeZone` (default: the config's own key, else Asia/Jakarta). */
  timeZone?: string;
  /** The config's `usbMediaRoot` (default: the config's own key, else /media). */
  usbMediaRoot?: string;
  isOutOfService(): boolean;
  setOutOfService(on: boolean): void;
  /** An applicant's call for staff is open (central-api.yaml assistance-requests). */
  assistanceOpen?(): boolean;
  /** Closes the open call for staff: the technician is with the applicant. */
  clearAssistance?(): void;
  restart(): void | Promise<void>;
}
