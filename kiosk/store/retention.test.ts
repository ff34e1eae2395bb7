import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { Journal } from '../journal/journal.ts';
import { openMemoryDb } from './db.ts';
import { PRUNE_EVERY_MS, schedulePruning } from './retention.ts';

const DAY = 24 * 60 * 60_000;

describe('retention', () => {
  it('prunes ended sessions past retention at start and on schedule, never open ones', () => {
    const db = openMemoryDb();
    const clock = new ManualClock();
    const journal = new Journal(db, clock);
    const old = journal.start('code').sessionId;
    journal.append(old, { step: 'closed', outcome: 'printed' });
    const open = journal.start('code').sessionId;
    clock.advance(10 * DAY);
    const recent = journal.start('code').sessionId;
    journal.append(recent, { step: 'closed', outcome: 'printed' });
    const outbox = { prune: () => 0 };
    const stop = schedulePruning(db, { journal, outbox }, clock, 7);
    expect(
      journal
        .recent()
        .map((s) => s.sessionId)
        .sort(),
    ).toEqual([open, recent].sort());
    // Retention counts by wall time; the schedule runs on the monotonic clock.
    clock.advance(PRUNE_EVERY_MS * 40);
    expect(journal.recent().map((s) => s.sessionId)).toEqual([open]);
    expect(journal.openSessions().map((s) => s.sessionId)).toEqual([open]);
    stop();
    expect(clock.pending).toBe(0);
  });
});
