import { sleep } from '../../drivers/shared/clock.ts';
import type { SessionData } from '../flow/session-data.ts';
import { TIMINGS } from '../flow/timings.ts';
import type { KioskCoreDeps } from './deps.ts';
import type { SessionRecord } from './session-record.ts';

/** How often the exit bezel is read while a card waits in it. */
const BEZEL_POLL_MS = 500;

/**
 * The exit bezel (card-printer.md 1.1; path step 10): a printed card waits there until it is taken. The
 * kiosk watches it on `collect`; a card still there after `cardTakeSeconds` is drawn back into the reject
 * box. The application stays printed (its `complete` went as usual); the applicant is told to ask at the
 * counter, a `card-not-taken` hand-off carries the session reference, and the technician gets an
 * incident naming it. A printer without a bezel is never asked.
 */
export class ExitBezel {
  constructor(
    private readonly deps: Pick<
      KioskCoreDeps,
      'devices' | 'clock' | 'config' | 'ledger' | 'incidents' | 'log' | 'delays'
    >,
    private readonly record: SessionRecord,
  ) {}

  /** Resolves once the card is taken (or there is none to take), or with `taken: false` once drawn back. */
  async awaitTaken(s: SessionData | undefined, stopped: () => boolean): Promise<{ taken: boolean }> {
    const printer = this.deps.devices.cardPrinter;
    if (!s || s.printed.cards === 0 || !printer?.readBezel || !printer.drawBackCard) return { taken: true };
    const clock = this.deps.clock;
    const takeMs = (this.deps.config.devices.cardPrinter?.cardTakeSeconds ?? 30) * 1000;
    // `collect` has been on screen for `collectMs` already: that counts towards the time to take it.
    const shown = this.deps.delays?.collectMs ?? TIMINGS.collectMs;
    const deadline = clock.monotonic() + Math.max(0, takeMs - shown);
    for (;;) {
      const bezel = await printer.readBezel();
      if (!bezel.ok || bezel.value === 'EMPTY') return { taken: true };
      if (stopped()) return { taken: true };
      if (clock.monotonic() >= deadline) break;
      await sleep(clock, BEZEL_POLL_MS);
    }
    const drawn = await printer.drawBackCard();
    this.deps.log?.(
      `bezel: card of session ${s.reference ?? s.sessionId} not taken; drawn back: ${drawn.ok}`,
    );
    const counters = await printer.readCounters();
    if (counters.ok && counters.value.returned !== undefined)
      this.deps.ledger?.retracted(counters.value.returned, { sessionId: s.sessionId });
    this.deps.incidents?.record({
      kind: 'card-not-taken',
      detail: { reference: s.reference ?? s.sessionId, drawnBack: drawn.ok },
    });
    this.record.handOff(s, 'card-not-taken');
    return { taken: false };
  }

  /**
   * At start: a card left in the bezel by a crash or power cut is drawn back (its session settles as
   * printed from the counters, like any card that came out).
   */
  async drawBackAtStart(): Promise<void> {
    const printer = this.deps.devices.cardPrinter;
    if (!printer?.readBezel || !printer.drawBackCard) return;
    const bezel = await printer.readBezel();
    if (!bezel.ok || bezel.value !== 'CARD') return;
    const drawn = await printer.drawBackCard();
    const counters = await printer.readCounters();
    if (counters.ok && counters.value.returned !== undefined)
      this.deps.ledger?.retracted(counters.value.returned);
    this.deps.incidents?.record({
      kind: 'card-not-taken',
      detail: { reference: 'before the restart', drawnBack: drawn.ok },
    });
  }
}
