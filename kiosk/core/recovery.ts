import type { CardCounters, CardPrinter } from '../../drivers/card-printer/types.ts';
import type { PaperPrinter } from '../../drivers/paper-printer/types.ts';
import { type Clock, sleep } from '../../drivers/shared/clock.ts';
import type { Incidents } from '../incidents/incidents.ts';
import type { Journal, OpenSession, SessionStep } from '../journal/journal.ts';
import type { CardLedger } from '../ledger/ledger.ts';
import type { Outbox } from '../outbox/outbox.ts';

export interface RecoveryDeps {
  journal: Journal;
  outbox: Outbox;
  ledger?: CardLedger;
  incidents?: Incidents;
  cardPrinter?: CardPrinter;
  paperPrinter?: PaperPrinter;
  clock: Clock;
  log?: (line: string) => void;
  /** A session still being served (left alone). */
  skip?: string;
}

/** How long recovery waits for a card or a job still under way to finish. */
export const RECOVERY_WAIT_MS = 60_000;
const RECOVERY_POLL_MS = 500;

type DocFate = 'printed' | 'not-printed' | 'undecided';

/**
 * Reconciles every session a crash or power cut left open, from its journal and the devices: the card
 * printer's counters (read before every card, read again now) tell whether a card came out, the spooler's
 * job state whether A4 pages did. Then `complete` (with what came out) or `release` with INTERRUPTED is
 * queued, so nothing prints twice and no claim is left dangling. A session whose printer cannot be read
 * yet stays open and is tried again; the ids of those are returned.
 */
export async function recoverOpenSessions(deps: RecoveryDeps): Promise<string[]> {
  const undecided: string[] = [];
  for (const session of deps.journal.openSessions()) {
    if (session.sessionId === deps.skip) continue;
    const done = await recoverOne(session, deps);
    if (!done) undecided.push(session.sessionId);
  }
  return undecided;
}

async function recoverOne(session: OpenSession, deps: RecoveryDeps): Promise<boolean> {
  const { journal, outbox } = deps;
  const steps = session.steps;
  const find = <K extends SessionStep['step']>(k: K) =>
    steps.filter((s): s is Extract<SessionStep, { step: K }> => s.step === k);
  const claimed = find('claimed').at(-1);
  const lookedUp = find('looked-up').at(-1);
  const close = (outcome: string) => journal.append(session.sessionId, { step: 'closed', outcome });
  if (!claimed || !lookedUp) {
    close('interrupted-before-claim');
    return true;
  }
  if (find('completion-queued').length || find('release-queued').length) {
    close('interrupted-after-outcome');
    return true;
  }
  let cards = 0;
  let pages = 0;
  let notPrinted = 0;
  for (const doc of lookedUp.documents) {
    const fate =
      doc.medium === 'CARD'
        ? await cardFate(doc.documentId, steps, deps)
        : await a4Fate(doc.documentId, steps, deps);
    if (fate === 'undecided') {
      deps.log?.(
        `recovery: session ${session.sessionId}: the ${doc.medium} printer cannot tell yet; will try again`,
      );
      return false;
    }
    if (fate === 'printed') {
      if (doc.medium === 'CARD') cards++;
      else pages += doc.pages ?? 1;
    } else notPrinted++;
  }
  const ref = { applicationNo: lookedUp.applicationNo, claimId: claimed.claimId };
  journal.transaction(() => {
    if (cards + pages > 0) {
      const outboxId = outbox.enqueue({
        kind: 'complete',
        claimId: claimed.claimId,
        applicationNo: lookedUp.applicationNo,
        body: {
          printedAt: new Date(deps.clock.now()).toISOString(),
          cardsPrinted: cards,
          pagesPrinted: pages,
        },
      });
      journal.append(session.sessionId, {
        step: 'completion-queued',
        outboxId,
        cardsPrinted: cards,
        pagesPrinted: pages,
      });
      if (notPrinted > 0)
        deps.incidents?.record({ kind: 'partial-print', ...ref, detail: { recovered: true, notPrinted } });
    } else {
      const outboxId = outbox.enqueue({
        kind: 'release',
        claimId: claimed.claimId,
        applicationNo: lookedUp.applicationNo,
        reason: 'INTERRUPTED',
        detail: 'the kiosk restarted before anything was printed',
      });
      journal.append(session.sessionId, { step: 'release-queued', outboxId, reason: 'INTERRUPTED' });
    }
    journal.append(session.sessionId, {
      step: 'closed',
      outcome: cards + pages > 0 ? 'recovered-complete' : 'recovered-release',
    });
  });
  deps.log?.(
    `recovery: session ${session.sessionId} (${lookedUp.applicationNo}): ${cards} card(s), ${pages} page(s) came out`,
  );
  return true;
}

async function cardFate(documentId: string, steps: SessionStep[], deps: RecoveryDeps): Promise<DocFate> {
  const after = steps.find((s) => s.step === 'card-after' && s.documentId === documentId);
  if (after && after.step === 'card-after') {
    if (after.outcome === 'printed') return 'printed';
    if (after.outcome !== 'unknown') return 'not-printed';
  }
  const before = steps.find((s) => s.step === 'card-before' && s.documentId === documentId);
  if (before?.step !== 'card-before') return 'not-printed';
  const printer = deps.cardPrinter;
  if (!printer) return 'undecided';
  // A card may still be on its way out: wait until the printer is no longer PRINTING.
  const deadline = deps.clock.now() + RECOVERY_WAIT_MS;
  let counters: CardCounters | undefined;
  for (;;) {
    const status = await printer.getStatus();
    if (status.state !== 'PRINTING' && status.state !== 'OFFLINE') {
      const c = await printer.readCounters();
      if (c.ok) counters = c.value;
      break;
    }
    if (deps.clock.now() >= deadline) break;
    await sleep(deps.clock, RECOVERY_POLL_MS);
  }
  if (!counters) return 'undecided';
  deps.ledger?.recover(counters);
  if (counters.total > before.total) return 'printed';
  return 'not-printed';
}

async function a4Fate(documentId: string, steps: SessionStep[], deps: RecoveryDeps): Promise<DocFate> {
  const after = steps.find((s) => s.step === 'a4-after' && s.documentId === documentId);
  if (after && after.step === 'a4-after') return after.outcome === 'printed' ? 'printed' : 'not-printed';
  const submitted = steps.find((s) => s.step === 'a4-submitted' && s.documentId === documentId);
  if (submitted?.step !== 'a4-submitted') return 'not-printed';
  const printer = deps.paperPrinter;
  if (!printer) return 'undecided';
  const deadline = deps.clock.now() + RECOVERY_WAIT_MS;
  for (;;) {
    const state = await printer.jobState(submitted.jobId);
    if (state === 'completed') return 'printed';
    if (state === 'failed') return 'not-printed';
    if (state === 'unknown' || deps.clock.now() >= deadline) {
      // The spooler cannot say: count it as printed, so it can never print twice; the office follows up.
      deps.incidents?.record({
        kind: 'device-fault',
        detail: { recovery: 'a4 job state unknown', jobId: submitted.jobId },
      });
      return 'printed';
    }
    await sleep(deps.clock, RECOVERY_POLL_MS);
  }
}
