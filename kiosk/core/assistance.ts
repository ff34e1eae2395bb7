import type { Clock } from '../../drivers/shared/clock.ts';

/** How long one call for staff stays open (central-api.yaml, assistance-requests). */
export const ASSISTANCE_OPEN_MS = 5 * 60_000;

/** Where a call for staff is sent (through the outbox, so it survives the network and restarts). */
export type AssistanceSender = (request: { at: string; screen: string; reference?: string }) => void;

/**
 * An applicant's call for staff: at most one open per kiosk, from the touch until 5 minutes have passed
 * or a technician clears it. A new session does not close it (staff are still on their way), so touches
 * while it is open send nothing new.
 */
export class Assistance {
  private openedAt: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly send: AssistanceSender,
  ) {}

  /** The applicant touched "call staff" on `screen`; returns whether a new request went out. */
  request(screen: string, reference?: string): boolean {
    if (this.isOpen()) return false;
    this.openedAt = this.clock.monotonic();
    this.send({ at: new Date(this.clock.now()).toISOString(), screen, ...(reference ? { reference } : {}) });
    return true;
  }

  isOpen(): boolean {
    return this.openedAt !== undefined && this.clock.monotonic() - this.openedAt < ASSISTANCE_OPEN_MS;
  }

  /** A technician came and cleared it (maintenance menu). */
  clear(): void {
    this.openedAt = undefined;
  }
}
