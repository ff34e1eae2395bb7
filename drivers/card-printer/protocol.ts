import type { CardPrinterFault, CardPrinterState } from './types.ts';

/**
 * The card printer's direct protocol as data (card-printer.md, modelled on Evolis Primacy escape
 * commands). Both the driver and the simulator read these tables, so they cannot drift apart.
 */

export const ESC = 0x1b;
export const CR = 0x0d;

/** The printer's bitmap, a little larger than an ID-1 card for edge-to-edge printing, at 300 dpi. */
export const CARD_WIDTH_DOTS = 1016;
export const CARD_HEIGHT_DOTS = 648;
/** Bytes of one 1-bit row, MSB first. */
export const MONO_ROW_BYTES = CARD_WIDTH_DOTS / 8;

export type PanelName = 'y' | 'm' | 'c' | 'k' | 'o';

/** Panel, depth argument and the fixed payload size that follows `Db;<panel>;<depth>;`. */
export const PANELS: Record<PanelName, { depth: '256' | '2'; bytes: number }> = {
  y: { depth: '256', bytes: CARD_WIDTH_DOTS * CARD_HEIGHT_DOTS },
  m: { depth: '256', bytes: CARD_WIDTH_DOTS * CARD_HEIGHT_DOTS },
  c: { depth: '256', bytes: CARD_WIDTH_DOTS * CARD_HEIGHT_DOTS },
  k: { depth: '2', bytes: MONO_ROW_BYTES * CARD_HEIGHT_DOTS },
  o: { depth: '2', bytes: MONO_ROW_BYTES * CARD_HEIGHT_DOTS },
};

/** The order in which a front's panels are downloaded. */
export const PANEL_ORDER: readonly PanelName[] = ['y', 'm', 'c', 'k', 'o'];

/** The ribbon the kiosk selects with `Pr`. */
export const RIBBON_TYPE = 'ymcko';

/** The printer's own states (the reply to `Rst`); OFFLINE is the driver's conclusion, never sent. */
export const PRINTER_STATES = [
  'READY',
  'PRINTING',
  'COVER_OPEN',
  'FEEDER_EMPTY',
  'RIBBON_ENDED',
  'NO_RIBBON',
  'CARD_JAM',
  'HOPPER_FULL',
  'MECHANICAL_ERROR',
  'COOLING',
] as const satisfies readonly Exclude<CardPrinterState, 'OFFLINE'>[];

export type PrinterState = (typeof PRINTER_STATES)[number];

/**
 * Fault states the printer itself reports: everything but READY, PRINTING and (1.1) COOLING, which is
 * not a fault: the printer leaves it by itself and a refused card may simply be sent again.
 */
export type PrinterFault = Exclude<PrinterState, 'READY' | 'PRINTING' | 'COOLING'> & CardPrinterFault;

/** `ERR` codes: the fault states, COOLING (a refused `Se`) and three protocol codes. */
export type ErrorCode = PrinterFault | 'COOLING' | 'BUSY' | 'BAD_COMMAND' | 'BAD_DATA';

const ERROR_CODES: ReadonlySet<string> = new Set<string>([
  ...PRINTER_STATES.filter((s) => s !== 'READY' && s !== 'PRINTING'),
  'BUSY',
  'BAD_COMMAND',
  'BAD_DATA',
]);

/** What kind of reply each command gets: `ok` (OK/ERR), or a value of some shape. */
export type ReplyShape = 'ok' | 'text' | 'state' | 'integer' | 'bezel';

/** The commands the kiosk speaks and the shape of their replies. */
export const COMMANDS = {
  Rfv: 'text',
  Rsn: 'text',
  Rtp: 'text',
  Rst: 'state',
  Rr: 'integer',
  Rco: 'integer',
  Pr: 'ok',
  Ss: 'ok',
  Sr: 'ok',
  Db: 'ok',
  Se: 'ok',
  Scs: 'ok',
  Srs: 'ok',
  Rbz: 'bezel',
  Sbz: 'ok',
} as const satisfies Record<string, ReplyShape>;

export type CommandName = keyof typeof COMMANDS;

