import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KioskConfig, METRICS_DEFAULT } from '../config/schema.ts';
import {
  type CardPrinterSimulator,
  openCardPrinter,
  renderCard,
  renderTestPattern,
} from '../drivers/card-printer/index.ts';
import type { CardPrinter } from '../drivers/card-printer/types.ts';
import { openPaperPrinter, type PaperPrinterSimulator } from '../drivers/paper-printer/index.ts';
import { renderPdfFirstPage } from '../drivers/paper-printer/preview.ts';
import type { PaperPrinter } from '../drivers/paper-printer/types.ts';
import { openScanner, SimScanner } from '../drivers/scanner/index.ts';
import type { Scanner } from '../drivers/scanner/types.ts';
import { type Clock, systemClock } from '../drivers/shared/clock.ts';
import { AuditLog } from './audit/audit-log.ts';
import { CentralApi } from './central-api/client.ts';
import { CentralApiSimulator } from './central-api/sim/server.ts';
import { KioskCore, type KioskCoreDeps, ledgerCounts } from './core/kiosk-core.ts';
import { recoverOpenSessions } from './core/recovery.ts';
import { Incidents } from './incidents/incidents.ts';
import { Journal } from './journal/journal.ts';
import { CardLedger } from './ledger/ledger.ts';
import { PaperLedger } from './ledger/paper-ledger.ts';
import { TechnicianAuth } from './maintenance/auth.ts';
import { badgeVerifier } from './maintenance/badge.ts';
import { MaintenanceController } from './maintenance/controller.ts';
import {
  KioskMetrics,
  meteredFetch,
  observeAuditEntry,
  observeCardPrinter,
  observeHeartbeat,
  observeSupplies,
  startMetricsServer,
  watchMethod,
} from './metrics/index.ts';
import { Outbox } from './outbox/outbox.ts';
import { ROOT } from './paths.ts';
import { type Db, openDb } from './store/db.ts';

export { ROOT } from './paths.ts';
export const SOFTWARE_VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/** A running kiosk, minus its host: what the hosts, the CLI and the tests hold. */
export interface KioskApp {
  config: KioskConfig;
  core: KioskCore;
  db: Db;
  journal: Journal;
  outbox: Outbox;
  ledger: CardLedger;
  incidents: Incidents;
  audit: AuditLog;
  centralSim?: CentralApiSimulator;
  metrics: KioskMetrics;
  /** Where `/metrics` is served; absent with `metrics: false` or when the port could not be opened. */
  metricsUrl?: string;
  cardSim?: CardPrinterSimulator;
  paperSim?: PaperPrinterSimulator;
  simScanner?: SimScanner;
  cardPrinter?: CardPrinter;
  paperPrinter?: PaperPrinter;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: (line: string) => void;
  inspect?: KioskCoreDeps['inspect'];
  delays?: KioskCoreDeps['delays'];
  /** The technician asked for a restart (the host stops and starts the kiosk again). */
  onRestart?: () => void;
  /** Where `METRICS <url>` goes when the metrics port was 0 (standard output by default). */
  stdout?: (line: string) => void;
}

/**
 * Builds the kiosk from its config: the store, the central API client (or the built-in simulator), the
 * devices, the outbox, crash recovery of any session a power cut left open, and the core.
 */
