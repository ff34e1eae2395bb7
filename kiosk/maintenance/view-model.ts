import type { AuditEntry, AuditVerification } from '../audit/types.ts';
import type { Incident } from '../incidents/incidents.ts';
import type { ReconciliationResult } from '../ledger/ledger.ts';
import type { LedgerEntry, LedgerTotals } from '../ledger/ledger-table.ts';
import type { DailyReport } from './report.ts';

/** The maintenance screens (`data-screen` values). */
export const MAINTENANCE_SCREENS = [
  'maintenance-login',
  'maintenance-pin',
  'maintenance-home',
  'maintenance-devices',
  'maintenance-ledger',
  'maintenance-outbox',
  'maintenance-log',
  'maintenance-config',
  'maintenance-report',
] as const;
export type MaintenanceScreenName = (typeof MAINTENANCE_SCREENS)[number];

/** The sections a technician can open from the home menu (`navigate` with `to`). */
export const MAINTENANCE_SECTIONS = [
  'home',
  'devices',
  'ledger',
  'outbox',
  'log',
  'config',
  'report',
] as const;
export type MaintenanceSection = (typeof MAINTENANCE_SECTIONS)[number];

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

/** `view.maintenance`: what the maintenance screens render. Sections are present on their screen. */
export interface MaintenanceView {
  screen: MaintenanceScreenName;
  technicianId?: string;
  notice?: MaintenanceNotice;
  /** An action is running (test print, send now): buttons are disabled. */
  busy?: boolean;
  outOfService: boolean;
  pin?: { technicianId: string; attemptsLeft?: number };
  /** login / pin: the technician is locked out until then (ms since the epoch). */
  lockedUntil?: number;
  home?: { openIncidents: number; pendingOutbox: number; cardsRemaining: number; sheetsRemaining: number };
  devices?: {
    card?: {
      state: string;
      ribbonPanelsLeft?: number;
      counters?: { total: number; spoiled: number };
      model?: string;
      serial?: string;
      firmware?: string;
    };
    paper?: { state: string; detail?: string };
    cardsRemaining: number;
    sheetsRemaining: number;
    recentFaults: RecentFault[];
  };
  ledger?: {
    cards: LedgerTotals;
    paper: LedgerTotals;
    entries: LedgerEntry[];
    reconciliation?: ReconciliationResult;
  };
  outbox?: { pending: OutboxSummary[]; incidents: Incident[] };
  log?: { entries: AuditEntry[]; verification?: AuditVerification };
  config?: unknown;
  report?: { report: DailyReport; exportedPath?: string };
}
