import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KioskMetrics } from '../../kiosk/metrics/index.ts';
import {
  agentNice,
  FLEET,
  freePort,
  missingPrograms,
  PROGRAMS,
  Program,
  until,
  writeYaml,
} from '../fleet/programs.ts';
import { startKiosk, waitForScreen } from '../support/kiosk.ts';
import type { Report } from './harness.ts';

/** Scrapes measured, after `WARM_UP` (the first one waits for the first rendering), `SCRAPE_GAP_MS` apart. */
const SCRAPES = 1_000;
const WARM_UP = 20;
const SCRAPE_GAP_MS = 10;
/** What Prometheus 2.x sends: OpenMetrics first, the text format as a fallback. */
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const KIOSKS = 200;
/** Rule evaluations measured, after the first ones (the server warming up). */
const EVALUATIONS = 8;

/**
 * The fleet's figures: `fleet.scrape`, one `/metrics` answer of a real kiosk while sessions run
 * (goal: p95 under 5 ms), and `fleet.scrape-floor`, the same scraper against a fixed answer on the same
 * core (what the machine alone gives); and 200 cheap simulated kiosks (KioskMetrics with typical values, no devices)
 * scraped by one real Prometheus evaluating the fleet's rules: `fleet.rules-eval-200`, the time of one
 * evaluation of every rule group, and `fleet.series-200`, the head series it holds.
 */
export async function bench(report: Report): Promise<void> {
  await scrapeWhileSessionsRun(report);
  const missing = missingPrograms();
  if (missing) {
    process.stderr.write(`fleet bench: ${missing}\n`);
    return;
  }
  await twoHundredKiosks(report);
}

async function scrapeWhileSessionsRun(report: Report): Promise<void> {
  // A port of its own rather than 0, which would print `METRICS <url>` among the JSON lines.
  const kiosk = await startKiosk({
    config: { metrics: { host: '127.0.0.1', port: await freePort() } },
    devices: {
      cardPrinter: { driver: 'sim', timeFactor: 0.0005, blankCards: 1000 },
      scanner: { driver: 'sim' },
    },
    delays: { collectMs: 0, doneMs: 0 },
  });
  kiosk.app.cardSim!.loadRibbon(10_000);
  let running = true;
  let sessions = 0;
  // Sessions back to back, with no applicant's pauses: the kiosk's event loop is as busy as it gets.
  const loop = (async () => {
    const app = kiosk.central
      .applications()
      .find(
        (a) =>
          a.status === 'READY' &&
          a.selfPrint &&
          !a.pinRequired &&
          a.documents.every((d) => d.medium === 'CARD'),
      )!;
    while (running) {
      kiosk.central.setStatus(app.applicationNo, 'READY');
      kiosk.scan(await kiosk.central.mintPrintCode(app.applicationNo));
      await waitForScreen(kiosk, 'confirm');
      kiosk.app.core.send({ type: 'confirm' });
      await waitForScreen(kiosk, 'survey');
      kiosk.app.core.send({ type: 'skip' });
      await waitForScreen(kiosk, 'home');
      // The completion goes out through the outbox, which may be after the next session's start: wait for
      // it, or it would mark the application printed under the next session's feet.
      while (kiosk.central.completionsOf(app.applicationNo) <= sessions)
        await new Promise((r) => setTimeout(r, 5));
      sessions++;
    }
  })();
  let scraped: { kiosk: number[]; floor: number[] };
  let during: number;
  const floor = await staticServer();
  try {
    // The first session under way before the first scrape counted.
    await waitForScreen(kiosk, 'confirm');
    const before = sessions;
    scraped = await scrapeFromAnotherProcess(kiosk.app.metricsUrl!, floor.url);
    during = sessions - before;
  } finally {
    running = false;
    await loop.catch(() => undefined);
    await kiosk.stop();
    floor.stop();
  }
  // A scrape that never overlapped a session would measure an idle kiosk.
  if (during < 5) throw new Error(`fleet.scrape: only ${during} sessions ran during the scrapes`);
  report({ name: 'fleet.scrape', unit: 'ms', samples: scraped.kiosk });
  report({ name: 'fleet.scrape-floor', unit: 'ms', samples: scraped.floor });
}

