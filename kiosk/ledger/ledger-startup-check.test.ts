import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCardPrinter, renderTestPattern } from '../../drivers/card-printer/index.ts';
import type { CardCounters, CardPrinter } from '../../drivers/card-printer/types.ts';
import { systemClock } from '../../drivers/shared/clock.ts';
import { Incidents } from '../incidents/incidents.ts';
import { openDb } from '../store/db.ts';
import { CardLedger } from './ledger.ts';
import { checkLedgerAtStart } from './startup-check.ts';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function counters(printer: CardPrinter): Promise<CardCounters> {
  const c = await printer.readCounters();
  if (!c.ok) throw new Error(`counters: ${JSON.stringify(c.error)}`);
  return c.value;
}

/** The real card printer simulator through the real protocol driver, and a ledger loaded with 10 cards. */
async function printerAndLedger(opts: { bezel?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'adm-ledger-start-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const { printer } = await openCardPrinter({
    driver: 'sim',
    stateDir: join(dir, 'sim'),
    timeFactor: 0.001,
    blankCards: 10,
    ...opts,
  });
  cleanup.push(() => printer.close());
  const db = openDb(join(dir, 'data'));
  cleanup.push(() => {
    db.close();
  });
  const incidents = new Incidents(db);
  const ledger = new CardLedger(db, { incidents });
  ledger.setBaseline(await counters(printer));
  ledger.load(10, 'T-1');
  return { printer, incidents, ledger };
}

describe('start-up comparison of the blank-card ledger with the printer counters', () => {
  it('turns every counter the ledger does not account for into an incident naming it (Rco;tc, Rco;sc, Rco;rt)', async () => {
    const { printer, incidents, ledger } = await printerAndLedger();
    const panels = (await renderTestPattern()).panels;

    // A card printed and booked: the counts agree.
    ledger.feedStarted(await counters(printer));
    ledger.recordOutcome(await printer.printCard(panels));
    expect(ledger.compareWithPrinter(await counters(printer))).toEqual({ status: 'match' });

    // A card printed whose booking a power cut undid (the feed was never journaled either).
    const lost = await printer.printCard(panels);
    expect(lost.kind).toBe('printed');
    const now = await counters(printer);
    const r = ledger.compareWithPrinter(now);
    expect(r).toMatchObject({
      status: 'differs',
      differences: [{ count: 'Rco;tc', ledger: 1, printer: 2, reading: now.total }],
    });
    const open = incidents.open().filter((i) => i.kind === 'ledger-mismatch');
    expect(open).toHaveLength(1);
    expect(open[0]!.detail).toMatchObject({ count: 'Rco;tc', ledger: 1, printer: 2 });
    // The same difference at the next start is the same incident, not a second one.
    ledger.compareWithPrinter(now);
    expect(incidents.open().filter((i) => i.kind === 'ledger-mismatch')).toHaveLength(1);

    // A spoiled card and a card drawn back from the bezel that the ledger never heard of.
    const withBezel = { total: now.total, spoiled: now.spoiled + 1, retracted: 4 };
    expect(ledger.compareWithPrinter(withBezel)).toMatchObject({
      status: 'differs',
      differences: [{ count: 'Rco;tc' }, { count: 'Rco;sc', ledger: 0, printer: 1 }],
    });
    ledger.retracted(5, { sessionId: 's-1' });
    const r2 = ledger.compareWithPrinter({ ...withBezel, retracted: 6 });
    expect(r2.status === 'differs' && r2.differences.map((d) => d.count)).toEqual([
      'Rco;tc',
      'Rco;sc',
      'Rco;rt',
    ]);
    expect(r2).toMatchObject({ differences: [{}, {}, { count: 'Rco;rt', ledger: 1, printer: 2 }] });
    expect(
      incidents
        .open()
        .filter((i) => i.kind === 'ledger-mismatch')
        .map((i) => i.detail.count),
    ).toEqual(['Rco;tc', 'Rco;sc', 'Rco;rt']);
  });

  it('at start, books a feed a power cut left pending from the counters, then finds the counts agree', async () => {
    const { printer, incidents, ledger } = await printerAndLedger();
    // The feed was journaled, the card came out, and the power went before the outcome was booked.
    ledger.feedStarted(await counters(printer));
    expect((await printer.printCard((await renderTestPattern()).panels)).kind).toBe('printed');
    expect(await checkLedgerAtStart(ledger, printer, { clock: systemClock })).toEqual({ status: 'match' });
    expect(ledger.totals().printed).toBe(1);
    expect(incidents.open()).toEqual([]);
    // A printer that never answers: no guess, and no wait beyond the limit.
    const silent: CardPrinter = Object.assign(Object.create(printer) as CardPrinter, {
      getStatus: async () => ({ state: 'OFFLINE' as const }),
    });
    const r = await checkLedgerAtStart(ledger, silent, { clock: systemClock, waitMs: 600 });
    expect(r).toEqual({ status: 'printer-unreadable' });
  });

  it('at start, compares Rco;rt from the counters the printer gives: a card drawn back and not booked differs', async () => {
    const { printer, ledger } = await printerAndLedger({ bezel: true });
    // The first start reads Rco;rt as its baseline.
    expect(await checkLedgerAtStart(ledger, printer, { clock: systemClock })).toEqual({ status: 'match' });
    ledger.feedStarted(await counters(printer));
    ledger.recordOutcome(await printer.printCard((await renderTestPattern()).panels));
    expect((await printer.drawBackCard!()).ok).toBe(true);
    expect(await checkLedgerAtStart(ledger, printer, { clock: systemClock })).toMatchObject({
      status: 'differs',
      differences: [{ count: 'Rco;rt', ledger: 0, printer: 1, reading: 1 }],
    });
    ledger.retracted((await counters(printer)).returned!);
    expect(await checkLedgerAtStart(ledger, printer, { clock: systemClock })).toEqual({ status: 'match' });
  });
});
