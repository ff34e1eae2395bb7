import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardPrinterSimulator } from '../../drivers/card-printer/index.ts';
import { systemClock } from '../../drivers/shared/clock.ts';
import { ROOT } from '../../kiosk/app.ts';
import { CentralApiSimulator } from '../../kiosk/central-api/sim/server.ts';
import { Journal } from '../../kiosk/journal/journal.ts';
import { CardLedger } from '../../kiosk/ledger/ledger.ts';
import { openDb } from '../../kiosk/store/db.ts';
import { KioskProcess } from '../support/kiosk-process.ts';

/**
 * Power cuts (SIGKILL) at each step of a print. The card printer simulator runs in this process on a
 * real pty and keeps going while the kiosk is dead, as a real printer would; the central API simulator
 * outlives the kiosk too. After the restart: exactly one completion per printed card, no double print,
 * no dangling claim, and the journal agrees with the simulator.
 */
let dir: string;
let printer: CardPrinterSimulator;
let pty: { path: string; close: () => Promise<void> };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adm-crash-'));
  printer = new CardPrinterSimulator({ stateDir: join(dir, 'printer'), timeFactor: 0.1, blankCards: 50 });
  await plugIn();
});

/**
 * (Re)connects the printer on a fresh pty at the same path. A pty disappears when the process holding
 * its other end dies, which a real serial line does not: each kiosk start gets the cable plugged in again.
 */
async function plugIn(): Promise<void> {
  await pty?.close();
  const served = await printer.serveOnPty(join(dir, 'ttyCARD'));
  if ('error' in served) throw new Error(served.error);
  pty = served;
}
afterAll(async () => {
  await pty?.close();
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
});

type KillPoint = 'after-claim' | 'after-feed' | 'after-eject' | 'while-outbox-sends';

async function runCase(point: KillPoint) {
  const central = await CentralApiSimulator.start();
  const caseDir = mkdtempSync(join(dir, `${point}-`));
  const base = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8')) as Record<string, unknown>;
  delete base.centralApiSim;
  const configPath = KioskProcess.writeConfig(caseDir, {
    ...base,
    centralApi: { baseUrl: central.baseUrl, token: 'sim-token', timeoutMs: 1000 },
    devices: {
      cardPrinter: { driver: 'serial', path: join(dir, 'ttyCARD') },
      paperPrinter: { driver: 'sim', timeFactor: 0.01 },
      scanner: { driver: 'sim' },
    },
    dataDir: join(caseDir, 'data'),
    host: { kind: 'browser', port: 0 },
  });
  // A technician loaded the blank cards: the ledger counts them (the printer only senses "empty").
  const seedDb = openDb(join(caseDir, 'data'));
  const ledger = new CardLedger(seedDb, { clock: systemClock });
  ledger.ensureBaseline(printer.counters);
  ledger.load(printer.blankCards, 'T-3574-01');
  seedDb.close();
  const no = '3574-KIA-2611-000123';
  const cardsBefore = printer.counters.total;
  let kiosk = new KioskProcess(configPath);
  diagnose = () =>
    `hb ${JSON.stringify(central.records.heartbeats.at(-1)?.body)} printer ${printer.state} blank ${printer.blankCards} total ${printer.counters.total}; view ${JSON.stringify(kiosk.latest)?.slice(0, 300)}; ${kiosk.stderr.slice(-500)}`;
  try {
    await plugIn();
    await kiosk.start();
    kiosk.scan(await central.mintPrintCode(no));
    await kiosk
      .waitFor((v) => v.screen === 'confirm')
      .catch((e) => {
        throw new Error(`${(e as Error).message}\nprinter: ${printer.state}\n${kiosk.stderr}`);
      });
    if (point === 'after-claim') {
      expect(central.liveClaims()).toHaveLength(1);
      await kiosk.kill('SIGKILL');
    } else {
      if (point === 'after-eject' || point === 'while-outbox-sends')
        central.setFault('complete', { kind: 'hang' });
      const blankBefore = printer.blankCards;
      await kiosk.send({ type: 'confirm' });
      if (point === 'after-feed') await until(() => printer.blankCards < blankBefore);
      if (point === 'after-eject') await until(() => printer.counters.total > cardsBefore);
      if (point === 'while-outbox-sends')
        await until(() => central.records.requests.some((r) => r.path.endsWith('/complete')));
      await kiosk.kill('SIGKILL');
    }
    central.clearFaults();
    // The printer finishes what it was doing while the kiosk is dead.
    await until(() => printer.state !== 'PRINTING');

    kiosk = new KioskProcess(configPath);
    await plugIn();
    await kiosk.start();
    const printed = printer.counters.total - cardsBefore;
    await until(() => central.completionsOf(no) === printed && central.liveClaims().length === 0, 15_000);
    await kiosk.kill('SIGTERM');

    const claims = central.records.claims.filter((c) => c.applicationNo === no);
    expect(claims).toHaveLength(1);
    expect(central.completionsOf(no)).toBe(printed);
    expect(printed).toBeLessThanOrEqual(1);
    expect(claims[0]!.state).toBe(printed === 1 ? 'completed' : 'released');
    if (printed === 0) expect(central.records.releases[0]!.reason).toBe('INTERRUPTED');
    if (printed === 1) expect(central.records.completions[0]!.body).toMatchObject({ cardsPrinted: 1 });
    // The journal agrees: nothing left open, nothing left to send.
    const db = openDb(join(caseDir, 'data'));
    try {
      const journal = new Journal(db, systemClock);
      expect(journal.openSessions()).toHaveLength(0);
      const pending = db
        .prepare(
          "SELECT count(*) AS n FROM outbox WHERE state = 'pending' AND kind IN ('complete','release')",
        )
        .get() as { n: number };
      expect(pending.n).toBe(0);
    } finally {
      db.close();
    }
    return printed;
  } finally {
    await kiosk.kill('SIGKILL');
    await central.close();
  }
}

let diagnose: () => string = () => '';

async function until(pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`condition not met in time: ${diagnose()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SIGKILL at each step of a print, then a restart', () => {
  it('after the claim: the claim is released INTERRUPTED, nothing printed', async () => {
    expect(await runCase('after-claim')).toBe(0);
  }, 60_000);
  it('after the card was fed: the card comes out and is completed once', async () => {
    expect(await runCase('after-feed')).toBe(1);
  }, 60_000);
  it('after the card was ejected, before complete: completed once', async () => {
    expect(await runCase('after-eject')).toBe(1);
  }, 60_000);
  it('while the outbox sends complete: the resend is the same request, completed once', async () => {
    expect(await runCase('while-outbox-sends')).toBe(1);
  }, 60_000);
});
