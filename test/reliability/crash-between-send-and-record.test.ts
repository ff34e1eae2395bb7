import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../kiosk/app.ts';
import { CentralApiSimulator } from '../../kiosk/central-api/sim/server.ts';
import { openDb } from '../../kiosk/store/db.ts';
import { type Cupsd, printedFiles, startCupsd } from '../support/cupsd.ts';
import { KioskProcess } from '../support/kiosk-process.ts';

/**
 * Issue "Never twice", items 2 and 3: the kiosk dies after the other side acted and before its journal
 * recorded it. Each case runs the kiosk as its own process, kills it (SIGKILL, a power cut) once the
 * other side acted, and takes out of its SQLite journal the record the crash would have prevented (the
 * window is a few microseconds wide; the file is then exactly what such a crash leaves). After the
 * restart, recovery must learn from the other side what happened: no second print, no dangling claim.
 */
let cups: Cupsd;
let dir: string;

beforeAll(async () => {
  cups = await startCupsd();
  process.env.CUPS_SERVER = cups.server;
  dir = mkdtempSync(join(tmpdir(), 'adm-intent-'));
}, 60_000);

afterAll(async () => {
  await cups?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, central: CentralApiSimulator, paper: Record<string, unknown>): string {
  const caseDir = mkdtempSync(join(dir, `${name}-`));
  const base = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8')) as Record<string, unknown>;
  delete base.centralApiSim;
  return KioskProcess.writeConfig(caseDir, {
    ...base,
    centralApi: { baseUrl: central.baseUrl, token: 'sim-token', timeoutMs: 2000 },
    devices: {
      cardPrinter: { driver: 'sim', timeFactor: 0.01, blankCards: 20 },
      paperPrinter: paper,
      scanner: { driver: 'sim' },
    },
    dataDir: join(caseDir, 'data'),
    host: { kind: 'browser', port: 0 },
  });
}

/** Deletes journal steps of the given kinds: what the data folder holds after a crash before they were written. */
function unrecord(configPath: string, steps: string[]): number {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as { dataDir: string };
  const db = openDb(config.dataDir);
  try {
    const marks = steps.map(() => '?').join(',');
    const n = db.prepare(`DELETE FROM session_steps WHERE step IN (${marks})`).run(...steps).changes;
    db.prepare('UPDATE sessions SET claim_id = NULL WHERE closed_at IS NULL').run();
    return n;
  } finally {
    db.close();
  }
}

async function until(pred: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a crash between sending and recording', () => {
  it('claim granted, not yet recorded: at restart the claim is learnt with the same key and released', async () => {
    const central = await CentralApiSimulator.start();
    const configPath = writeConfig('claim', central, { driver: 'sim', timeFactor: 0.01, paperSheets: 50 });
    let kiosk = new KioskProcess(configPath);
    try {
      const no = '3574-KIA-2611-000123';
      await kiosk.start();
      kiosk.scan(await central.mintPrintCode(no));
      await kiosk.waitFor((v) => v.screen === 'confirm');
      expect(central.liveClaims()).toHaveLength(1);
      await kiosk.kill('SIGKILL');
      expect(unrecord(configPath, ['claimed', 'downloaded'])).toBeGreaterThan(0);

      kiosk = new KioskProcess(configPath);
      await kiosk.start();
      await until(() => central.liveClaims().length === 0);
      const claims = central.records.claims.filter((c) => c.applicationNo === no);
      // The repeat was the same request: the API answered the first claim again, it made no second one.
      expect(claims).toHaveLength(1);
      expect(central.records.releases.map((r) => r.reason)).toEqual(['INTERRUPTED']);
      expect(central.completionsOf(no)).toBe(0);
    } finally {
      await kiosk.kill('SIGKILL');
      await central.close();
    }
  }, 90_000);

  it('A4 job accepted by CUPS, not yet recorded: at restart CUPS is asked by the job name, completed once, never printed again', async () => {
    const central = await CentralApiSimulator.start();
    const configPath = writeConfig('a4', central, { driver: 'cups', queue: cups.queue });
    let kiosk = new KioskProcess(configPath);
    try {
      const no = '3574-BIO-2611-000350';
      const printedBefore = (await printedFiles(cups.outDir)).length;
      await kiosk.start();
      kiosk.scan(await central.mintPrintCode(no));
      await kiosk.waitFor((v) => v.screen === 'confirm');
      // The completion must not get out before the crash: the API holds it.
      central.setFault('complete', { kind: 'hang' });
      await kiosk.send({ type: 'confirm' });
      // CUPS has the job (and prints it); the kiosk dies before it could record anything more.
      await until(async () => (await printedFiles(cups.outDir)).length > printedBefore, 30_000);
      await kiosk.kill('SIGKILL');
      unrecord(configPath, ['a4-submitted', 'a4-after', 'completion-queued', 'closed']);
      const db = openDb((JSON.parse(readFileSync(configPath, 'utf8')) as { dataDir: string }).dataDir);
      const intent = db.prepare("SELECT data FROM session_steps WHERE step = 'a4-intent'").get() as {
        data: string;
      };
      const { jobName } = JSON.parse(intent.data) as { jobName: string };
      db.prepare("DELETE FROM outbox WHERE kind = 'complete'").run();
      db.prepare('UPDATE sessions SET closed_at = NULL, outcome = NULL').run();
      db.close();
      // The job's name carries the session reference, never the application number.
      expect(jobName).toMatch(/^ADM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-1$/);
      central.clearFaults();

      kiosk = new KioskProcess(configPath);
      await kiosk.start();
      await until(() => central.completionsOf(no) === 1 && central.liveClaims().length === 0).catch((e) => {
        throw new Error(
          `${(e as Error).message}: ${JSON.stringify(central.records.releases)} ${kiosk.stderr}`,
        );
      });
      expect(central.records.releases).toHaveLength(0);
      expect(central.records.completions.at(-1)!.body).toMatchObject({ pagesPrinted: 1 });

      // The application is printed: the same code again is refused, and CUPS printed it once.
      await kiosk.waitFor((v) => v.screen === 'home');
      kiosk.scan(await central.mintPrintCode(no));
      const again = await kiosk.waitFor((v) => v.screen === 'error' || v.screen === 'confirm');
      expect(again).toMatchObject({ screen: 'error', reason: 'already-printed' });
      expect((await printedFiles(cups.outDir)).length).toBe(printedBefore + 1);
    } finally {
      await kiosk.kill('SIGKILL');
      await central.close();
    }
  }, 120_000);
});
