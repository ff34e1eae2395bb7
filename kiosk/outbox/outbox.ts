import { randomUUID } from 'node:crypto';
import type { Clock } from '../../drivers/shared/clock.ts';
import type {
  AssistanceRequestBody,
  CentralApi,
  CompleteBody,
  FeedbackBody,
  HandoffBody,
  HeartbeatBody,
  PostOutcome,
} from '../central-api/client.ts';
import type { ReleaseReason } from '../central-api/contract.ts';
import { type Db, migrate } from '../store/db.ts';
import { type WriteBehind, type WriteOp, writeBehind } from '../store/write-behind.ts';

/** What the outbox carries: the POSTs whose outcome must reach the central API, exactly once in effect. */
export type OutboxMessage =
  | { kind: 'complete'; claimId: string; applicationNo: string; body: CompleteBody }
  | {
      kind: 'release';
      claimId: string;
      applicationNo: string;
      reason: ReleaseReason;
      detail?: string;
      reference?: string;
    }
  | { kind: 'feedback'; body: FeedbackBody }
  /**
   * A heartbeat; it also carries the audit chain's head (the contract's Heartbeat admits more properties),
   * which the central API keeps so that a rewritten chain can be told from the one it saw.
   */
  | { kind: 'heartbeat'; body: HeartbeatBody & { auditHead?: { seq: number; hash: string } } }
  /** The applicant is sent to the counter: what was and was not printed, under the session reference. */
  | { kind: 'handoff'; body: HandoffBody }
  /** The applicant asked for a member of staff to come to the kiosk. */
  | { kind: 'assistance'; body: AssistanceRequestBody };

export interface OutboxItem {
  id: string;
  idempotencyKey: string;
  message: OutboxMessage;
  attempts: number;
  /** Wall time of the next attempt, for the technician to read; the schedule itself is monotonic. */
  nextAttemptAt: number;
  createdAt: number;
  state: 'pending' | 'sent' | 'incident';
  lastError?: string;
}

/** First retry after 1 s, doubling to at most 5 minutes. */
export const OUTBOX_BACKOFF_MS = { first: 1_000, max: 5 * 60_000 } as const;
/** How often the outbox looks for work when nothing woke it. */
export const OUTBOX_POLL_MS = 1_000;
/** How often writes the disk refused are tried again. */
export const OUTBOX_HELD_RETRY_MS = 2_000;
/** Messages sent at the same time: one stuck answer leaves the others free. */
export const OUTBOX_MAX_IN_FLIGHT = 4;

export interface OutboxEvents {
  /** A `complete` answered 409 CLAIM_LOST (or another refusal that no retry can mend). */
  incident?(item: OutboxItem, reason: string): void;
  acknowledged?(item: OutboxItem): void;
}

export interface OutboxOptions {
  /**
   * How long one attempt may take, the whole answer included, before the outbox gives up on it and
   * schedules the next (the client's own timeout should come first: this is the backstop for an answer
   * that stalls after its headers). Give it the central API's `timeoutMs` plus a margin.
   */
  attemptDeadlineMs?: number;
  backoff?: { first: number; max: number };
  maxInFlight?: number;
}

/**
 * The backstop when none is given: longer than two of the client's attempts at the contract's default
 * `centralApi.timeoutMs` (8 s), so it only ever cuts an answer the client itself failed to bound.
 */
export const OUTBOX_ATTEMPT_DEADLINE_MS = 20_000;

interface Attempt {
  done: Promise<void>;
}

/**
 * The outbox: each message is stored with its Idempotency-Key before it is sent, and retried with
 * backoff until the API acknowledges it, across restarts. Because the key is stored with the message, a
 * resend after a crash is the same request to the API, which answers it once in effect.
 *
 * Each message goes on its own: a message whose answer stalls or that keeps failing is retried on its
 * own schedule (backoff from its attempts), while the others are sent beside it. Schedules are kept on
 * the monotonic clock, in memory: a wall clock that jumps back does not hold anything, and after a
 * restart every pending message is due at once. A write the disk refuses is held in memory (see
 * `WriteBehind`) and the message is sent once it is written.
 */
