import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CardPrinterSimulator } from '../../drivers/card-printer/index.ts';
import { ROOT } from '../../kiosk/app.ts';
import { CentralApiSimulator } from '../../kiosk/central-api/sim/server.ts';
import { openDb } from '../../kiosk/store/db.ts';
import { type Cupsd, printedFiles, startCupsd } from '../support/cupsd.ts';
import { KioskProcess } from '../support/kiosk-process.ts';

/**
 * Power cuts at random moments of real sessions, cards and A4, with the kiosk as its own process: the
 * card printer simulator on a pty and CUPS keep working while the kiosk is dead, as real devices do.
 * Besides kills at a random time after `confirm`, two kinds land in the narrow windows a random kill
 * almost never hits: between the API granting a claim and the journal recording it, and between CUPS
 * accepting a job and the journal recording it. For those the kiosk is killed just after the other side
 * acted, and its journal is cut back to just before the record (what the file holds after such a crash).
 *
 * After each restart the kiosk must settle: every document that came out is completed exactly once,
 * nothing that did not come out is completed, nothing prints twice, and no claim is left live.
 */
export type KillKind = 'claim-window' | 'job-window' | 'random-card' | 'random-a4';
const KINDS: KillKind[] = ['claim-window', 'job-window', 'random-card', 'random-a4'];

export interface ChaosReport {
  kills: number;
  byKind: Record<KillKind, number>;
  documentsOut: number;
  completions: number;
  releases: number;
  doublePrints: number;
  lostCompletions: number;
  completionsWithoutPrint: number;
  danglingClaims: number;
  failures: string[];
}

const CARD_APP = '3574-KIA-2611-000123';
const A4_APP = '3574-BIO-2611-000350';

/** A small deterministic generator, so a failing run can be repeated with its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

async function until(pred: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`not reached in ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The journal as a crash just before the newest `step` of the open session would have left it. */
function cutBefore(dataDir: string, step: string): boolean {
  const db = openDb(dataDir);
  try {
    const open = db
      .prepare('SELECT id FROM sessions WHERE closed_at IS NULL ORDER BY started_at DESC')
      .get() as { id: string } | undefined;
    const session =
      open?.id ??
      (
        db.prepare('SELECT id FROM sessions ORDER BY started_at DESC LIMIT 1').get() as
          | { id: string }
          | undefined
      )?.id;
    if (!session) return false;
    const at = db
      .prepare('SELECT min(seq) AS seq FROM session_steps WHERE session_id = ? AND step = ?')
      .get(session, step) as { seq: number | null };
    if (at.seq === null) return false;
    db.transaction(() => {
      const later = db
        .prepare('SELECT data FROM session_steps WHERE session_id = ? AND seq >= ?')
        .all(session, at.seq) as Array<{ data: string }>;
      for (const { data } of later) {
        const s = JSON.parse(data) as { outboxId?: string };
        if (s.outboxId) db.prepare('DELETE FROM outbox WHERE id = ?').run(s.outboxId);
      }
      db.prepare('DELETE FROM session_steps WHERE session_id = ? AND seq >= ?').run(session, at.seq);
      db.prepare('UPDATE sessions SET closed_at = NULL, outcome = NULL WHERE id = ?').run(session);
      if (step === 'claimed') db.prepare('UPDATE sessions SET claim_id = NULL WHERE id = ?').run(session);
    })();
    return true;
  } finally {
    db.close();
  }
}

/** Whether the kiosk has settled everything: no open session, nothing owed to the API. */
function settled(dataDir: string): boolean {
  const db = openDb(dataDir);
  try {
    const open = (
      db.prepare('SELECT count(*) AS n FROM sessions WHERE closed_at IS NULL').get() as { n: number }
    ).n;
    const owed = (
      db
        .prepare(
          "SELECT count(*) AS n FROM outbox WHERE state = 'pending' AND kind IN ('complete','release')",
        )
        .get() as { n: number }
    ).n;
    return open === 0 && owed === 0;
  } finally {
    db.close();
  }
}

