import type { InspectionEvent } from 'xstate';
import type { KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../../drivers/shared/clock.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { CentralApi } from '../central-api/client.ts';
import type { Incidents } from '../incidents/incidents.ts';
import type { Journal } from '../journal/journal.ts';
import type { SessionReferences } from '../journal/session-reference.ts';
import type { CardLedger } from '../ledger/ledger.ts';
import type { PaperLedger } from '../ledger/paper-ledger.ts';
import type { MaintenanceView } from '../maintenance/view-model.ts';
import type { KioskMetrics } from '../metrics/kiosk-metrics.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { StorageHealth } from '../store/storage-health.ts';
import type { Intent, View } from '../view.ts';
import type { AssistanceSender } from './assistance.ts';
import type { Devices } from './devices.ts';

/** What the kiosk core is built from (kiosk/app.ts wires it). */
export interface KioskCoreDeps {
  config: KioskConfig;
  clock: Clock;
  api: CentralApi;
  journal: Journal;
  outbox: Outbox;
  devices: Devices;
  /** Session references (`SessionReference`); without them a session has none. */
  references?: SessionReferences;
  ledger?: CardLedger;
  paperLedger?: PaperLedger;
  incidents?: Incidents;
  audit?: AuditLog;
  softwareVersion: string;
  /** Where log lines go; `fields.session` names the session reference a line belongs to. */
  log?: (line: string, fields?: { session?: string }) => void;
  /** Sessions that recovery at start could not decide yet (the card printer did not answer). */
  undecidedSessions?: number;
  /** Shorter `collect` / `done` pauses, for benchmarks that run hundreds of sessions back to back. */
  delays?: { collectMs?: number; doneMs?: number };
  /** The kiosk's Prometheus metrics (kiosk-runtime.md "Metrics"): what only the core knows goes here. */
  metrics?: KioskMetrics;
  /** Whether the data folder can take what a new session writes (free space, no refused writes). */
  storage?: () => StorageHealth;
  /** Sends an applicant's call for staff to the central API (through the outbox). */
  sendAssistance?: AssistanceSender;
  /** Sees every step of the flow machine (tests measure transition coverage with it). */
  inspect?: (event: InspectionEvent) => void;
}

/** A maintenance intent: the technician's menu speaks to the core through these only. */
export type MaintenanceIntent = Extract<Intent, { type: 'maintenance' }>;

/** What the core needs of the maintenance menu (kiosk/maintenance/controller.ts). */
export interface MaintenancePort {
  handle(intent: MaintenanceIntent): void | Promise<void>;
  view(): { maintenance: MaintenanceView } | undefined;
  setApplicantBusy(busy: boolean): void;
  onChange(listener: () => void): () => void;
}

/** The host-facing port (kiosk/hosts/core-port.ts) with the View type of this core. */
export type ViewListener = (view: View) => void;
