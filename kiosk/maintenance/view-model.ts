import type { AuditEntry, AuditVerification } from '../audit/types.ts';
import type { Bilingual } from '../incidents/guides.ts';
import type { Incident } from '../incidents/incidents.ts';
import type { ReconciliationResult } from '../ledger/ledger.ts';
import type { LedgerEntry, LedgerTotals } from '../ledger/ledger-table.ts';
import type { MaintenanceExport, MaintenanceSection } from './intents.ts';
import type { DailyReport } from './report.ts';

export { MAINTENANCE_SECTIONS, type MaintenanceSection } from './intents.ts';

/** The maintenance screens (`data-screen` values). */
export const MAINTENANCE_SCREENS = [
  'maintenance-login',
  'maintenance-pin',
  'maintenance-home',
  'maintenance-checklist',
  'maintenance-devices',
  'maintenance-ledger',
  'maintenance-incidents',
  'maintenance-outbox',
  'maintenance-log',
  'maintenance-config',
  'maintenance-report',
] as const;
export type MaintenanceScreenName = (typeof MAINTENANCE_SCREENS)[number];

/** A one-line answer to the last action: a string key of `ui/maintenance/strings.ts` and its params. */
export interface MaintenanceNotice {
  kind: 'ok' | 'error';
  key: string;
  params?: Record<string, string | number>;
}

/** One fault seen on a device, for "recent faults". */
export interface RecentFault {
  at: number;
  device: 'card' | 'paper';
  state: string;
}

/** A pending outbox message as the technician sees it (no bodies). */
export interface OutboxSummary {
  id: string;
  kind: string;
  applicationNo?: string;
  attempts: number;
  createdAt: number;
  lastError?: string;
}

/** An incident with its guide filled in: what to read and do, in both languages. */
export interface IncidentView extends Incident {
  title: Bilingual;
  saw: Bilingual;
  steps: Bilingual[];
  /** Closes by itself once the kiosk sees the cause gone. */
  closesByItself: boolean;
}

/** One line of the reconciliation: a supply, its movements, what is left and what the printer says. */
export interface ReconciliationRow {
  item: 'cards' | 'paper' | 'ribbon';
  loaded?: number;
  /** Printed for applicants (test prints not included). */
  printed?: number;
  spoiled?: number;
  test?: number;
  /** Drawn back by a technician. */
  removed?: number;
  corrected?: number;
  left?: number;
  /** What the printer's own counters say (cards printed + spoiled since the baseline, ribbon panels left). */
  printerSays?: number;
  /** The ledger's figure minus the printer's: anything but 0 is highlighted. */
  difference?: number;
}

/** The reconciliation's figures, in the order the screen and the CSV show them. */
export const RECONCILIATION_COLUMNS = [
  'loaded',
  'printed',
  'spoiled',
  'test',
  'removed',
  'corrected',
  'left',
  'printerSays',
  'difference',
] as const satisfies ReadonlyArray<keyof ReconciliationRow>;

/** The morning checklist. */
export interface Checklist {
  /** Supplies against what the last 7 days say today will use. */
  supplies: Array<{
    item: 'cards' | 'paper' | 'ribbon';
    left?: number;
    expectedToday: number;
    enough: boolean;
  }>;
  headCleaning: { cardsSince: number; every: number; due: boolean };
  openIncidents: number;
  outboxPending: number;
  /** The kiosk's clock, shown in its time zone for the technician to compare with a watch. */
  clock: number;
  disk?: { freeBytes: number; floorBytes: number; ok: boolean };
  lastCompletedSession?: number;
}

interface Base {
  outOfService: boolean;
  /** An applicant called for staff and the call is still open. */
  assistance?: boolean;
  /** The IANA time zone every time on these screens is shown in. */
  timeZone: string;
  notice?: MaintenanceNotice;
  /** An action is running (test print, send now): buttons are disabled. */
  busy?: boolean;
}

interface LoggedIn extends Base {
  technicianId: string;
}

/** `view.maintenance`: what each maintenance screen renders, one variant per screen. */
export type MaintenanceView =
  /** Scan the technician badge (the hidden corner's prompt); no id can be typed. */
  | (Base & { screen: 'maintenance-login'; lockedUntil?: number; resumed?: boolean })
  | (Base & { screen: 'maintenance-pin'; pin: { technicianId: string; attemptsLeft?: number } })
  | (LoggedIn & {
      screen: 'maintenance-home';
      home: { openIncidents: number; pendingOutbox: number; cardsRemaining: number; sheetsRemaining: number };
    })
  | (LoggedIn & { screen: 'maintenance-checklist'; checklist: Checklist })
  | (LoggedIn & {
      screen: 'maintenance-devices';
      devices: {
        card?: {
          state: string;
          ribbonPanelsLeft?: number;
          counters?: { total: number; spoiled: number; sinceCleaning?: number; returned?: number };
          model?: string;
          serial?: string;
          firmware?: string;
        };
        paper?: { state: string; detail?: string };
        cardsRemaining: number;
        sheetsRemaining: number;
        recentFaults: RecentFault[];
      };
    })
  | (LoggedIn & {
      screen: 'maintenance-ledger';
      ledger: {
        cards: LedgerTotals;
        paper: LedgerTotals;
        rows: ReconciliationRow[];
        entries: LedgerEntry[];
        reconciliation?: ReconciliationResult;
        exported?: string;
      };
    })
  | (LoggedIn & {
      screen: 'maintenance-incidents';
      incidents: { open: IncidentView[]; closed: IncidentView[] };
    })
  | (LoggedIn & { screen: 'maintenance-outbox'; outbox: { pending: OutboxSummary[] } })
  | (LoggedIn & {
      screen: 'maintenance-log';
      log: { entries: AuditEntry[]; verification?: AuditVerification; exported?: string };
    })
  | (LoggedIn & { screen: 'maintenance-config'; config: unknown })
  | (LoggedIn & {
      screen: 'maintenance-report';
      report: { report: DailyReport; exported?: { what: MaintenanceExport; path: string } };
    });

/** The screen of a section. */
export function screenOfSection(section: MaintenanceSection): MaintenanceScreenName {
  return `maintenance-${section}`;
}
