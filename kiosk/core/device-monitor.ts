import type { CardPrinterStatus } from '../../drivers/card-printer/types.ts';
import type { PaperPrinterStatus } from '../../drivers/paper-printer/types.ts';
import type { Capabilities } from '../flow/decide.ts';
import { TIMINGS } from '../flow/timings.ts';
import type { CardLedger } from '../ledger/ledger.ts';
import type { StorageHealth } from '../store/storage-health.ts';
import type { KioskCoreDeps } from './deps.ts';
import { capabilitiesOf, type DeviceSnapshot } from './devices.ts';

/** What the monitor asks of the rest of the core. */
export interface DeviceMonitorEvents {
  /** The snapshot was refreshed (availability, heartbeat and view follow). */
  refreshed(): void;
  /** A card is printing: the driver's own polling is enough, the wire stays free. */
  printing(): boolean;
  /** Settles the sessions whose card was undecided; returns those still undecided. */
  settleUndecided(): Promise<string[]>;
}

/**
 * Watches the devices: polls their states (and listens to their own events), keeps the last snapshot
 * with the supplies the ledger counts, and says what the kiosk can print right now. It also holds card
 * service while a card's fate is unknown, and settles such cards once the printer answers again.
 */
export class DeviceMonitor {
  private snap: DeviceSnapshot = { scanner: [] };
  private outOfService = false;
  private cardUndecided: boolean;
  private serial: string | undefined;
  private settling = false;
  private coolings = 0;
  /** `Rco;cl` as last read, and when (monotonic): read at start and then at most every HEAD_READ_MS. */
  private headCards: number | undefined;
  private headReadAt: number | undefined;
  /** The ledger's printed and spoiled cards when the head was last read: a card since, and it is read again. */
  private headReadCards: number | undefined;
  private timer: unknown;
  private stopped = false;
  private readonly unsubscribers: Array<() => void> = [];

  constructor(
    private readonly deps: Pick<
      KioskCoreDeps,
      'devices' | 'ledger' | 'clock' | 'undecidedSessions' | 'storage' | 'incidents' | 'log'
    >,
    private readonly events: DeviceMonitorEvents,
  ) {
    this.cardUndecided = (deps.undecidedSessions ?? 0) > 0;
  }