/**
 * The floor under `fleet.scrape` on this machine: a process of its own that answers every request with a
 * fixed text of a kiosk's answer's size (60 KB) and does nothing else. The scraper reads it and the kiosk
 * in turn, under the same sessions on the same core, so what `fleet.scrape` adds to it is the kiosk's part;
 * the rest is the operating system and the other work on the core.
 */
async function staticServer(): Promise<{ url: string; stop: () => void }> {
  const script = `
    const body = Buffer.alloc(60_000, 'a');
    const server = require('node:http').createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length }).end(body),
    );
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`fleet.scrape: the fixed answer exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/metrics`, stop: () => child.kill() };
}

/**
 * Prometheus' own request, from a process of its own (as the agent is): a scraper inside the kiosk's
 * process would wait for the kiosk's event loop itself and measure that instead. Like Prometheus it keeps
 * its connections open and reads the answer whole; `node:http` rather than `fetch`, whose own work per
 * request (about a millisecond of JavaScript, and its garbage) would be counted as the kiosk's. It runs at
 * the priority the kiosk's agent is installed with (`Nice=` of fleet/prometheus/adm-kiosk-agent.service),
 * and reads the kiosk and the fixed answer in turn. The bench is pinned to one core and the children
 * inherit it, so the kiosk, its sessions, the scraper and the fixed answer share that core.
 */
async function scrapeFromAnotherProcess(
  kioskUrl: string,
  floorUrl: string,
): Promise<{ kiosk: number[]; floor: number[] }> {
  const script = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const accept = ${JSON.stringify(PROMETHEUS_ACCEPT)};
    const get = (url, mustContain) =>
      new Promise((resolve, reject) => {
        const t0 = performance.now();
        http.get(url, { agent, headers: { accept } }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const ms = performance.now() - t0;
            const body = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200 || !body.includes(mustContain)) reject(new Error('scrape ' + res.statusCode));
            else resolve(ms);
          });
        }).on('error', reject);
      });
    const kiosk = [];
    const floor = [];
    (async () => {
      for (let i = 0; i < ${SCRAPES + WARM_UP}; i++) {
        const k = await get(${JSON.stringify(kioskUrl)}, 'adm_kiosk_state');
        await new Promise((r) => setTimeout(r, ${SCRAPE_GAP_MS}));
        const f = await get(${JSON.stringify(floorUrl)}, '');
        await new Promise((r) => setTimeout(r, ${SCRAPE_GAP_MS}));
        if (i >= ${WARM_UP}) { kiosk.push(k); floor.push(f); }
      }
      process.stdout.write(JSON.stringify({ kiosk, floor, nice: require('node:os').getPriority() }));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  // `nice` (coreutils) runs it at the agent's priority from its first instruction.
  const nice = agentNice();
  const child = spawn('nice', ['-n', String(nice), process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`fleet.scrape: the scraper exited with ${code}`);
  const scraped = JSON.parse(out) as { kiosk: number[]; floor: number[]; nice: number };
  // Without the right to raise a priority (not root) the scraper ran at the bench's own.
  if (scraped.nice !== nice)
    process.stderr.write(
      `fleet.scrape: the scraper ran at nice ${scraped.nice}, the agent's unit says ${nice}\n`,
    );
  return scraped;
}

/** A kiosk a few days into service: every outcome, reason, some services, routes and step times. */
function cheapKiosk(i: number): KioskMetrics {
  const m = new KioskMetrics({
    kioskId: `ADM-${3500 + (i % 38)}-K-${i}`,
    region: String(3500 + (i % 38)),
    version: '0.1.0',
  });
  m.setState('IN_SERVICE');
  m.setDevice('card_printer', 'READY', true);
  m.setDevice('paper_printer', 'READY', true);
  m.setDevice('scanner', 'READY', true);
  m.setSupply('blank_cards', 300 - (i % 50));
  m.setSupply('ribbon_panels', 1200);
  m.setSupply('paper_sheets', 450);
  for (const o of ['printed', 'refused', 'cancelled'] as const) m.sessionEnded(o);
  for (const s of ['KTP_EL', 'KIA', 'KK', 'AKTA_KELAHIRAN', 'SURAT_PINDAH', 'BIODATA'])
    m.documentPrinted(s, s === 'KTP_EL' || s === 'KIA' ? 'CARD' : 'A4');
  for (const r of ['lookup', 'claim', 'document', 'complete', 'heartbeat', 'feedback'] as const) {
    m.centralApiRequest(r, 200);
    m.centralApiRequest(r, 'timeout');
  }
  for (const s of ['scan_to_confirm', 'confirm_to_print_start', 'print_end_to_collect'] as const)
    m.stepDuration(s, 0.08);
  m.setHeadCardsSinceCleaning(i * 3);
  return m;
}

