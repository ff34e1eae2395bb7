import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CardPrinterSimulator } from '../../drivers/card-printer/index.ts';
import { ROOT } from '../../kiosk/app.ts';
import { CentralApiSimulator } from '../../kiosk/central-api/sim/server.ts';
import type { FlatView } from '../../kiosk/view.ts';
import { startKiosk, type TestKiosk, waitForView } from '../support/kiosk.ts';
import { KioskProcess } from '../support/kiosk-process.ts';

/**
 * The hardware kiosks ship with (issue "The hardware kiosks really ship with"), on the card printer
 * simulator served on a pty with the real serial driver: a print head that cools down mid-session, an
 * exit bezel whose card is taken early, late or never, and a crash while a card waits in the bezel.
 */
let dir: string;
let kiosk: TestKiosk | undefined;
const served: Array<{ close(): Promise<void> }> = [];
const printers: CardPrinterSimulator[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'adm-bezel-'));
});
afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
  for (const s of served.splice(0)) await s.close();
  for (const p of printers.splice(0)) await p.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const APP = '3574-KIA-2611-000123';

async function printerOnPty(name: string, opts: { bezel?: boolean; coolingSeconds?: number }) {
  const printer = new CardPrinterSimulator({
    stateDir: join(dir, name),
    timeFactor: 0.05,
    blankCards: 50,
    ...opts,
  });
  printers.push(printer);
  const pty = await printer.serveOnPty(join(dir, `tty-${name}`));
  if ('error' in pty) throw new Error(pty.error);
  served.push(pty);
  return { printer, path: join(dir, `tty-${name}`) };
}

async function toConfirm(k: TestKiosk): Promise<void> {
  await waitForView(k, (v) => v.screen === 'home');
  k.scan(await k.central.mintPrintCode(APP));
  await waitForView(k, (v) => v.screen === 'confirm', 20_000);
}

async function startWith(
  path: string,
  cardTakeSeconds = 10,
  delays?: { collectMs: number },
): Promise<TestKiosk> {
  kiosk = await startKiosk({
    ...(delays ? { delays } : {}),
    devices: {
      cardPrinter: { driver: 'serial', path, cardTakeSeconds },
      paperPrinter: { driver: 'sim', timeFactor: 0.01, paperSheets: 50 },
      scanner: { driver: 'sim' },
    },
  });
  return kiosk;
}

describe('a print head that cools down', () => {
  it('mid-session: the applicant is told, the claim stays, the card prints once the head has cooled', async () => {
    const { printer, path } = await printerOnPty('cool', { coolingSeconds: 40 });
    const k = await startWith(path);
    await toConfirm(k);
    printer.startCooling();
    const seen: FlatView[] = [];
    const off = k.app.core.subscribe((v) => seen.push(v));
    k.app.core.send({ type: 'confirm' });
    await waitForView(k, (v) => v.screen === 'collect' || v.screen === 'error', 60_000);
    off();
    expect(k.app.core.currentView().screen).toBe('collect');
    expect(seen.some((v) => v.printing?.cooling !== undefined)).toBe(true);
    await k.app.outbox.flush(true);
    expect(k.central.completionsOf(APP)).toBe(1);
    expect(k.central.records.releases).toHaveLength(0);
    expect(printer.coolings).toBe(1);
  }, 90_000);
});