  /** Polls now, then every `devicePollMs`, and at once on any device's own status event. */
  async start(): Promise<void> {
    await this.poll();
    const { cardPrinter, scanners } = this.deps.devices;
    for (const scanner of scanners) this.unsubscribers.push(scanner.onStatus(() => this.pollSoon()));
    if (cardPrinter) this.unsubscribers.push(cardPrinter.onStatus(() => this.pollSoon()));
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribers) u();
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
  }

  snapshot(): DeviceSnapshot {
    return this.snap;
  }

  /** The card printer's serial number, once it answered. */
  cardPrinterSerial(): string | undefined {
    return this.serial;
  }

  setOutOfService(on: boolean): void {
    this.outOfService = on;
  }

  isOutOfService(): boolean {
    return this.outOfService;
  }

  /** The card printer refused a card while its head cooled down: counted for the heartbeat and metrics. */
  cooled(): void {
    this.coolings++;
    this.deps.log?.(`card printer: cooling (${this.coolings} since start)`);
  }

  /** How many times the card printer cooled down since the kiosk started. */
  coolingCount(): number {
    return this.coolings;
  }

  /** A card's fate stays unknown: no card prints until the printer answers and it is settled. */
  holdCards(): void {
    this.cardUndecided = true;
  }

  capabilities(): Capabilities {
    const { cardPrinter, paperPrinter } = this.deps.devices;
    const c = capabilitiesOf(this.snap, { card: !!cardPrinter, a4: !!paperPrinter }, this.outOfService);
    // A card printed meanwhile would move the counters and make the undecided card look printed.
    return this.cardUndecided && c.CARD === 'ok' ? { ...c, CARD: 'out-of-supplies' } : c;
  }

  canPrintAnything(): boolean {
    const c = this.capabilities();
    return c.CARD === 'ok' || c.A4 === 'ok';
  }

  /** Reads the devices again after one of them reported a change; a failed read is only logged. */
  pollSoon(): void {
    this.poll().catch((e: unknown) => this.deps.log?.(`devices: poll failed: ${(e as Error).message}`));
  }

  /** Reads every device now. */
  async poll(): Promise<void> {
    const { cardPrinter, paperPrinter, scanners } = this.deps.devices;
    const [card, paper] = await Promise.all([
      cardPrinter?.getStatus().catch((): CardPrinterStatus => ({ state: 'OFFLINE' })),
      paperPrinter?.getStatus().catch((): PaperPrinterStatus => ({ state: 'OFFLINE' })),
    ]);
    if (cardPrinter && !this.serial && card && card.state !== 'OFFLINE') {
      const info = await cardPrinter.readInfo().catch(() => undefined);
      if (info?.ok) this.serial = info.value.serial;
    }
    if (cardPrinter && card?.state === 'READY') await this.readHeadCards();
    // The kiosk may have stopped while the devices answered: its store is closed then.
    if (this.stopped) return;
    const ledger = this.deps.ledger;
    const storage = this.deps.storage?.();
    if (storage) this.storageIncident(storage);
    const paperSheets = paper && 'paperSheets' in paper ? paper.paperSheets : undefined;
    this.snap = {
      ...(card ? { card } : {}),
      ...(paper ? { paper } : {}),
      scanner: scanners.map((sc) => ({ source: sc.source, state: sc.getStatus().state })),
      // The ledger's count governs once a load was recorded; before that only the feeder sensor can tell.
      ...(ledger && cardPrinter && ledgerCounts(ledger) ? { blankCards: ledger.remaining() } : {}),
      ...(paperSheets !== undefined ? { paperSheets } : {}),
      ...(storage ? { storage } : {}),
      ...(this.headCards !== undefined ? { headCardsSinceCleaning: this.headCards } : {}),
    };
    if (this.stopped) return;
    this.deviceIncidents();
    if (this.cardUndecided) await this.settleUndecided();
    this.events.refreshed();
  }

  /**
   * Device and disk incidents follow what was just read: a fault opens its incident once and closes it
   * by itself when the device is back; the data folder below its floor (or refusing writes) likewise.
   */
  private storageIncident(storage: StorageHealth): void {
    const was = this.snap.storage?.ok;
    try {
      if (!storage.ok && was !== false) {
        this.deps.log?.(`storage: ${storage.reason}; no new applicant until the data folder can be written`);
        this.deps.incidents?.recordOnce({
          kind: 'disk-low',
          detail: {
            reason: storage.reason,
            ...('freeBytes' in storage ? { freeBytes: storage.freeBytes } : {}),
          },
        });
      } else if (storage.ok && was === false) {
        this.deps.incidents?.causeGone('disk-space', `${storage.freeBytes} bytes free`);
      }
    } catch {
      // The incident itself cannot be written on a full disk: the heartbeat and the log still say it.
    }
  }

  /** A device fault opens its incident once; the device back to READY or PRINTING closes it by itself. */
  private deviceIncidents(): void {
    try {
      if (this.snap.card) this.deps.incidents?.deviceState('card', this.snap.card.state);
      if (this.snap.paper) this.deps.incidents?.deviceState('paper', this.snap.paper.state);
    } catch {
      // A full disk: the device states still go out with the heartbeat.
    }
  }

  /**
   * `Rco;cl` from an idle card printer: after each card the ledger booked, else at most every
   * HEAD_READ_MS (the heartbeat warns from HEAD_CLEANING_EVERY). A printer older than 1.1 has no such counter: nothing is kept.
   */
  private async readHeadCards(): Promise<void> {
    const now = this.deps.clock.monotonic();
    const t = this.deps.ledger?.totals();
    const cards = t ? t.printed + t.spoiled : undefined;
    const fresh = this.headReadAt !== undefined && now - this.headReadAt < HEAD_READ_MS;
    if (fresh && cards === this.headReadCards) return;
    this.headReadAt = now;
    this.headReadCards = cards;
    const r = await this.deps.devices.cardPrinter?.readCounters().catch(() => undefined);
    if (r?.ok && r.value.sinceCleaning !== undefined) this.headCards = r.value.sinceCleaning;
  }

  /** Once the card printer answers and is idle, settles the sessions whose card was undecided. */
  private async settleUndecided(): Promise<void> {
    const card = this.snap.card;
    if (this.settling || !card || card.state === 'OFFLINE' || card.state === 'PRINTING') return;
    this.settling = true;
    try {
      this.cardUndecided = (await this.events.settleUndecided()).length > 0;
    } finally {
      this.settling = false;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      void (this.events.printing() ? Promise.resolve() : this.poll())
        .catch((e: unknown) => this.deps.log?.(`devices: poll failed: ${(e as Error).message}`))
        .finally(() => this.schedule());
    }, TIMINGS.devicePollMs);
  }
}

/** How often an idle card printer's head counter is read: a few cards' worth of printing. */
export const HEAD_READ_MS = 60_000;

/** Whether the blank-card ledger has a stock to count from (a load, removal or correction recorded). */
export function ledgerCounts(ledger: CardLedger): boolean {
  const t = ledger.totals();
  return t.loaded > 0 || t.removed > 0 || t.corrected !== 0;
}
