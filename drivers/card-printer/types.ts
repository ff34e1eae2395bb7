import type { Result } from '../shared/result.ts';

/** The printer states of card-printer.md, plus OFFLINE, which the driver concludes from silence. */
export type CardPrinterState =
  | 'READY'
  | 'PRINTING'
  | 'COVER_OPEN'
  | 'FEEDER_EMPTY'
  | 'RIBBON_ENDED'
  | 'NO_RIBBON'
  | 'CARD_JAM'
  | 'HOPPER_FULL'
  | 'MECHANICAL_ERROR'
  /** (1.1) The head is too hot after many cards in a row: not a fault, it goes READY by itself. */
  | 'COOLING'
  | 'OFFLINE';

/**
 * The fault states: the printer cannot print until the cause is removed. COOLING is not one: it ends by
 * itself, and a card it refused may be sent again (card-printer.md 1.1).
 */
export type CardPrinterFault = Exclude<CardPrinterState, 'READY' | 'PRINTING' | 'COOLING'>;

/** What the kiosk knows of the card printer at one moment. `getStatus()` never throws. */
export type CardPrinterStatus =
  | { state: 'READY'; ribbonPanelsLeft: number }
  | { state: 'PRINTING'; ribbonPanelsLeft?: number }
  | { state: 'COOLING'; ribbonPanelsLeft?: number }
  | { state: CardPrinterFault; ribbonPanelsLeft?: number };

/**
 * The printer's counters. `total` and `spoiled` (`Rco;tc`, `Rco;sc`) decide every card's fate and are
 * what `printCard` reads before and after. `readCounters()` also reads the 1.1 counters; they are
 * optional so that a printer (or a test double) without them still fits.
 */
export interface CardCounters {
  /** Cards that came out printed, ever (on a bezel printer: that reached the bezel). */
  total: number;
  /** Cards fed and then rejected (jam, mechanical error, reset), ever. */
  spoiled: number;
  /** (1.1) `Rco;cl`: cards printed since a technician last cleaned the print head. */
  sinceCleaning?: number;
  /** (1.1) `Rco;rt`: printed cards drawn back from the exit bezel into the reject box, ever (0 without a bezel). */
  returned?: number;
}

/** (1.1) What sits in the exit bezel: nothing, or a printed card waiting to be taken. */
export type BezelState = 'EMPTY' | 'CARD';

/** (1.1) Why the bezel could not be read or emptied: the printer has none, or the printer's fault. */
export type BezelFailure = 'NO_BEZEL' | CardPrinterFault;

export interface CardPrinterInfo {
  model: string;
  serial: string;
  firmware: string;
}

/**
 * The five panels of a card front, sized as card-printer.md fixes them: `y`, `m`, `c` one byte a dot
 * (1016 x 648 = 658,368 bytes), `k` and `o` one bit a dot, MSB first (127 x 648 = 82,296 bytes).
 */
export interface CardPanels {
  y: Uint8Array;
  m: Uint8Array;
  c: Uint8Array;
  k: Uint8Array;
  o: Uint8Array;
}

/** Where a print sequence is, for progress and for the journal (each step is journaled before the next). */
export type CardPrintStep = 'sequence-started' | 'panels-sent' | 'card-fed' | 'card-ejected';

/** What became of a card, decided from the counters before and after. */
export type CardPrintOutcome =
  /** Rco;tc went up by one: the card came out printed. */
  | { kind: 'printed'; before: CardCounters; after: CardCounters }
  /** Rco;sc went up: a card was fed and spoiled. */
  | { kind: 'spoiled'; before: CardCounters; after: CardCounters; fault: CardPrinterFault }
  /** No card moved (refused before feeding: cover open, feeder empty...). */
  | { kind: 'not-fed'; before: CardCounters; after: CardCounters | undefined; fault: CardPrinterFault }
  /**
   * The printer stopped answering (OFFLINE, or garbage) once the card may have been fed, or before
   * even the counters could be read (`before` undefined: then nothing was sent). What became of the
   * card is decided later, when the printer is back, by reading the counters against `before`.
   */
  | { kind: 'unknown'; before: CardCounters | undefined; fault: CardPrinterFault }
  /**
   * (1.1) The printer is COOLING (found so before sending, or `ERR COOLING` to the sequence): no card
   * was fed, no counter moved. Not a fault (`fault` only names the refusal, as on the others): send the same card again once `getStatus()` is READY.
   */
  | { kind: 'cooling'; before: CardCounters; after: CardCounters | undefined; fault: 'COOLING' }
  /**
   * (1.1) A printed card still waits in the exit bezel (`Rbz` CARD, or `ERR BUSY` to `Ss`/`Se`): no card
   * was fed. Wait for it to be taken or draw it back (`drawBackCard`), then send again.
   */
  | { kind: 'card-waiting'; before: CardCounters; after: CardCounters | undefined; fault: 'CARD_WAITING' };