export class Outbox {
  private timer: unknown;
  private stopped = true;
  /** Monotonic due time of each pending message's next attempt; a message not here is due now. */
  private readonly dueAt = new Map<string, number>();
  private readonly inFlight = new Map<string, Attempt>();
  /** Messages acknowledged whose state is not on disk yet (a full disk): not sent again meanwhile. */
  private readonly settled = new Set<string>();
  /** Messages queued and not yet on disk. */
  private readonly unwritten = new Map<string, OutboxItem>();
  private unwrittenHeartbeat: string | undefined;
  private readonly writes: WriteBehind;
  private readonly attemptDeadlineMs: number;
  private readonly backoff: { first: number; max: number };
  private readonly maxInFlight: number;

  constructor(
    private readonly db: Db,
    private readonly api: CentralApi,
    private readonly clock: Clock,
    private readonly events: OutboxEvents = {},
    opts: OutboxOptions = {},
  ) {
    migrate(db, 'outbox', [
      `CREATE TABLE outbox (
         id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, created_at INTEGER NOT NULL,
         state TEXT NOT NULL DEFAULT 'pending', last_error TEXT, sent_at INTEGER);
       CREATE INDEX outbox_pending ON outbox(state, next_attempt_at);`,
      // Retention prunes acknowledged rows by the time they were acknowledged.
      'CREATE INDEX outbox_sent ON outbox(state, sent_at);',
    ]);
    this.writes = writeBehind(db, () => clock.monotonic());
    this.attemptDeadlineMs = opts.attemptDeadlineMs ?? OUTBOX_ATTEMPT_DEADLINE_MS;
    this.backoff = opts.backoff ?? OUTBOX_BACKOFF_MS;
    this.maxInFlight = opts.maxInFlight ?? OUTBOX_MAX_IN_FLIGHT;
  }

  /**
   * Stores a message and wakes the sender; returns the item id. Durable when this returns, or, when the
   * disk refuses the write, held in memory and written (then sent) as soon as the disk takes it: it never
   * throws for a full disk. Inside `Journal.transaction` it is written with the journal step.
   */
  enqueue(message: OutboxMessage): string {
    const id = randomUUID();
    const now = this.clock.now();
    const item: OutboxItem = {
      id,
      idempotencyKey: randomUUID(),
      message,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      state: 'pending',
    };
    if (message.kind === 'heartbeat') {
      // Only the newest heartbeat waits for the disk: a held one is replaced, not queued behind.
      if (this.unwrittenHeartbeat) this.unwritten.delete(this.unwrittenHeartbeat);
      this.unwrittenHeartbeat = id;
    }
    this.unwritten.set(id, item);
    this.writes.write(
      [
        {
          sql: 'INSERT INTO outbox (id, idempotency_key, kind, message, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          params: [id, item.idempotencyKey, message.kind, JSON.stringify(message), now, now],
        },
      ],
      {
        onWritten: () => {
          this.unwritten.delete(id);
          if (this.unwrittenHeartbeat === id) this.unwrittenHeartbeat = undefined;
          this.wake();
        },
        onDropped: () => this.unwritten.delete(id),
        ...(message.kind === 'heartbeat' ? { replaceKey: 'outbox-heartbeat' } : {}),
      },
    );
    return id;
  }

  /** Messages not yet acknowledged, those still waiting for the disk included. */
  pending(): OutboxItem[] {
    return [
      ...this.rows("state = 'pending'").filter((i) => !this.settled.has(i.id)),
      ...this.unwritten.values(),
    ];
  }

  /**
   * Messages waiting for the central API (`adm_outbox_pending`, the heartbeat's `outboxPending`): every
   * pending message but heartbeats (a newer one replaces them), stuck and failing ones included, and
   * those held in memory by a full disk.
   */
  pendingCount(): number {
    const stored = (
      this.db
        .prepare("SELECT id FROM outbox WHERE state = 'pending' AND kind != 'heartbeat'")
        .all() as Array<{ id: string }>
    ).filter((r) => !this.settled.has(r.id)).length;
    let held = 0;
    for (const i of this.unwritten.values()) if (i.message.kind !== 'heartbeat') held++;
    return stored + held;
  }

