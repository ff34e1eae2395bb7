import type { CardPrinter, CardPrinterFault, CardPrintOutcome } from '../../drivers/card-printer/types.ts';
import { sleep } from '../../drivers/shared/clock.ts';
import type { PrintDecision } from '../flow/machine.ts';
import type { FetchedDocument, SessionData } from '../flow/session-data.ts';
import { TIMINGS } from '../flow/timings.ts';
import type { SessionStep } from '../journal/journal.ts';
import type { PrintingProgress } from '../view.ts';
import { awaitCardFate, type CardFate } from './card-fate.ts';
import type { KioskCoreDeps } from './deps.ts';
import type { SessionRecord } from './session-record.ts';
import type { Settlement } from './settlement.ts';

/** Seconds a card takes on a real printer, for the words on the `printing` screen. */
const CARD_SECONDS = 21;
const A4_SECONDS_PER_PAGE = 5;
const CARD_STEP_PROGRESS = {
  'sequence-started': 0.05,
  'panels-sent': 0.2,
  'card-fed': 0.3,
  'card-ejected': 1,
};

/** What printing tells the rest of the core while it runs. */
export interface PrintingEvents {
  progress(p: PrintingProgress | undefined): void;
  /** A card's fate stayed unknown: card service is held until the printer answers and it is settled. */
  cardUndecided(): void;
  /** Something failed: the devices should be read again at once. */
  devicesChanged(): void;
  /** The printer refused a card because its head is cooling (counted for the metrics and the technician). */
  cooling(): void;
  stopped(): boolean;
}

/** The first `printing` View before any progress is reported. */
export function initialProgress(): PrintingProgress {
  return { medium: 'CARD', index: 1, of: 1, progress: 0, etaSeconds: CARD_SECONDS };
}

/**
 * Prints a confirmed session's documents in order (path steps 6 to 8), then settles it: `complete` with
 * what came out as soon as anything did, `release` with DEVICE_FAULT when nothing did, and neither while
 * a card's fate is unknown (it is settled from the printer's counters once the printer answers).
 */
export class Printing {
  constructor(
    private readonly deps: KioskCoreDeps,
    private readonly record: SessionRecord,
    private readonly settlement: Settlement,
    private readonly events: PrintingEvents,
  ) {}

  /** What the `printing` screen shows now. */
  private shown: PrintingProgress | undefined;
  /** The session whose `confirmed` step is still to be journaled with its first printing step. */
  private unjournaledConfirm: SessionData | undefined;

  /**
   * Journals a step of the printing (none: only what is pending). The applicant's `confirmed` goes with
   * the first one, in one transaction: one write to disk fewer between the applicant's touch and the
   * printer (a synchronous commit with its fsync, several milliseconds on a kiosk's flash). Nothing is
   * lost by it: `confirmed` is a record for people, and recovery decides from the steps after it.
   */
  private step(s: SessionData, step: SessionStep | undefined): void {
    if (this.unjournaledConfirm !== s) {
      if (step) this.record.step(s, step);
      return;
    }
    this.unjournaledConfirm = undefined;
    this.deps.journal.transaction(() => {
      this.record.step(s, { step: 'confirmed' });
      if (step) this.record.step(s, step);
    });
  }

  private show(p: PrintingProgress | undefined): void {
    this.shown = p;
    this.events.progress(p);
  }

