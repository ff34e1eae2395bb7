import type { CardPrinter } from '../../drivers/card-printer/types.ts';
import type { PaperJobState, PaperPrinter } from '../../drivers/paper-printer/types.ts';
import { type Clock, sleep } from '../../drivers/shared/clock.ts';
import type { CentralApi } from '../central-api/client.ts';
import type { Incidents } from '../incidents/incidents.ts';
import type { Journal, OpenSession, SessionStep } from '../journal/journal.ts';
import type { CardLedger } from '../ledger/ledger.ts';
import { awaitCardFate } from './card-fate.ts';
import type { SettledClaim, Settlement } from './settlement.ts';

export interface RecoveryDeps {
  journal: Journal;
  settlement: Settlement;
  /** To learn a claim whose answer a crash cut off (the same request again, with the same key). */
  api?: Pick<CentralApi, 'claim'>;
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
type Steps = SessionStep[];

/**
 * Settles every session a crash or power cut left open (kiosk-runtime.md path step 11), from its journal
 * and the devices: the card printer's state and counters (`CardFate`) tell whether a card came out, the
 * spooler (by job id, or by job name when the crash came before the id was journaled) whether A4 pages
 * did. Then `complete` (with what came out) or `release` with INTERRUPTED is queued, so nothing prints
 * twice and no claim is left dangling; a claim whose answer was cut off is learnt again first. A session
 * whose printer cannot tell yet stays open and is tried again; the ids of those are returned.
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

function stepsOf<K extends SessionStep['step']>(steps: Steps, k: K): Extract<SessionStep, { step: K }>[] {
  return steps.filter((s): s is Extract<SessionStep, { step: K }> => s.step === k);
}

async function recoverOne(session: OpenSession, deps: RecoveryDeps): Promise<boolean> {
  const { journal } = deps;
  const steps = session.steps;
  const close = (outcome: string) => journal.append(session.sessionId, { step: 'closed', outcome });
  const lookedUp = stepsOf(steps, 'looked-up').at(-1);
  if (stepsOf(steps, 'completion-queued').length || stepsOf(steps, 'release-queued').length) {
    close('interrupted-after-outcome');
    return true;
  }
  const reference = stepsOf(steps, 'started')[0]?.reference;
  const claimed = stepsOf(steps, 'claimed').at(-1) ?? (await learnClaim(session, deps));
  if (!claimed || !lookedUp) {
    close('interrupted-before-claim');
    return true;
  }
  const claim: SettledClaim = {
    sessionId: session.sessionId,
    claimId: claimed.claimId,
    applicationNo: lookedUp.applicationNo,
    ...(reference ? { reference } : {}),
  };
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
        `recovery: session ${reference ?? session.sessionId}: the ${doc.medium} printer cannot tell yet; will try again`,
      );
      return false;
    }
    if (fate === 'printed') {
      if (doc.medium === 'CARD') cards++;
      else pages += doc.pages ?? 1;
    } else notPrinted++;
  }
  if (cards + pages > 0) {
    deps.settlement.complete(claim, { cards, pages });
    if (notPrinted > 0)
      deps.incidents?.record({
        kind: 'partial-print',
        applicationNo: claim.applicationNo,
        claimId: claim.claimId,
        detail: { recovered: true, notPrinted },
      });
  } else {
    deps.settlement.release(claim, 'INTERRUPTED', 'the kiosk restarted before anything was printed');
  }
  close(cards + pages > 0 ? 'recovered-complete' : 'recovered-release');
  deps.log?.(
    `recovery: session ${reference ?? session.sessionId}: ${cards} card(s), ${pages} page(s) came out`,
  );
  return true;
}

/**
 * The crash came between sending the claim and journaling its answer: the same request with the same
 * Idempotency-Key (and body) makes the API answer the first answer again, so the kiosk learns the claim
 * it may hold, to release it. A refusal means no claim was granted.
 */
async function learnClaim(
  session: OpenSession,
  deps: RecoveryDeps,
): Promise<Extract<SessionStep, { step: 'claimed' }> | undefined> {
  const intent = stepsOf(session.steps, 'claim-intent').at(-1);
  if (!intent || !deps.api) return undefined;
  const r = await deps.api.claim(
    intent.applicationNo,
    intent.pinProof,
    intent.idempotencyKey,
    intent.residentProof,
  );
  if (!r.ok) {
    if (r.error.kind !== 'refused') {
      // The API cannot answer now: the lease lapses by itself within 15 minutes; the technician is told.
      deps.incidents?.record({
        kind: 'claim-recovered',
        applicationNo: intent.applicationNo,
        detail: { recovery: 'claim answer lost and the API did not answer', answer: r.error.kind },
      });
    }
    return undefined;
  }
  const step = { step: 'claimed' as const, claimId: r.value.claimId, leaseExpiresAt: r.value.leaseExpiresAt };
  deps.journal.append(session.sessionId, step);
  return step;
}

async function cardFate(documentId: string, steps: Steps, deps: RecoveryDeps): Promise<DocFate> {
  const after = stepsOf(steps, 'card-after').find((s) => s.documentId === documentId);
  if (after) {
    if (after.outcome === 'printed') return 'printed';
    if (after.outcome !== 'unknown') return 'not-printed';
  }
  const before = stepsOf(steps, 'card-before').find((s) => s.documentId === documentId);
  if (!before) return 'not-printed';
  const printer = deps.cardPrinter;
  if (!printer) return 'undecided';
  // A card may still be on its way out: the fate waits until the printer is no longer PRINTING.
  const read = await awaitCardFate(printer, before, {
    clock: deps.clock,
    waitMs: RECOVERY_WAIT_MS,
    pollMs: RECOVERY_POLL_MS,
  });
  if (read.fate === 'unknown' || !read.after) return 'undecided';
  deps.ledger?.recover(read.after);
  return read.fate === 'printed' ? 'printed' : 'not-printed';
}

/**
 * An A4 document's fate by its journal and the spooler: completed is printed; a job still queued is
 * cancelled and counts as not printed (path step 11); a job printing now is waited for; a job the spooler
 * cannot account for is an incident and counts as printed, so it can never print twice.
 */
async function a4Fate(documentId: string, steps: Steps, deps: RecoveryDeps): Promise<DocFate> {
  const after = stepsOf(steps, 'a4-after').find((s) => s.documentId === documentId);
  if (after) return after.outcome === 'printed' ? 'printed' : 'not-printed';
  const intent = stepsOf(steps, 'a4-intent').find((s) => s.documentId === documentId);
  const submitted = stepsOf(steps, 'a4-submitted').find((s) => s.documentId === documentId);
  if (!intent && !submitted) return 'not-printed';
  const printer = deps.paperPrinter;
  if (!printer) return 'undecided';
  let jobId = submitted?.jobId;
  if (!jobId && intent) {
    const found = await printer.findJob(intent.jobName);
    deps.log?.(`recovery: spooler job ${intent.jobName}: ${typeof found === 'string' ? found : found.state}`);
    if (found === 'absent') return 'not-printed';
    if (found === 'unknown') return a4Unknown(deps, { jobName: intent.jobName });
    jobId = found.jobId;
  }
  if (!jobId) return 'not-printed';
  const deadline = deps.clock.monotonic() + RECOVERY_WAIT_MS;
  for (;;) {
    const state: PaperJobState = await printer.jobState(jobId);
    if (state === 'completed') return 'printed';
    if (state === 'failed') return 'not-printed';
    if (state === 'pending' || (state === 'printing' && deps.clock.monotonic() >= deadline)) {
      await printer.cancel(jobId);
      return (await printer.jobState(jobId)) === 'completed' ? 'printed' : 'not-printed';
    }
    if (state === 'unknown') return a4Unknown(deps, { jobId });
    await sleep(deps.clock, RECOVERY_POLL_MS);
  }
}

function a4Unknown(deps: RecoveryDeps, detail: Record<string, string>): DocFate {
  deps.incidents?.record({ kind: 'a4-job-unknown', detail: { recovery: 'a4 job state unknown', ...detail } });
  return 'printed';
}