export async function runChaos(opts: {
  kills: number;
  seed?: number;
  /** Take the kinds of kill in turn instead of at random (a short run then has each of them). */
  inTurn?: boolean;
  log?: (line: string) => void;
}): Promise<ChaosReport> {
  const rnd = random(opts.seed ?? 20261203);
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'adm-chaos-'));
  const report: ChaosReport = {
    kills: 0,
    byKind: { 'claim-window': 0, 'job-window': 0, 'random-card': 0, 'random-a4': 0 },
    documentsOut: 0,
    completions: 0,
    releases: 0,
    doublePrints: 0,
    lostCompletions: 0,
    completionsWithoutPrint: 0,
    danglingClaims: 0,
    failures: [],
  };
  let cups: Cupsd | undefined;
  let central: CentralApiSimulator | undefined;
  let kiosk: KioskProcess | undefined;
  let pty: { path: string; close: () => Promise<void> } | undefined;
  const printer = new CardPrinterSimulator({
    stateDir: join(dir, 'printer'),
    timeFactor: 0.1,
    blankCards: 10_000,
  });
  const plugIn = async () => {
    await pty?.close();
    const served = await printer.serveOnPty(join(dir, 'ttyCARD'));
    if ('error' in served) throw new Error(served.error);
    pty = served;
  };
  try {
    cups = await startCupsd();
    process.env.CUPS_SERVER = cups.server;
    central = await CentralApiSimulator.start();
    const dataDir = join(dir, 'data');
    const base = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    delete base.centralApiSim;
    const configPath = KioskProcess.writeConfig(dir, {
      ...base,
      centralApi: { baseUrl: central.baseUrl, token: 'sim-token', timeoutMs: 2000 },
      devices: {
        cardPrinter: { driver: 'serial', path: join(dir, 'ttyCARD') },
        paperPrinter: { driver: 'cups', queue: cups.queue },
        scanner: { driver: 'sim' },
      },
      dataDir,
      host: { kind: 'browser', port: 0 },
    });
    const start = async () => {
      await plugIn();
      kiosk = new KioskProcess(configPath);
      await kiosk.start(30_000);
    };
    await start();
    for (let i = 0; i < opts.kills; i++) {
      const kind = opts.inTurn ? KINDS[i % KINDS.length]! : KINDS[Math.floor(rnd() * KINDS.length)]!;
      const app = kind === 'random-card' || (kind === 'claim-window' && rnd() < 0.5) ? CARD_APP : A4_APP;
      const card = app === CARD_APP;
      central.setStatus(app, 'READY');
      const claimsBefore = central.records.claims.length;
      const cardsBefore = printer.counters.total;
      const pagesBefore = (await printedFiles(cups.outDir)).length;
      try {
        await kiosk!.waitFor((v) => v.screen === 'home', 30_000);
        kiosk!.scan(await central.mintPrintCode(app));
        await kiosk!.waitFor((v) => v.screen === 'confirm', 30_000);
        if (kind === 'claim-window') {
          await kiosk!.kill('SIGKILL');
          cutBefore(dataDir, 'claimed');
        } else if (kind === 'job-window') {
          // The completion cannot get out before the kill: the API holds it.
          central.setFault('complete', { kind: 'hang' });
          await kiosk!.send({ type: 'confirm' });
          await until(
            async () => (await printedFiles(cups!.outDir)).length > pagesBefore,
            30_000,
            'the job printed',
          );
          await kiosk!.kill('SIGKILL');
          cutBefore(dataDir, 'a4-submitted');
          central.clearFaults();
        } else {
          await kiosk!.send({ type: 'confirm' });
          // A card takes about 2 s here, a page well under 1 s: kill anywhere in that span or just after.
          await new Promise((r) => setTimeout(r, rnd() * (card ? 2_600 : 1_200)));
          await kiosk!.kill('SIGKILL');
        }
        report.kills++;
        report.byKind[kind]++;
        // The devices finish what they were doing while the kiosk is dead.
        await until(() => printer.state !== 'PRINTING', 30_000, 'the printer idle');
        await start();
        await until(
          () => settled(dataDir) && central!.liveClaims().length === 0,
          60_000,
          'the kiosk settled',
        );
        await until(
          async () => !card || printer.state !== 'PRINTING',
          30_000,
          'the printer idle after the restart',
        );
        const out = card
          ? printer.counters.total - cardsBefore
          : (await printedFiles(cups.outDir)).length - pagesBefore;
        const claims = central.records.claims.slice(claimsBefore).map((c) => c.claimId);
        const completions = new Set(
          central.records.completions.filter((c) => claims.includes(c.claimId)).map((c) => c.claimId),
        ).size;
        report.documentsOut += out;
        report.completions += completions;
        report.releases += central.records.releases.filter((r) => claims.includes(r.claimId)).length;
        if (out > 1) report.doublePrints++;
        if (out === 1 && completions === 0) report.lostCompletions++;
        if (out === 0 && completions > 0) report.completionsWithoutPrint++;
        if (completions > 1) report.doublePrints++;
        report.danglingClaims += central.liveClaims().length;
        log(`kill ${i + 1} ${kind} ${app}: out ${out}, completed ${completions}`);
      } catch (e) {
        report.failures.push(`kill ${i + 1} (${kind}, ${app}): ${(e as Error).message}`);
        log(`kill ${i + 1} ${kind}: FAILED ${(e as Error).message}\n${kiosk?.stderr.slice(-800) ?? ''}`);
        await kiosk?.kill('SIGKILL');
        central.clearFaults();
        await start();
      }
    }
    return report;
  } finally {
    await kiosk?.kill('SIGKILL');
    await central?.close();
    await pty?.close();
    await printer.close();
    await cups?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