  async printAll(s: SessionData | undefined): Promise<PrintDecision> {
    if (!s?.claim || !s.application) return { next: 'error', reason: 'device-fault' };
    // Journaled with the first step of the printing, in its transaction (see `step`).
    this.unjournaledConfirm = s;
    this.deps.metrics?.stepStart('confirm_to_print_start');
    let failed = false;
    const total = s.documents.length;
    for (const [index, d] of s.documents.entries()) {
      const medium = d.doc.medium;
      const eta = medium === 'CARD' ? CARD_SECONDS : A4_SECONDS_PER_PAGE * (d.doc.pages ?? 1);
      let progress: PrintingProgress = {
        medium,
        index: index + 1,
        of: total,
        progress: index / total,
        etaSeconds: eta,
      };
      this.show(progress);
      const started = this.deps.clock.monotonic();
      const ok =
        medium === 'CARD'
          ? await this.printCard(s, d, (step) => {
              progress = {
                ...progress,
                progress: Math.max(progress.progress, CARD_STEP_PROGRESS[step]),
                etaSeconds: Math.max(
                  1,
                  CARD_SECONDS - Math.round((this.deps.clock.monotonic() - started) / 1000),
                ),
              };
              this.show(progress);
            })
          : await this.printA4(s, d, index);
      if (!ok) {
        failed = true;
        break;
      }
      s.printed.documents++;
      this.deps.metrics?.documentPrinted(s.application.service, medium);
    }
    if (this.unjournaledConfirm === s) this.step(s, undefined);
    this.deps.metrics?.stepStart('print_end_to_collect');
    this.show(undefined);
    if (s.printed.documents === 0 && s.cardOutcomeUnknown) {
      // The card may be out: releasing could let it print twice, completing could lose it. The session
      // stays open in the journal and is settled from the counters as soon as the printer answers.
      s.settled = true;
      s.leaveOpen = true;
      s.outcome = 'fault';
      this.events.cardUndecided();
      this.deps.incidents?.record({
        kind: 'card-outcome-unknown',
        applicationNo: s.application.applicationNo,
        claimId: s.claim.claimId,
        detail: { waitedMs: TIMINGS.cardOutcomeWaitMs },
      });
      this.record.refused(s, 'device-fault');
      this.events.devicesChanged();
      return { next: 'error', reason: 'device-fault' };
    }
    if (s.printed.documents === 0) {
      this.settlement.releaseSession(s, 'DEVICE_FAULT', 'the printer failed before anything came out');
      s.outcome = 'fault';
      this.record.refused(s, 'device-fault');
      this.events.devicesChanged();
      return { next: 'error', reason: 'device-fault' };
    }
    this.settlement.completeSession(s);
    if (failed) {
      s.outcome = 'partial';
      this.deps.incidents?.record({
        kind: 'partial-print',
        applicationNo: s.application.applicationNo,
        claimId: s.claim.claimId,
        detail: { printed: s.printed.documents, of: total },
      });
      this.events.devicesChanged();
    } else {
      s.outcome = 'printed';
    }
    return { next: 'collect', incomplete: failed };
  }

  private async printCard(
    s: SessionData,
    d: FetchedDocument,
    onStep: (step: keyof typeof CARD_STEP_PROGRESS) => void,
  ): Promise<boolean> {
    const printer = this.deps.devices.cardPrinter;
    if (!printer || !d.card) return false;
    const before = await printer.readCounters();
    if (!before.ok) return false;
    const documentId = d.doc.documentId;
    this.step(s, {
      step: 'card-before',
      documentId,
      total: before.value.total,
      spoiled: before.value.spoiled,
    });
    const ref = {
      applicationNo: s.application?.applicationNo,
      sessionId: s.sessionId,
      service: s.application?.service,
    };
    const feed = () => {
      this.deps.ledger?.feedStarted(before.value, ref);
      this.deps.metrics?.stepEnd('confirm_to_print_start');
      return printer.printCard(panels, (step) => {
        this.record.step(s, { step: 'card-progress', documentId, at: step });
        onStep(step);
      });
    };
    const panels = d.card.panels;
    let outcome = await feed();
    // A print head that is too hot refuses the card without feeding it (not a fault): the claim stays,
    // the applicant is told, and the same card goes again once the printer is READY, within a margin.
    while (outcome.kind === 'cooling' || outcome.kind === 'card-waiting') {
      this.deps.ledger?.recordOutcome(outcome, ref);
      if (outcome.kind === 'cooling') this.events.cooling();
      const ready = await this.waitUntilReady(printer, outcome.kind === 'cooling');
      if (!ready) {
        outcome = {
          kind: 'not-fed',
          before: outcome.before,
          after: outcome.after,
          fault: 'MECHANICAL_ERROR',
        };
        break;
      }
      outcome = await feed();
    }
    if (outcome.kind === 'unknown' && outcome.before) {
      // Neither complete nor release may be guessed: the printer, once it answers and is idle, says.
      // Meanwhile the applicant is told the kiosk is checking the printer (not a frozen bar).
      if (this.shown) this.show({ ...this.shown, checking: true });
      const fate = await awaitCardFate(printer, outcome.before, {
        clock: this.deps.clock,
        waitMs: TIMINGS.cardOutcomeWaitMs,
        pollMs: TIMINGS.cardOutcomePollMs,
        stopped: () => this.events.stopped(),
      });
      outcome = outcomeOfFate(fate.fate, outcome.before, fate.after, outcome.fault);
    }
    const after = 'after' in outcome ? outcome.after : undefined;
    this.record.step(s, {
      step: 'card-after',
      documentId,
      outcome: outcome.kind as 'printed' | 'spoiled' | 'not-fed' | 'unknown',
      ...(after ? { total: after.total, spoiled: after.spoiled } : {}),
    });
    this.deps.ledger?.recordOutcome(outcome, ref);
    if (outcome.kind === 'printed') {
      s.printed.cards++;
      return true;
    }
    if (outcome.kind === 'unknown') s.cardOutcomeUnknown = true;
    return false;
  }

