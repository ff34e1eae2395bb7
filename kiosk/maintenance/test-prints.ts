import type { MaintenanceDeps } from './deps.ts';
import { a4TestPage, cardTestPattern } from './test-pattern.ts';

/** What a test print needs of the kiosk. */
export type TestPrintDeps = Pick<
  MaintenanceDeps,
  | 'cardPrinter'
  | 'paperPrinter'
  | 'testPrintCard'
  | 'testPrintA4'
  | 'cardLedger'
  | 'paperLedger'
  | 'kioskId'
  | 'clock'
>;

/** A test card, booked in the ledger as a test print; refused with no blank card left. */
export async function testPrintCard(
  d: TestPrintDeps,
  recordFault: (device: 'card' | 'paper', state: string) => void,
): Promise<string> {
  if (!d.cardPrinter && !d.testPrintCard) return 'no-device';
  if (d.cardLedger.totals().loaded > 0 && d.cardLedger.remaining() < 1) return 'no-cards';
  // The feed is journaled before the card moves, so a crash mid-print is recovered from the counters.
  if (d.cardPrinter) {
    const before = await d.cardPrinter.readCounters();
    if (!before.ok) return before.error;
    d.cardLedger.feedStarted(before.value, { service: 'TEST' });
  }
  const outcome = d.testPrintCard
    ? await d.testPrintCard()
    : await d.cardPrinter!.printCard(cardTestPattern());
  d.cardLedger.recordOutcome(outcome, { service: 'TEST' });
  if (outcome.kind === 'printed') return 'printed';
  recordFault('card', outcome.fault);
  return outcome.fault;
}

/** A test page, booked in the paper ledger as a test print; refused with no paper left (never below 0). */
export async function testPrintA4(
  d: TestPrintDeps,
  recordFault: (device: 'card' | 'paper', state: string) => void,
): Promise<string> {
  if (!d.paperPrinter && !d.testPrintA4) return 'no-device';
  if (d.paperLedger.remaining() < 1) return 'no-paper';
  const r = d.testPrintA4
    ? await d.testPrintA4()
    : await d.paperPrinter!.print({
        pdf: await a4TestPage(d.kioskId, d.clock.now()),
        expectedPages: 1,
        jobName: 'ADM-TEST',
      });
  if (r.ok) {
    d.paperLedger.printed(Math.min(r.value.pages, d.paperLedger.remaining()), { service: 'TEST' });
    return 'printed';
  }
  const fault = r.error.kind === 'refused' || r.error.kind === 'failed' ? r.error.fault : r.error.kind;
  if (r.error.kind === 'failed') d.paperLedger.spoiled(1, fault, { service: 'TEST' });
  recordFault('paper', fault);
  return fault;
}

/** The notice key for a test print that did not print. */
export function refusalKey(reason: string): string {
  return reason === 'no-paper' || reason === 'no-cards' || reason === 'no-device'
    ? `test-print-${reason}`
    : 'test-print-failed';
}
