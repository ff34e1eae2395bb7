import type { CardCounters, CardPrinter } from '../../drivers/card-printer/types.ts';
import { type Clock, sleep } from '../../drivers/shared/clock.ts';

/**
 * What became of one card, the only question that decides between `complete` and `release`:
 * - `printed`: it came out printed (`Rco;tc` moved);
 * - `spoiled`: it was fed and rejected (`Rco;sc` moved);
 * - `not-fed`: neither counter moved and the printer is idle, so no card left the feeder;
 * - `unknown`: the printer cannot tell yet (still `PRINTING`, or not answering).
 *
 * Printing, the wait after a printer fell silent, and recovery after a restart all ask this one
 * function. An `unknown` card is never released: a card still on its way out would print twice.
 */
export type CardFate = 'printed' | 'spoiled' | 'not-fed' | 'unknown';

/** The fate of a card from the counters read before it was fed and those read now, the printer idle. */
export function fateFromCounters(before: CardCounters, after: CardCounters): Exclude<CardFate, 'unknown'> {
  if (after.total > before.total) return 'printed';
  if (after.spoiled > before.spoiled) return 'spoiled';
  return 'not-fed';
}

/**
 * Reads the printer once: its state first (a card still `PRINTING` may yet come out, so unchanged
 * counters prove nothing), then its counters.
 */
export async function readCardFate(
  printer: CardPrinter,
  before: CardCounters,
): Promise<{ fate: CardFate; after?: CardCounters }> {
  const status = await printer.getStatus();
  if (status.state === 'PRINTING' || status.state === 'OFFLINE') return { fate: 'unknown' };
  const counters = await printer.readCounters();
  if (!counters.ok) return { fate: 'unknown' };
  return { fate: fateFromCounters(before, counters.value), after: counters.value };
}

/**
 * Asks until the card's fate is known or `waitMs` has passed (a real printer's longest print, with a
 * margin); `unknown` after that means a technician must look.
 */
export async function awaitCardFate(
  printer: CardPrinter,
  before: CardCounters,
  opts: { clock: Clock; waitMs: number; pollMs: number; stopped?: () => boolean },
): Promise<{ fate: CardFate; after?: CardCounters }> {
  const deadline = opts.clock.monotonic() + opts.waitMs;
  for (;;) {
    const read = await readCardFate(printer, before);
    if (read.fate !== 'unknown' || opts.stopped?.() || opts.clock.monotonic() >= deadline) return read;
    await sleep(opts.clock, opts.pollMs);
  }
}