  /**
   * Waits (on the monotonic clock) until the card printer can take the card again: cooled down, or the
   * previous card taken from the bezel. The `printing` screen counts down the usual cooling time honestly
   * (never below "almost done"). False when the margin the claim allows runs out.
   */
  private async waitUntilReady(printer: CardPrinter, cooling: boolean): Promise<boolean> {
    const clock = this.deps.clock;
    const since = clock.monotonic();
    for (;;) {
      const elapsed = clock.monotonic() - since;
      if (elapsed > TIMINGS.coolingLimitMs || this.events.stopped()) return false;
      if (cooling && this.shown)
        this.show({
          ...this.shown,
          cooling: { secondsLeft: Math.max(0, Math.ceil((TIMINGS.coolingUsualMs - elapsed) / 1000)) },
        });
      const status = await printer.getStatus();
      if (status.state === 'READY') {
        const bezel = await printer.readBezel?.();
        if (!bezel?.ok || bezel.value === 'EMPTY') return true;
      }
      await sleep(clock, TIMINGS.cardOutcomePollMs);
    }
  }

  /**
   * One A4 document as one spooler job. The intent (with the job's name, which carries the session
   * reference and never the application number) is journaled before the job is submitted, so after a
   * crash the spooler can be asked by name what became of it.
   */
  private async printA4(s: SessionData, d: FetchedDocument, index: number): Promise<boolean> {
    const printer = this.deps.devices.paperPrinter;
    if (!printer) return false;
    const pages = d.doc.pages ?? 1;
    const documentId = d.doc.documentId;
    const jobName = a4JobName(s, index);
    this.deps.metrics?.stepEnd('confirm_to_print_start');
    this.step(s, { step: 'a4-intent', documentId, jobName, pages });
    const r = await printer.print({ pdf: d.bytes, expectedPages: pages, jobName }, (job) => {
      this.record.step(s, { step: 'a4-submitted', documentId, jobId: job.jobId, pages: job.pages });
    });
    this.record.step(s, { step: 'a4-after', documentId, outcome: r.ok ? 'printed' : 'failed', pages });
    const ref = {
      applicationNo: s.application?.applicationNo,
      sessionId: s.sessionId,
      service: s.application?.service,
    };
    if (r.ok) {
      s.printed.pages += pages;
      this.deps.paperLedger?.printed(pages, ref);
    } else if (r.error.kind === 'failed') {
      // A job that failed part-way counts as not printed and its pages as spoiled (path step 8).
      this.deps.paperLedger?.spoiled(pages, r.error.fault, ref);
    }
    return r.ok;
  }
}

/** The spooler job name of a session's `index`th document: the reference (or session id), never personal data. */
export function a4JobName(s: Pick<SessionData, 'reference' | 'sessionId'>, index: number): string {
  return `ADM-${s.reference ?? s.sessionId}-${index + 1}`;
}

/** The driver's outcome once the card's fate is known from the printer's state and counters. */
function outcomeOfFate(
  fate: CardFate,
  before: NonNullable<Extract<CardPrintOutcome, { kind: 'unknown' }>['before']>,
  after: Extract<CardPrintOutcome, { kind: 'printed' }>['after'] | undefined,
  fault: CardPrinterFault,
): CardPrintOutcome {
  if (fate === 'unknown' || !after) return { kind: 'unknown', before, fault };
  if (fate === 'printed') return { kind: 'printed', before, after };
  if (fate === 'spoiled') return { kind: 'spoiled', before, after, fault };
  return { kind: 'not-fed', before, after, fault };
}
