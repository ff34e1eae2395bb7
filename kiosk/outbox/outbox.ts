import { randomUUID } from 'node:crypto';
import type { Clock } from '../../drivers/shared/clock.ts';
import type {
  CentralApi,
  CompleteBody,
  FeedbackBody,
  HeartbeatBody,
  PostOutcome,
} from '../central-api/client.ts';
import type { ReleaseReason } from '../central-api/contract.ts';
import { type Db, migrate } from '../store/db.ts';

/** What the outbox carries: the POSTs whose outcome must reach the central API, exactly once in effect. */
export type OutboxMessage =
  | { kind: 'complete'; claimId: string; applicationNo: string; body: CompleteBody }
  | { kind: 'release'; claimId: string; applicationNo: string; reason: ReleaseReason; detail?: string }
  | { kind: 'feedback'; body: FeedbackBody }
  | { kind: 'heartbeat'; body: HeartbeatBody };

export interface OutboxItem {
  id: string;
  idempotencyKey: string;
  message: OutboxMessage;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  state: 'pending' | 'sent' | 'incident';
  lastError?: string;
}

/** First retry after 1 s, doubling to at most 5 minutes. */
export const OUTBOX_BACKOFF_MS = { first: 1_000, max: 5 * 60_000 } as const;
/** How often the outbox looks for work when nothing woke it. */
export const OUTBOX_POLL_MS = 1_000;

export interface OutboxEvents {
  /** A `complete` answered 409 CLAIM_LOST (or another refusal that no retry can mend). */
  incident?(item: OutboxItem, reason: string): void;
  acknowledged?(item: OutboxItem): void;
}

/**
 * The outbox: each message is stored with its Idempotency-Key before it is sent, and retried with
 * backoff until the API acknowledges it, across restarts. Because the key is stored with the message, a
 * resend after a crash is the same request to the API, which answers it once in effect.
 */
export class Outbox {
  private timer: unknown;
  private running = false;
  private stopped = true;
  private kick: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly api: CentralApi,
    private readonly clock: Clock,
    private readonly events: OutboxEvents = {},
  ) {
    migrate(db, 'outbox', [
      `CREATE TABLE outbox (
         id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, created_at INTEGER NOT NULL,
         state TEXT NOT NULL DEFAULT 'pending', last_error TEXT, sent_at INTEGER);
       CREATE INDEX outbox_pending ON outbox(state, next_attempt_at);`,
    ]);
  }

  /** Stores a message (durable when this returns) and wakes the sender. Returns the item id. */
  enqueue(message: OutboxMessage): string {
    const id = randomUUID();
    const now = this.clock.now();
    this.db
      .prepare(
        'INSERT INTO outbox (id, idempotency_key, kind, message, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, randomUUID(), message.kind, JSON.stringify(message), now, now);
    this.wake();
    return id;
  }

  /** Messages not yet acknowledged (heartbeats are not counted: a newer one replaces them). */
  pending(): OutboxItem[] {
    return this.rows("state = 'pending'");
  }

  pendingCount(): number {
    return (
      this.db
        .prepare("SELECT count(*) AS n FROM outbox WHERE state = 'pending' AND kind != 'heartbeat'")
        .get() as { n: number }
    ).n;
  }

  incidents(): OutboxItem[] {
    return this.rows("state = 'incident'");
  }

  item(id: string): OutboxItem | undefined {
    return this.rows('id = ?', id)[0];
  }

  /** Starts sending in the background. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await new Promise((r) => setImmediate(r));
  }

  /** Sends every due message now (the technician's "send now" makes them all due). */
  async flush(all = false): Promise<void> {
    if (all) this.db.prepare("UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'").run();
    await this.runOnce();
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.kick = () => this.schedule(0);
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.runOnce().finally(() => {
        const kick = this.kick;
        this.kick = undefined;
        if (kick) kick();
        else this.schedule(this.nextDelay());
      });
    }, ms);
  }

  private nextDelay(): number {
    const row = this.db
      .prepare("SELECT min(next_attempt_at) AS t FROM outbox WHERE state = 'pending'")
      .get() as { t: number | null };
    if (row.t === null) return OUTBOX_POLL_MS * 30;
    return Math.max(0, Math.min(row.t - this.clock.now(), OUTBOX_POLL_MS * 30));
  }

  private async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      // Heartbeats are only worth their newest: drop older pending ones.
      this.db
        .prepare(
          "DELETE FROM outbox WHERE kind = 'heartbeat' AND state = 'pending' AND id NOT IN (SELECT id FROM outbox WHERE kind = 'heartbeat' AND state = 'pending' ORDER BY created_at DESC LIMIT 1)",
        )
        .run();
      const due = this.rows(
        "state = 'pending' AND next_attempt_at <= ? ORDER BY created_at",
        this.clock.now(),
      );
      for (const item of due) {
        if (this.stopped && item.message.kind === 'heartbeat') continue;
        await this.sendOne(item);
      }
    } finally {
      this.running = false;
    }
  }

  private async sendOne(item: OutboxItem): Promise<void> {
    let outcome: PostOutcome;
    try {
      outcome = await this.post(item);
    } catch (e) {
      outcome = { kind: 'unavailable', detail: (e as Error).message };
    }
    const now = this.clock.now();
    if (outcome.kind === 'ack' || isSettledRefusal(item, outcome)) {
      this.db
        .prepare(
          "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
        )
        .run(now, item.id);
      this.events.acknowledged?.({ ...item, state: 'sent' });
      return;
    }
    if (outcome.kind === 'refused' && isFinalRefusal(outcome.status)) {
      const reason = `${outcome.status} ${outcome.code}`;
      this.db
        .prepare("UPDATE outbox SET state = 'incident', attempts = attempts + 1, last_error = ? WHERE id = ?")
        .run(reason, item.id);
      this.events.incident?.({ ...item, state: 'incident', lastError: reason }, reason);
      return;
    }
    const attempts = item.attempts + 1;
    const delay = Math.min(OUTBOX_BACKOFF_MS.max, OUTBOX_BACKOFF_MS.first * 2 ** Math.min(attempts - 1, 20));
    const detail = outcome.kind === 'refused' ? `${outcome.status} ${outcome.code}` : outcome.detail;
    this.db
      .prepare('UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?')
      .run(attempts, now + delay, detail, item.id);
  }

  private post(item: OutboxItem): Promise<PostOutcome> {
    const m = item.message;
    switch (m.kind) {
      case 'complete':
        return this.api.complete(m.claimId, m.body, item.idempotencyKey);
      case 'release':
        return this.api.release(m.claimId, m.reason, m.detail, item.idempotencyKey);
      case 'feedback':
        return this.api.feedback(m.body, item.idempotencyKey);
      case 'heartbeat':
        return this.api.heartbeat(m.body, item.idempotencyKey);
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
