import type {
  CardPrinter,
  CardPrinterStatus,
  CardRenderer,
  RenderedCard,
} from '../../drivers/card-printer/types.ts';
import type { PaperPrinter, PaperPrinterStatus } from '../../drivers/paper-printer/types.ts';
import type { Scanner } from '../../drivers/scanner/types.ts';
import type { Capabilities, MediumCapability } from '../flow/decide.ts';
import type { StorageHealth } from '../store/storage-health.ts';

/** The devices the core drives, each behind its interface; a device left out of the config is absent. */
export interface Devices {
  cardPrinter?: CardPrinter;
  paperPrinter?: PaperPrinter;
  scanners: Scanner[];
  renderCard?: CardRenderer;
  /** The technician's card test pattern. */
  renderTestPattern?: () => Promise<RenderedCard>;
  /** A PNG of an A4 document's first page for `confirm`; absent where no rasteriser is available. */
  renderPdfPreview?: (pdf: Uint8Array) => Promise<Uint8Array | undefined>;
}

/** The last known state of each device, refreshed by polling and by the drivers' own events. */
export interface DeviceSnapshot {
  card?: CardPrinterStatus;
  paper?: PaperPrinterStatus;
  scanner: Array<{ source: string; state: string }>;
  /** Blank cards the ledger says are in the feeder (undefined: not counted yet). */
  blankCards?: number;
  paperSheets?: number;
  /** The data folder's state; not ok: no new applicant (kiosk-runtime.md path step 13). */
  storage?: StorageHealth;
  /** (1.1) `Rco;cl`: cards since the print head was last cleaned, when the printer counts them. */
  headCardsSinceCleaning?: number;
}

/** What the kiosk can print right now (partial service), from the devices and supplies. */
export function capabilitiesOf(
  snapshot: DeviceSnapshot,
  configured: { card: boolean; a4: boolean },
  outOfService: boolean,
): Capabilities {
  // A data folder that cannot take a session's records: nobody new is served until it can.
  const closed = outOfService || snapshot.storage?.ok === false;
  const card: MediumCapability = !configured.card
    ? 'unsupported'
    : closed || !cardUsable(snapshot)
      ? 'out-of-supplies'
      : 'ok';
  const a4: MediumCapability = !configured.a4
    ? 'unsupported'
    : closed
      ? 'out-of-supplies'
      : snapshot.paper?.state === 'QUEUE_DISABLED'
        ? 'paused'
        : paperUsable(snapshot)
          ? 'ok'
          : 'out-of-supplies';
  return { CARD: card, A4: a4 };
}

function cardUsable(s: DeviceSnapshot): boolean {
  if (!s.card) return false;
  // COOLING is not a fault: the card waits a minute or two and prints (card-printer.md 1.1).
  if (s.card.state !== 'READY' && s.card.state !== 'PRINTING' && s.card.state !== 'COOLING') return false;
  if (s.card.ribbonPanelsLeft !== undefined && s.card.ribbonPanelsLeft <= 0) return false;
  // The ledger counts blank cards; the printer only senses an empty feeder.
  if (s.blankCards !== undefined && s.blankCards <= 0) return false;
  return true;
}

function paperUsable(s: DeviceSnapshot): boolean {
  if (!s.paper) return false;
  return s.paper.state === 'READY' || s.paper.state === 'PRINTING';
}