/**
 * The fleet's rules with every group at the global interval: the forecast group runs every 5 minutes in
 * production, and a round that waited for it would take minutes. Each round then evaluates every rule,
 * so a round's time is an upper bound of any real round's.
 */
function everyGroupEachRound(dir: string): string {
  const doc = parse(readFileSync(join(FLEET, 'prometheus', 'adm-rules.yml'), 'utf8')) as {
    groups: Array<{ interval?: string }>;
  };
  for (const g of doc.groups) delete g.interval;
  return writeYaml(dir, 'adm-rules.yml', doc);
}

async function twoHundredKiosks(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'adm-fleet-bench-'));
  const kiosks = Array.from({ length: KIOSKS }, (_, i) => cheapKiosk(i));
  const server = createServer((req, res) => {
    const m = /^\/k\/(\d+)\/metrics$/.exec(req.url ?? '');
    const k = m ? kiosks[Number(m[1])] : undefined;
    if (!k) {
      res.writeHead(404).end();
      return;
    }
    void k
      .scrape()
      .then(({ body, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const metricsPort = (server.address() as { port: number }).port;
  const port = await freePort();
  const config = writeYaml(dir, 'prometheus.yml', {
    global: { scrape_interval: '5s', scrape_timeout: '4s', evaluation_interval: '5s' },
    rule_files: [everyGroupEachRound(dir)],
    scrape_configs: [
      {
        job_name: 'adm-kiosk',
        static_configs: kiosks.map((_, i) => ({
          targets: [`127.0.0.1:${metricsPort}`],
          labels: {
            __metrics_path__: `/k/${i}/metrics`,
            kiosk_id: `ADM-K-${i}`,
            region: String(3500 + (i % 38)),
          },
        })),
      },
    ],
  });
  const prometheus = Program.start('prometheus', PROGRAMS.prometheus, [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const api = `http://127.0.0.1:${port}/api/v1`;
  try {
    await prometheus.ready(`http://127.0.0.1:${port}/-/ready`);
    const rounds = new Map<string, number>();
    const samples: number[] = [];
    // One evaluation round: the groups' evaluation times of the same round, summed.
    await until(
      async () => {
        const body = (await (await fetch(`${api}/rules`)).json()) as {
          data: { groups: Array<{ name: string; evaluationTime: number; lastEvaluation: string }> };
        };
        const groups = body.data.groups;
        const key = groups.map((g) => g.lastEvaluation).join();
        if (!rounds.has(key) && groups.every((g) => !g.lastEvaluation.startsWith('0001'))) {
          rounds.set(key, groups.reduce((s, g) => s + g.evaluationTime, 0) * 1000);
          if (rounds.size > 2) samples.push(rounds.get(key)!);
        }
        return samples.length;
      },
      (n) => n >= EVALUATIONS,
      120_000,
    );
    const series = (await (
      await fetch(`${api}/query?query=${encodeURIComponent('prometheus_tsdb_head_series')}`)
    ).json()) as { data: { result: Array<{ value: [number, string] }> } };
    // Prometheus does not scrape itself here: ask its own /metrics.
    const own = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const head = Number(
      /^prometheus_tsdb_head_series (\d+)/m.exec(own)?.[1] ?? series.data.result[0]?.value[1],
    );
    report({ name: 'fleet.rules-eval-200', unit: 'ms', samples });
    report({ name: 'fleet.series-200', unit: 'ratio', value: head, n: KIOSKS });
  } finally {
    await prometheus.stop();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