export async function startKioskApp(config: KioskConfig, opts: StartOptions = {}): Promise<KioskApp> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const db = openDb(config.dataDir);
  const cleanups: Array<() => Promise<void> | void> = [
    () => {
      db.close();
    },
  ];
  try {
    let centralSim: CentralApiSimulator | undefined;
    let baseUrl = config.centralApi.baseUrl;
    if (config.centralApiSim) {
      centralSim = await startCentralSim(config.centralApiSim.port, clock);
      cleanups.unshift(() => centralSim?.close());
      baseUrl = centralSim.baseUrl;
      log(`central API simulator: ${baseUrl} (print codes: ${baseUrl.replace(/\/v1$/, '')}/sim/codes)`);
    }
    const incidents = new Incidents(db, clock);
    const audit = new AuditLog(db, clock);
    let core: KioskCore | undefined;
    // Read at each scrape; `outbox` exists by the time the server answers.
    const metrics = new KioskMetrics({
      kioskId: config.kioskId,
      region: config.regionCode,
      version: SOFTWARE_VERSION,
      dataDir: config.dataDir,
      outboxPending: () => outbox.pendingCount(),
      auditLength: () => audit.entries({ limit: 1 })[0]?.seq ?? 0,
      openIncidents: () => incidents.open(),
      beforeScrape: () => {
        if (!core) return;
        observeSupplies(metrics, core.devices());
        // The ledger's count is the blank cards (as the core decides), fresh after every card.
        if (card && ledgerCounts(ledger)) metrics.setSupply('blank_cards', ledger.remaining());
      },
    });
    const api = new CentralApi({
      baseUrl,
      token: config.centralApi.token,
      kioskId: config.kioskId,
      timeoutMs: config.centralApi.timeoutMs,
      fetch: meteredFetch(metrics),
    });
    const journal = new Journal(db, clock);
    const ledger = new CardLedger(db, { clock, incidents });
    const paperLedger = new PaperLedger(db, { clock });
    const outbox = new Outbox(db, api, clock, {
      incident: (item, reason) => {
        const m = item.message;
        incidents.record({
          kind: reason.includes('CLAIM_LOST') ? 'claim-lost' : 'outbox-refused',
          ...(m.kind === 'complete' || m.kind === 'release'
            ? { applicationNo: m.applicationNo, claimId: m.claimId }
            : {}),
          detail: { message: m.kind, answer: reason },
        });
        log(`outbox: ${m.kind} refused for good (${reason}); kept as an incident`);
      },
    });

    const dev = config.devices;
    const card = dev.cardPrinter
      ? await openCardPrinter(
          dev.cardPrinter.driver === 'sim'
            ? {
                driver: 'sim',
                stateDir: join(config.dataDir, 'sim'),
                timeFactor: dev.cardPrinter.timeFactor,
                blankCards: dev.cardPrinter.blankCards,
              }
            : dev.cardPrinter,
          { clock },
        )
      : undefined;
    if (card) cleanups.unshift(() => card.printer.close());
    const cardSim = card?.sim;
    const paper = dev.paperPrinter
      ? await openPaperPrinter(
          dev.paperPrinter.driver === 'sim'
            ? {
                driver: 'sim',
                paperSheets: dev.paperPrinter.paperSheets,
                timeFactor: dev.paperPrinter.timeFactor,
                outDir: join(config.dataDir, 'sim', 'a4'),
              }
            : dev.paperPrinter,
          { clock },
        )
      : undefined;
    if (paper) cleanups.unshift(() => paper.printer.close());
    const paperSim = paper?.sim;
    const scannerConfigs =
      dev.scanner === undefined ? [] : Array.isArray(dev.scanner) ? dev.scanner : [dev.scanner];
    const scanners: Scanner[] = [];
    let simScanner: SimScanner | undefined;
    for (const sc of scannerConfigs) {
      const s = await openScanner(sc);
      cleanups.unshift(() => s.close());
      if (s instanceof SimScanner) simScanner = s;
      scanners.push(s);
    }

    // A simulated printer's blank cards are loaded into the ledger once, as a technician would.
    if (cardSim && cardSim.blankCards > 0 && ledger.totals().loaded === 0) {
      const counters = await card!.printer.readCounters();
      if (counters.ok) ledger.ensureBaseline(counters.value);
      ledger.load(cardSim.blankCards, 'SIM');
    }

    const undecided = await recoverOpenSessions({
      journal,
      outbox,
      ledger,
      incidents,
      cardPrinter: card?.printer,
      paperPrinter: paper?.printer,
      clock,
      log,
    });

    // A ledger with no load recorded cannot say how many blank cards there are: the kiosk then relies on
    // the printer's feeder sensor, counts every card it prints or spoils, and asks a technician to record
    // the stock (the count shows negative until then, so nothing goes unaccounted).
    if (card && !ledgerCounts(ledger) && !incidents.open().some((i) => i.kind === 'ledger-not-initialised')) {
      incidents.record({
        kind: 'ledger-not-initialised',
        detail: { action: 'record the blank cards loaded in maintenance' },
      });
      log('ledger: no blank-card load recorded yet; a technician should record the stock');
    }

    // A card fed outside any applicant session (a technician's test print) when the power went: its
    // fate is booked from the counters too, if the printer can say now (else at the next feed).
    if (card && ledger.feedPending()) {
      const status = await card.printer.getStatus();
      const counters =
        status.state !== 'OFFLINE' && status.state !== 'PRINTING'
          ? await card.printer.readCounters()
          : undefined;
      if (counters?.ok) ledger.recover(counters.value);
    }

    core = new KioskCore({
      config,
      clock,
      api,
      journal,
      // The core's heartbeats and session entries are what the metrics report (kiosk/metrics/observe.ts).
      outbox: watchMethod(outbox, 'enqueue', (m) => {
        if (m.kind === 'heartbeat') observeHeartbeat(metrics, m.body);
      }),
      ledger,
      paperLedger,
      incidents,
      audit: watchMethod(audit, 'append', (entry) => observeAuditEntry(metrics, entry)),
      metrics,
      softwareVersion: SOFTWARE_VERSION,
      devices: {
        ...(card
          ? { cardPrinter: observeCardPrinter(card.printer, metrics), renderCard, renderTestPattern }
          : {}),
        ...(paper ? { paperPrinter: paper.printer, renderPdfPreview: renderPdfFirstPage } : {}),
        scanners,
      },
      log,
      undecidedSessions: undecided.length,
      ...(opts.inspect ? { inspect: opts.inspect } : {}),
      ...(opts.delays ? { delays: opts.delays } : {}),
    });
    const maintenance = new MaintenanceController({
      clock,
      db,
      dataDir: config.dataDir,
      kioskId: config.kioskId,
      auth: new TechnicianAuth(db, clock, config.technicians),
      verifyBadge: badgeVerifier({
        issuerKeys: config.qr.issuerKeys,
        regionCode: config.regionCode,
        now: () => clock.now(),
      }),
      ...(card
        ? {
            cardPrinter: card.printer,
            testPrintCard: async () => card.printer.printCard((await renderTestPattern()).panels),
          }
        : {}),
      ...(paper ? { paperPrinter: paper.printer } : {}),
      outbox: { pending: () => outbox.pending(), sendNow: () => outbox.flush(true) },
      incidents,
      cardLedger: ledger,
      paperLedger,
      audit,
      config,
      isOutOfService: () => core.isOutOfService(),
      setOutOfService: (on) => core.setOutOfService(on),
      restart: () => opts.onRestart?.(),
    });
    core.attachMaintenance(maintenance);
    await core.start();
    cleanups.unshift(() => core.stop());
    cleanups.unshift(() => maintenance.dispose());
    const serveAt = config.metrics ?? METRICS_DEFAULT;
    const metricsServer = serveAt
      ? await startMetricsServer(metrics, {
          host: serveAt.host,
          port: serveAt.port,
          // Not a reason to stop serving applicants (kiosk-runtime.md): a technician sees it.
          onUnavailable: ({ host, port, code }) => {
            incidents.record({ kind: 'metrics-unavailable', detail: { host, port, code } });
            log(`metrics: cannot serve on ${host}:${port} (${code}); kept as an incident`);
          },
        })
      : undefined;
    if (metricsServer) {
      cleanups.unshift(() => metricsServer.close());
      if (serveAt && serveAt.port === 0)
        (opts.stdout ?? ((line: string) => process.stdout.write(`${line}\n`)))(
          `METRICS ${metricsServer.url}`,
        );
    }
    let stopped = false;
    return {
      config,
      core,
      db,
      journal,
      outbox,
      ledger,
      incidents,
      audit,
      metrics,
      ...(metricsServer ? { metricsUrl: metricsServer.url } : {}),
      ...(centralSim ? { centralSim } : {}),
      ...(cardSim ? { cardSim } : {}),
      ...(paperSim ? { paperSim } : {}),
      ...(simScanner ? { simScanner } : {}),
      ...(card ? { cardPrinter: card.printer } : {}),
      ...(paper ? { paperPrinter: paper.printer } : {}),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        for (const c of cleanups) await c();
      },
    };
  } catch (e) {
    for (const c of cleanups) await Promise.resolve(c()).catch(() => undefined);
    throw e;
  }
}

async function startCentralSim(port: number, clock: Clock): Promise<CentralApiSimulator> {
  try {
    return await CentralApiSimulator.start({ port, clock });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw e;
    return CentralApiSimulator.start({ port: 0, clock });
  }
}