describe('an exit bezel', () => {
  for (const [name, takeAfterMs] of [
    ['taken at once (1 s)', 1_000],
    ['taken at the last moment (9 s of 10)', 9_000],
  ] as const) {
    it(`card ${name}: on to the survey, nothing drawn back`, async () => {
      const { printer, path } = await printerOnPty(`take-${takeAfterMs}`, { bezel: true });
      const k = await startWith(path, 10);
      await toConfirm(k);
      k.app.core.send({ type: 'confirm' });
      await waitForView(k, (v) => v.screen === 'collect', 30_000);
      await new Promise((r) => setTimeout(r, takeAfterMs));
      expect(printer.takeCard()).toBe(true);
      const next = await waitForView(k, (v) => v.screen === 'survey' || v.collect?.notTaken === true, 30_000);
      expect(next.screen).toBe('survey');
      expect(printer.returned).toBe(0);
      await k.app.outbox.flush(true);
      expect(k.central.completionsOf(APP)).toBe(1);
    }, 60_000);
  }

  it('the time to take is cardTakeSeconds from the collect screen, however long that screen is set to show', async () => {
    const { printer, path } = await printerOnPty('short-collect', { bezel: true });
    // collect shows 1 s before the bezel is watched; the card may still be taken until 10 s.
    const k = await startWith(path, 10, { collectMs: 1_000 });
    await toConfirm(k);
    k.app.core.send({ type: 'confirm' });
    await waitForView(k, (v) => v.screen === 'collect', 30_000);
    await new Promise((r) => setTimeout(r, 7_000));
    expect(printer.takeCard()).toBe(true);
    const next = await waitForView(k, (v) => v.screen === 'survey' || v.collect?.notTaken === true, 30_000);
    expect(next.screen).toBe('survey');
    expect(printer.returned).toBe(0);
  }, 60_000);

  it('card never taken: drawn back, still complete, the applicant sent to the counter with a reference', async () => {
    const { printer, path } = await printerOnPty('never', { bezel: true });
    const k = await startWith(path, 10);
    await toConfirm(k);
    k.app.core.send({ type: 'confirm' });
    const v = await waitForView(k, (x) => x.collect?.notTaken === true, 40_000);
    expect(v.reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(printer.returned).toBe(1);
    expect(printer.cardInBezel).toBe(false);
    await k.app.outbox.flush(true);
    expect(k.central.completionsOf(APP)).toBe(1);
    expect(k.central.records.handoffs.map((h) => h.body.reason)).toContain('card-not-taken');
    expect(k.app.incidents.open().some((i) => i.kind === 'card-not-taken')).toBe(true);
  }, 60_000);

  it('a crash while the card waits in the bezel: at the restart it is drawn back and the session settles as printed', async () => {
    const { printer, path } = await printerOnPty('crash', { bezel: true });
    const central = await CentralApiSimulator.start();
    const base = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    delete base.centralApiSim;
    const caseDir = mkdtempSync(join(dir, 'crash-'));
    const configPath = KioskProcess.writeConfig(caseDir, {
      ...base,
      centralApi: { baseUrl: central.baseUrl, token: 'sim-token', timeoutMs: 2000 },
      devices: {
        cardPrinter: { driver: 'serial', path },
        paperPrinter: { driver: 'sim', timeFactor: 0.01 },
        scanner: { driver: 'sim' },
      },
      dataDir: join(caseDir, 'data'),
      host: { kind: 'browser', port: 0 },
    });
    let proc = new KioskProcess(configPath);
    try {
      await proc.start();
      // The completion is held back, so the crash finds it still owed.
      central.setFault('complete', { kind: 'hang' });
      proc.scan(await central.mintPrintCode(APP));
      await proc.waitFor((v) => v.screen === 'confirm');
      await proc.send({ type: 'confirm' });
      await proc.waitFor((v) => v.screen === 'collect', 30_000);
      expect(printer.cardInBezel).toBe(true);
      await proc.kill('SIGKILL');
      central.clearFaults();
      proc = new KioskProcess(configPath);
      await proc.start();
      const end = Date.now() + 20_000;
      while (Date.now() < end && (printer.cardInBezel || central.completionsOf(APP) < 1))
        await new Promise((r) => setTimeout(r, 50));
      expect(printer.cardInBezel).toBe(false);
      expect(printer.returned).toBe(1);
      expect(central.completionsOf(APP)).toBe(1);
      expect(central.liveClaims()).toHaveLength(0);
    } finally {
      await proc.kill('SIGKILL');
      await central.close();
    }
  }, 90_000);
});