/** The card printer as the kiosk uses it. One command at a time on the wire, whatever the callers do. */
export interface CardPrinter {
  /** Current state; OFFLINE when the printer does not answer. Never throws. */
  getStatus(): Promise<CardPrinterStatus>;
  /** Reads the counters: `Rco;tc`, `Rco;sc` and, where the printer has them, (1.1) `Rco;cl`, `Rco;rt`. */
  readCounters(): Promise<Result<CardCounters, CardPrinterFault>>;
  /** Model, serial and firmware, read once the printer answers. */
  readInfo(): Promise<Result<CardPrinterInfo, CardPrinterFault>>;
  /**
   * Prints one card front: reads the counters, sends the whole sequence, polls until the printer is
   * READY again or faulted, reads the counters again. `onStep` is awaited before the driver goes on,
   * so the caller can journal each step first. Expected failures come back in the outcome, never thrown.
   */
  printCard(
    panels: CardPanels,
    onStep?: (step: CardPrintStep, counters?: CardCounters) => Promise<void> | void,
  ): Promise<CardPrintOutcome>;
  /** `Scs`: clears an error after its cause was removed; answers the state that remains. */
  clearFault(): Promise<Result<void, CardPrinterFault>>;
  /** `Srs`: aborts a sequence, rejects a card in the printer, clears MECHANICAL_ERROR. */
  reset(): Promise<Result<void, CardPrinterFault>>;
  /*
   * The exit bezel (1.1). Optional members only so that test doubles written before 1.1 still fit;
   * `CardPrinterDriver` has them all. None of them sends `Rbz` or `Sbz;r` to a printer without a bezel.
   */
  /**
   * Whether the printer has an exit bezel: learned with `Rbz` when the driver starts (`ERR BAD_COMMAND`:
   * none), asked again here only while still unknown (the printer was offline at start).
   */
  hasBezel?(): Promise<Result<boolean, CardPrinterFault>>;
  /** `Rbz`: whether a printed card waits in the bezel; `NO_BEZEL` without sending anything. */
  readBezel?(): Promise<Result<BezelState, BezelFailure>>;
  /**
   * `Sbz;r`: draws the card waiting in the bezel back into the reject box (the printer counts it in
   * `Rco;rt`; the card was printed). OK also when the bezel was empty; `NO_BEZEL` without sending.
   */
  drawBackCard?(): Promise<Result<void, BezelFailure>>;
  /** Listens for state changes (the watchdog's view). Returns an unsubscribe function. */
  onStatus(listener: (status: CardPrinterStatus) => void): () => void;
  close(): Promise<void>;
}

/** What goes on the front of a card (CardDocument of central-api.yaml). */
export interface CardDocument {
  template: 'KTP_EL' | 'KIA';
  fields: Record<string, string>;
  photo: { contentType: 'image/jpeg' | 'image/png'; data: string } | null;
  signature: { contentType: 'image/png'; data: string } | null;
}

/** A card rendered for printing and for the confirm screen's preview. */
export interface RenderedCard {
  panels: CardPanels;
  /** PNG of the card as it will look (1016 x 648), for the `confirm` screen. */
  previewPng: Uint8Array;
}

/** Renders a card front. */
export type CardRenderer = (doc: CardDocument) => Promise<RenderedCard>;