  incidents(): OutboxItem[] {
    return this.rows("state = 'incident'");
  }

  item(id: string): OutboxItem | undefined {
    return this.rows('id = ?', id)[0] ?? this.unwritten.get(id);
  }

  /**
   * Deletes acknowledged messages (heartbeats included) acknowledged before `before` (wall time, ms).
   * Pending messages and incidents are never pruned. Returns how many went. Part of `pruneStore`.
   */
  prune(before: number): number {
    const n = (
      this.db
        .prepare("SELECT count(*) AS n FROM outbox WHERE state = 'sent' AND sent_at < ?")
        .get(before) as { n: number }
    ).n;
    if (n === 0) return 0;
    const written = this.writes.write([
      { sql: "DELETE FROM outbox WHERE state = 'sent' AND sent_at < ?", params: [before] },
    ]);
    return written ? n : 0;
  }

  /** Starts sending in the background. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Stops sending. Attempts under way are not waited for (an answer that stalls would hold the stop):
   * their answers are recorded if the store is still open, else the message is sent again at the next
   * start with the same Idempotency-Key.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Sends every due message now and waits for those attempts (each bounded by the attempt deadline); the
   * technician's "send now" (`all`) makes them all due.
   */
  async flush(all = false): Promise<void> {
    if (all) this.dueAt.clear();
    // Rounds until nothing more is due: more messages may be due than may be in flight at once.
    for (;;) {
      const launched = this.launchDue(true);
      if (this.inFlight.size === 0) return;
      await Promise.all([...this.inFlight.values()].map((a) => a.done));
      if (launched === 0) return;
    }
  }

