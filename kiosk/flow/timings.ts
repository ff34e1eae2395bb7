/**
 * Every timing of the applicant's path, in one place (milliseconds unless named otherwise).
 */
export const TIMINGS = {
  /** The idle warning counts down this long (at most half the idle timeout) before the session ends. */
  idleWarningSeconds: 15,
  /** `collect` stays at least this long: there is no sensor for a taken card. */
  collectMs: 6_000,
  /** `done` goes back to `home` after this. */
  doneMs: 5_000,
  /** The heartbeat period (and one on every state change). */
  heartbeatMs: 60_000,
  /** How often device states are polled for partial service and the heartbeat. */
  devicePollMs: 5_000,
  /**
   * The card printer fell silent once a card may have been fed: how long the kiosk keeps reading its
   * counters (the only witness of whether the card came out) before it gives up, and how often.
   */
  cardOutcomeWaitMs: 60_000,
  cardOutcomePollMs: 1_000,
  /**
   * A print head cooling down (card-printer.md COOLING, typically 30-120 s): the countdown shown starts
   * from the usual longest, and past `coolingLimitMs` the claim is released (its 15-minute lease must
   * still cover the print and the outbox) and the applicant sent to the counter.
   */
  coolingUsualMs: 120_000,
  coolingLimitMs: 5 * 60_000,
} as const;

/** When the idle warning starts and how long it lasts, for an idle timeout in seconds. */
export function idleSplit(idleTimeoutSeconds: number): { warnAfterMs: number; countdownMs: number } {
  const countdown = Math.min(TIMINGS.idleWarningSeconds, Math.floor(idleTimeoutSeconds / 2));
  return { warnAfterMs: (idleTimeoutSeconds - countdown) * 1000, countdownMs: countdown * 1000 };
}
