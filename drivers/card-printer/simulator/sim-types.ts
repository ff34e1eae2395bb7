import type { Clock } from '../../shared/clock.ts';
import type { PrinterFault, PrinterState } from '../protocol.ts';

/** A fault the simulator can be told to have. */
export type SimFault = PrinterFault;

/** When an injected fault strikes. */
export type SimFaultMoment = 'now' | 'before-ss' | 'between-panels' | 'during-print';

/** Options of the simulator. */
export interface CardPrinterSimulatorOptions {
  /** Where counters, ribbon, feeder and printed cards persist across restarts. None: memory only. */
  stateDir?: string;
  /** Scales the real timings (2 s feed, 18 s print, 1 s eject); 0.05 prints a card in about 1 s. */
  timeFactor?: number;
  /** Blank cards in the feeder on first start (later starts read the persisted count). */
  blankCards?: number;
  /** Panel sets on a fresh ribbon. */
  ribbonPanels?: number;
  serial?: string;
  clock?: Clock;
  /**
   * (1.1) The head overheats: after this many cards printed within 10 minutes the printer goes COOLING
   * (refusing `Se` with `ERR COOLING`) for `coolingSeconds` x `timeFactor`. None: it never does.
   */
  coolingAfterCards?: number;
  /** (1.1) How long a cooling lasts at a real printer's pace (default 60 s; real heads take 30-120 s). */
  coolingSeconds?: number;
  /** (1.1) An exit bezel holds each printed card until `takeCard()` or `Sbz;r` (an Evolis KM-like kiosk printer). */
  bezel?: boolean;
}

/** A card that came out of the simulated printer. */
export interface PrintedCard {
  /** The `Rco;tc` count this card made. */
  number: number;
  png: Uint8Array;
  /** Where the PNG was saved, when the simulator has a stateDir. */
  path?: string;
}

/** Persisted state of the simulated printer. */
export interface SimState {
  total: number;
  spoiled: number;
  ribbonLeft: number;
  blankCards: number;
  state: PrinterState;
  /** The physical cause of a fault, present until `clearCause()`. */
  cause: SimFault | null;
  /** Blank cards in the feeder before an injected FEEDER_EMPTY took them away. */
  blankCardsBeforeEmpty: number;
  /** A card was between the rollers when the state was last saved (a power loss rejects it). */
  cardInPrinter: boolean;
  /** (1.1) `Rco;cl`: cards printed since the head was last cleaned. */
  sinceCleaning: number;
  /** (1.1) `Rco;rt`: printed cards drawn back from the bezel into the reject box. */
  returned: number;
  /** (1.1) A printed card waits in the exit bezel (it stays there through a power loss). */
  cardInBezel: boolean;
}

/** What a simulator has unless its options say otherwise; a cooling lasts `coolingSeconds` at a real printer's pace. */
export const SIM_DEFAULTS = {
  ribbonPanels: 500,
  blankCards: 100,
  serial: 'E0000SIM1',
  coolingSeconds: 60,
} as const;