  private wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.launchDue(false);
      this.schedule(this.nextDelay());
    }, ms);
  }

  private nextDelay(): number {
    if (this.writes.heldCount() > 0) return OUTBOX_HELD_RETRY_MS;
    const now = this.clock.monotonic();
    let next = OUTBOX_POLL_MS * 30;
    for (const item of this.pendingRows()) {
      if (this.inFlight.has(item.id)) continue;
      next = Math.min(next, Math.max(0, (this.dueAt.get(item.id) ?? now) - now));
    }
    return next;
  }

  private pendingRows(): OutboxItem[] {
    return this.rows("state = 'pending' ORDER BY created_at").filter((i) => !this.settled.has(i.id));
  }

  /**
   * Starts an attempt for every due message not already under way, up to the in-flight limit; returns
   * how many it started.
   */
  private launchDue(evenIfStopped: boolean): number {
    if (!this.db.open) return 0;
    if (this.writes.retry()) this.dropStaleHeartbeats();
    const now = this.clock.monotonic();
    let launched = 0;
    for (const item of this.pendingRows()) {
      if (this.inFlight.size >= this.maxInFlight) break;
      if (this.inFlight.has(item.id)) continue;
      if ((this.dueAt.get(item.id) ?? now) > now) continue;
      if (this.stopped && (!evenIfStopped || item.message.kind === 'heartbeat')) continue;
      this.launch(item);
      launched++;
    }
    return launched;
  }

  /** Heartbeats are only worth their newest: older pending ones are dropped, none kept in flight. */
  private dropStaleHeartbeats(): void {
    this.writes.write([
      {
        sql: "DELETE FROM outbox WHERE kind = 'heartbeat' AND state = 'pending' AND id NOT IN (SELECT id FROM outbox WHERE kind = 'heartbeat' AND state = 'pending' ORDER BY created_at DESC LIMIT 1)",
        params: [],
      },
    ]);
  }

  private launch(item: OutboxItem): void {
    let deadlineTimer: unknown;
    const deadline = new Promise<PostOutcome>((resolve) => {
      deadlineTimer = this.clock.setTimeout(
        () => resolve({ kind: 'unavailable', detail: `no whole answer within ${this.attemptDeadlineMs} ms` }),
        this.attemptDeadlineMs,
      );
    });
    const answer = this.post(item).catch(
      (e: unknown): PostOutcome => ({ kind: 'unavailable', detail: (e as Error).message }),
    );
    const done = Promise.race([answer, deadline]).then((outcome) => {
      this.clock.clearTimeout(deadlineTimer);
      this.inFlight.delete(item.id);
      if (!this.db.open) return;
      this.record(item, outcome);
      this.wake();
    });
    this.inFlight.set(item.id, { done });
  }

  private record(item: OutboxItem, outcome: PostOutcome): void {
    const now = this.clock.now();
    if (outcome.kind === 'ack' || isSettledRefusal(item, outcome)) {
      this.settled.add(item.id);
      this.dueAt.delete(item.id);
      this.writes.write(
        [
          {
            sql: "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
            params: [now, item.id],
          },
        ],
        { onWritten: () => this.settled.delete(item.id) },
      );
      this.events.acknowledged?.({ ...item, state: 'sent' });
      return;
    }
    if (outcome.kind === 'refused' && isFinalRefusal(outcome.status)) {
      const reason = `${outcome.status} ${outcome.code}`;
      this.settled.add(item.id);
      this.dueAt.delete(item.id);
      this.writes.write(
        [
          {
            sql: "UPDATE outbox SET state = 'incident', attempts = attempts + 1, last_error = ? WHERE id = ?",
            params: [reason, item.id],
          },
        ],
        { onWritten: () => this.settled.delete(item.id) },
      );
      this.events.incident?.({ ...item, state: 'incident', lastError: reason }, reason);
      return;
    }
    const attempts = item.attempts + 1;
    const delay = backoffMs(attempts, this.backoff);
    this.dueAt.set(item.id, this.clock.monotonic() + delay);
    const detail = outcome.kind === 'refused' ? `${outcome.status} ${outcome.code}` : outcome.detail;
    this.writes.write([
      {
        sql: 'UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
        params: [attempts, now + delay, detail, item.id],
      } satisfies WriteOp,
    ]);
  }

  private post(item: OutboxItem): Promise<PostOutcome> {
    const m = item.message;
    switch (m.kind) {
      case 'complete':
        return this.api.complete(m.claimId, m.body, item.idempotencyKey);
      case 'release':
        return this.api.release(m.claimId, m.reason, m.detail, item.idempotencyKey, m.reference);
      case 'feedback':
        return this.api.feedback(m.body, item.idempotencyKey);
      case 'heartbeat':
        return this.api.heartbeat(m.body, item.idempotencyKey);
      case 'handoff':
        return this.api.handoff(m.body, item.idempotencyKey);
      case 'assistance':
        return this.api.requestAssistance(m.body, item.idempotencyKey);
    }
  }

  private rows(where: string, ...args: unknown[]): OutboxItem[] {
    return (
      this.db.prepare(`SELECT * FROM outbox WHERE ${where}`).all(...args) as Array<Record<string, unknown>>
    ).map((r) => ({
      id: r.id as string,
      idempotencyKey: r.idempotency_key as string,
      message: JSON.parse(r.message as string) as OutboxMessage,
      attempts: r.attempts as number,
      nextAttemptAt: r.next_attempt_at as number,
      createdAt: r.created_at as number,
      state: r.state as OutboxItem['state'],
      ...(r.last_error ? { lastError: r.last_error as string } : {}),
    }));
  }
}

/** The wait before attempt `attempts + 1`: `first`, doubling, at most `max`. */
export function backoffMs(attempts: number, backoff: { first: number; max: number }): number {
  return Math.min(backoff.max, backoff.first * 2 ** Math.min(Math.max(attempts, 1) - 1, 20));
}

/** A release answered 409 ALREADY_PRINTED is settled: the claim was completed, nothing to give back. */
function isSettledRefusal(item: OutboxItem, outcome: PostOutcome): boolean {
  return (
    outcome.kind === 'refused' &&
    item.message.kind === 'release' &&
    outcome.status === 409 &&
    outcome.code === 'ALREADY_PRINTED'
  );
}

/**
 * 4xx answers that a retry cannot change (409 CLAIM_LOST, 404, 400, 403) become incidents for the technician.
 * 401 is not final: a token is fixed by configuration, and the message must still go once it is.
 */
function isFinalRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429;
}
