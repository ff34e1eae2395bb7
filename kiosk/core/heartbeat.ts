import type { HeartbeatBody } from '../central-api/client.ts';
import { TIMINGS } from '../flow/timings.ts';
import { HEAD_CLEANING_EVERY } from '../maintenance/supplies.ts';
import type { KioskCoreDeps } from './deps.ts';
import type { DeviceSnapshot } from './devices.ts';

/** The kiosk's state as the heartbeat (and the metrics) name it. */
export type KioskState = HeartbeatBody['state'];

/** What the heartbeat reads of the rest of the core. */
export interface HeartbeatSource {
  state(): KioskState;
  snapshot(): DeviceSnapshot;
}

/** The heartbeat's `devices`: one state name per configured device. */
export function deviceStates(
  configured: Pick<KioskCoreDeps['devices'], 'cardPrinter' | 'paperPrinter' | 'scanners'>,
  d: DeviceSnapshot,
): Record<string, string> {
  const devices: Record<string, string> = {};
  if (configured.cardPrinter) devices.cardPrinter = d.card?.state ?? 'UNKNOWN';
  if (configured.paperPrinter) devices.paperPrinter = d.paper?.state ?? 'UNKNOWN';
  if (configured.scanners.length)
    devices.scanner = d.scanner.every((x) => x.state === 'READY') ? 'READY' : 'OFFLINE';
  // The heartbeat has no field for the data folder: a full disk is reported as its own entry (step 13).
  if (d.storage && !d.storage.ok)
    devices.storage = `STORAGE_${d.storage.reason.toUpperCase().replace('-', '_')}`;
  // Nor for the print head: from HEAD_CLEANING_EVERY cards it asks for cleaning (card-printer.md 1.1).
  if (configured.cardPrinter && (d.headCardsSinceCleaning ?? 0) >= HEAD_CLEANING_EVERY)
    devices.cardPrinterHead = 'CLEANING_DUE';
  return devices;
}

/**
 * The heartbeat: queued in the outbox every 60 s, and at once whenever the kiosk's state or a device's
 * state changes (never a stream of identical ones in between).
 */
export class Heartbeat {
  private lastKey = '';
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly deps: Pick<KioskCoreDeps, 'devices' | 'outbox' | 'clock' | 'softwareVersion' | 'audit'>,
    private readonly source: HeartbeatSource,
  ) {}

  start(): void {
    this.beat(true);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
  }

  /** Queues a heartbeat when forced (every 60 s) or when the kiosk's or a device's state changed. */
  beat(force: boolean): void {
    const d = this.source.snapshot();
    const devices = deviceStates(this.deps.devices, d);
    const state = this.source.state();
    const key = JSON.stringify([state, devices]);
    if (!force && key === this.lastKey) return;
    this.lastKey = key;
    const ribbon = d.card && 'ribbonPanelsLeft' in d.card ? d.card.ribbonPanelsLeft : undefined;
    this.deps.outbox.enqueue({
      kind: 'heartbeat',
      body: {
        at: new Date(this.deps.clock.now()).toISOString(),
        state,
        softwareVersion: this.deps.softwareVersion,
        devices,
        supplies: {
          ...(d.blankCards !== undefined ? { blankCards: d.blankCards } : {}),
          ...(ribbon !== undefined ? { ribbonPanelsLeft: ribbon } : {}),
          ...(d.paperSheets !== undefined ? { paperSheets: d.paperSheets } : {}),
        },
        outboxPending: this.deps.outbox.pendingCount(),
        ...this.auditHead(),
      },
    });
  }

  /** The audit chain's head, anchored by the central API once it acknowledged the heartbeat. */
  private auditHead(): { auditHead?: { seq: number; hash: string } } {
    try {
      const head = this.deps.audit?.head();
      return head ? { auditHead: { seq: head.seq, hash: head.hash } } : {};
    } catch {
      return {};
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.beat(true);
      this.schedule();
    }, TIMINGS.heartbeatMs);
  }
}
