import type { CardPrinter } from '../../drivers/card-printer/types.ts';
import { type Clock, sleep } from '../../drivers/shared/clock.ts';
import type { CardLedger, PrinterComparison } from './ledger.ts';

/** How long the start-up check waits for a printer still printing or not answering. */
export const STARTUP_CHECK_WAIT_MS = 60_000;
const POLL_MS = 500;

export interface StartupCheckOptions {
  clock: Clock;
  /**
   * `Rco;rt`, where the printer has an exit bezel (undefined: no bezel, or the driver cannot read it).
   * Without it, the `returned` counter `readCounters` gave (absent on a printer older than 1.1).
   */
  readRetracted?: () => Promise<number | undefined>;
  waitMs?: number;
}

/**
 * The ledger's start-up check against the printer (issue 13 item 7): waits (on the monotonic clock, up
 * to `waitMs`) until the printer is neither printing nor silent, reads its counters, books a feed a crash
 * left pending from them, then compares every count (`CardLedger.compareWithPrinter`): each difference is
 * an incident naming the count. `printer-unreadable` when the printer never answered: the check is then
 * due again at the next feed (whose `feedStarted` settles a pending feed) or the next start.
 */
export async function checkLedgerAtStart(
  ledger: CardLedger,
  printer: CardPrinter,
  opts: StartupCheckOptions,
): Promise<PrinterComparison | { status: 'printer-unreadable' }> {
  const deadline = opts.clock.monotonic() + (opts.waitMs ?? STARTUP_CHECK_WAIT_MS);
  for (;;) {
    const status = await printer.getStatus();
    if (status.state !== 'PRINTING' && status.state !== 'OFFLINE') {
      const c = await printer.readCounters();
      if (c.ok) {
        if (ledger.feedPending()) ledger.recover(c.value);
        // Cards drawn back from the bezel are part of the reconciliation at every start (issue 16 item 3).
        const retracted = opts.readRetracted ? await opts.readRetracted() : c.value.returned;
        return ledger.compareWithPrinter(retracted === undefined ? c.value : { ...c.value, retracted });
      }
    }
    if (opts.clock.monotonic() >= deadline) return { status: 'printer-unreadable' };
    await sleep(opts.clock, POLL_MS);
  }
}
