import { redact } from '../audit/mask.ts';
import type { ReconciliationResult } from '../ledger/ledger.ts';
import type { OutboxItem } from '../outbox/outbox.ts';
import type { MaintenanceDeps } from './deps.ts';
import { incidentView } from './incident-view.ts';
import type { MaintenanceSection } from './intents.ts';
import { dailyReport } from './report.ts';
import { buildChecklist, freeBytes } from './supplies.ts';
import { dayIn } from './time-zone.ts';
import type { MaintenanceView, OutboxSummary, RecentFault, ReconciliationRow } from './view-model.ts';

const LOG_ENTRIES = 100;
const LEDGER_ENTRIES = 50;
const CLOSED_INCIDENTS = 20;

/** What a screen shows beyond the common fields (`home`, `checklist`, `ledger`...). */
export type Snapshot = Record<string, unknown>;

/** The devices screen's data. */
export type DevicesData = Extract<MaintenanceView, { screen: 'maintenance-devices' }>['devices'];

/** What reading a section needs besides the kiosk's parts. */
export interface SectionContext {
  deps: MaintenanceDeps;
  timeZone: string;
  reconciliation: ReconciliationResult | undefined;
  readDevices(): Promise<DevicesData>;
  rows(): ReconciliationRow[];
}

/** Reads what the current section shows. */
export async function readSection(section: MaintenanceSection, x: SectionContext): Promise<Snapshot> {
  const d = x.deps;
  const now = d.clock.now();
  switch (section) {
    case 'home':
      return {
        home: {
          openIncidents: d.incidents.open().length,
          pendingOutbox: d.outbox.pending().length,
          cardsRemaining: d.cardLedger.remaining(),
          sheetsRemaining: d.paperLedger.remaining(),
        },
      };
    case 'checklist': {
      const dev = await x.readDevices();
      const disk = freeBytes(d.dataDir);
      return {
        checklist: buildChecklist({
          db: d.db,
          audit: d.audit,
          now,
          ...(d.cardPrinter ? { cardsLeft: d.cardLedger.remaining() } : {}),
          ...(d.paperPrinter ? { sheetsLeft: d.paperLedger.remaining() } : {}),
          ...(dev.card?.ribbonPanelsLeft !== undefined
            ? { ribbonPanelsLeft: dev.card.ribbonPanelsLeft }
            : {}),
          ...(dev.card?.counters ? { cardCounterTotal: dev.card.counters.total } : {}),
          ...(dev.card?.counters?.sinceCleaning !== undefined
            ? { headCardsSinceCleaning: dev.card.counters.sinceCleaning }
            : {}),
          openIncidents: d.incidents.open().length,
          outboxPending: d.outbox.pending().length,
          ...(disk !== undefined ? { diskFreeBytes: disk } : {}),
        }),
      };
    }
    case 'devices':
      return { devices: await x.readDevices() };
    case 'ledger': {
      if (d.cardPrinter) await x.readDevices();
      return {
        ledger: {
          cards: d.cardLedger.totals(),
          paper: d.paperLedger.totals(),
          rows: x.rows(),
          entries: [
            ...d.cardLedger.entries({ limit: LEDGER_ENTRIES }),
            ...d.paperLedger.entries({ limit: LEDGER_ENTRIES }),
          ]
            .sort((a, b) => b.seq - a.seq)
            .slice(0, LEDGER_ENTRIES),
          ...(x.reconciliation ? { reconciliation: x.reconciliation } : {}),
        },
      };
    }
    case 'incidents':
      await x.readDevices();
      return {
        incidents: {
          open: d.incidents.open().map(incidentView),
          closed: d.incidents
            .recent(CLOSED_INCIDENTS * 2)
            .filter((i) => i.resolved)
            .slice(0, CLOSED_INCIDENTS)
            .map(incidentView),
        },
      };
    case 'outbox':
      return { outbox: { pending: d.outbox.pending().map(summarise) } };
    case 'log':
      return { log: { entries: d.audit.entries({ limit: LOG_ENTRIES }).reverse() } };
    case 'config':
      return { config: redact(d.config) };
    case 'report':
      return { report: { report: dailyReport(d.db, dayIn(now, x.timeZone), x.timeZone) } };
  }
}

/** Reads both printers (and lets their states open or close incidents). */
export async function readDevices(
  d: MaintenanceDeps,
  faults: readonly RecentFault[],
  recordFault: (device: 'card' | 'paper', state: string) => void,
): Promise<DevicesData> {
  const out: DevicesData = {
    cardsRemaining: d.cardLedger.remaining(),
    sheetsRemaining: d.paperLedger.remaining(),
    recentFaults: [],
  };
  if (d.cardPrinter) {
    const s = await d.cardPrinter.getStatus();
    if (s.state !== 'READY' && s.state !== 'PRINTING') recordFault('card', s.state);
    d.incidents.deviceState('card', s.state);
    out.card = {
      state: s.state,
      ...(s.ribbonPanelsLeft !== undefined ? { ribbonPanelsLeft: s.ribbonPanelsLeft } : {}),
    };
    const c = await d.cardPrinter.readCounters();
    if (c.ok) out.card.counters = c.value;
    const info = await d.cardPrinter.readInfo();
    if (info.ok) Object.assign(out.card, info.value);
  }
  if (d.paperPrinter) {
    const s = await d.paperPrinter.getStatus();
    if (s.state !== 'READY' && s.state !== 'PRINTING') recordFault('paper', s.state);
    d.incidents.deviceState('paper', s.state);
    out.paper = { state: s.state, ...('detail' in s && s.detail ? { detail: s.detail } : {}) };
  }
  out.recentFaults = [...faults];
  return out;
}

/** A pending outbox message without its body. */
function summarise(item: OutboxItem): OutboxSummary {
  const m = item.message;
  return {
    id: item.id,
    kind: m.kind,
    ...('applicationNo' in m ? { applicationNo: m.applicationNo } : {}),
    attempts: item.attempts,
    createdAt: item.createdAt,
    ...(item.lastError ? { lastError: item.lastError } : {}),
  };
}