/** `Rco` arguments: total printed, spoiled, (1.1) since the head was cleaned, drawn back from the bezel. */
export const COUNTER_TOTAL = 'tc';
export const COUNTER_SPOILED = 'sc';
export const COUNTER_SINCE_CLEANING = 'cl';
export const COUNTER_RETURNED = 'rt';

/** (1.1) What `Rbz` answers on a printer with an exit bezel. */
export const BEZEL_STATES = ['EMPTY', 'CARD'] as const;
export type BezelState = (typeof BEZEL_STATES)[number];
/** (1.1) `Sbz` argument: draw the waiting card back into the reject box. */
export const BEZEL_RETRACT = 'r';

/** (1.1) Cards printed since the last cleaning from which the head needs cleaning. */
export const HEAD_CLEANING_DUE_CARDS = 1000;

/** Protocol timings of card-printer.md. */
export const REPLY_DEADLINE_MS = 500;
/** Silence after which the driver concludes OFFLINE. */
export const OFFLINE_AFTER_MS = 2000;
/** A `Db` payload that stops short for this long is refused. */
export const PAYLOAD_STALL_MS = 1000;
/** After a refused `Db` header the printer discards input until the line was quiet this long. */
export const DISCARD_QUIET_MS = 200;

/** Real printer timings (the simulator's defaults, scaled by its time factor). */
export const FEED_MS = 2000;
export const PRINT_MS = 18000;
export const EJECT_MS = 1000;

/** A parsed reply line. */
export type Reply =
  | { kind: 'ok' }
  | { kind: 'err'; code: ErrorCode }
  | { kind: 'value'; text: string }
  | { kind: 'garbage'; text: string };

const encoder = new TextEncoder();

/** `ESC name;arg;arg CR` as bytes. */
export function encodeCommand(name: CommandName, ...args: string[]): Uint8Array {
  const text = [name, ...args].join(';');
  const out = new Uint8Array(text.length + 2);
  out[0] = ESC;
  out.set(encoder.encode(text), 1);
  out[out.length - 1] = CR;
  return out;
}

/** `ESC Db;<panel>;<depth>;<data> CR`: the payload is not escaped, its size is fixed by the panel. */
export function encodeDownload(panel: PanelName, data: Uint8Array): Uint8Array {
  const spec = PANELS[panel];
  if (data.length !== spec.bytes) {
    throw new Error(`panel ${panel}: ${data.length} bytes, expected ${spec.bytes}`);
  }
  const head = encoder.encode(`Db;${panel};${spec.depth};`);
  const out = new Uint8Array(1 + head.length + data.length + 1);
  out[0] = ESC;
  out.set(head, 1);
  out.set(data, 1 + head.length);
  out[out.length - 1] = CR;
  return out;
}

/** Reads one reply line (without its CR) as the given command expects it. */
export function parseReply(line: string, shape: ReplyShape): Reply {
  if (line === 'OK' && shape === 'ok') return { kind: 'ok' };
  if (line.startsWith('ERR ')) {
    const code = line.slice(4);
    if (ERROR_CODES.has(code)) return { kind: 'err', code: code as ErrorCode };
    return { kind: 'garbage', text: line };
  }
  switch (shape) {
    case 'ok':
      return { kind: 'garbage', text: line };
    case 'state':
      return isPrinterState(line) ? { kind: 'value', text: line } : { kind: 'garbage', text: line };
    case 'integer':
      return /^\d{1,12}$/.test(line) ? { kind: 'value', text: line } : { kind: 'garbage', text: line };
    case 'bezel':
      return (BEZEL_STATES as readonly string[]).includes(line)
        ? { kind: 'value', text: line }
        : { kind: 'garbage', text: line };
    case 'text':
      // Printable ASCII only: a model name or serial never holds control bytes.
      return /^[\x20-\x7e]{1,64}$/.test(line)
        ? { kind: 'value', text: line }
        : { kind: 'garbage', text: line };
  }
}

export function isPrinterState(text: string): text is PrinterState {
  return (PRINTER_STATES as readonly string[]).includes(text);
}

export function isPrinterFault(text: string): text is PrinterFault {
  return isPrinterState(text) && text !== 'READY' && text !== 'PRINTING' && text !== 'COOLING';
}
