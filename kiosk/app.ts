import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_RETENTION_DAYS, type KioskConfig, METRICS_DEFAULT } from '../config/schema.ts';
import {
  type CardPrinterSimulator,
  openCardPrinter,
  renderTestPattern,
} from '../drivers/card-printer/index.ts';
import type { CardPrinter } from '../drivers/card-printer/types.ts';
import { openPaperPrinter, type PaperPrinterSimulator } from '../drivers/paper-printer/index.ts';
import { closePreviewWorker, renderPdfFirstPage } from '../drivers/paper-printer/preview.ts';
import type { PaperPrinter } from '../drivers/paper-printer/types.ts';
import { openScanner, SimScanner } from '../drivers/scanner/index.ts';
import type { Scanner } from '../drivers/scanner/types.ts';
import { type Clock, systemClock } from '../drivers/shared/clock.ts';
import type { AuditLog } from './audit/audit-log.ts';
import { openAuditLog } from './audit/open-audit-log.ts';
import { CentralApi } from './central-api/client.ts';
import type { CentralApiSimulator } from './central-api/sim/server.ts';
import { KioskCore, type KioskCoreDeps, ledgerCounts } from './core/kiosk-core.ts';
import { recoverOpenSessions } from './core/recovery.ts';
import { Settlement } from './core/settlement.ts';
import { renderCard } from './documents/card/index.ts';
import { Incidents } from './incidents/incidents.ts';
import { Journal } from './journal/journal.ts';
import { SessionReferences } from './journal/session-reference.ts';
import { CardLedger } from './ledger/ledger.ts';
import { PaperLedger } from './ledger/paper-ledger.ts';
import { checkLedgerAtStart } from './ledger/startup-check.ts';
import { createKioskLog, sessionLog } from './log.ts';
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
import { DataDirLockedError, takeDataDirLock } from './store/data-dir-lock.ts';
import { type Db, openDb } from './store/db.ts';
import { schedulePruning } from './store/retention.ts';
import { storageHealth } from './store/storage-health.ts';
import { writeBehind } from './store/write-behind.ts';

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
  paperLedger: PaperLedger;
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
  /**
   * The outbox starts sending once this settles (main.ts: once `KIOSK READY` is out); at once without it.
   * Messages are journaled as they are queued either way.
   */
  sendFrom?: Promise<unknown>;
  /** Where `METRICS <url>` goes when the metrics port was 0 (standard output by default). */
  stdout?: (line: string) => void;
}

/**
 * Builds the kiosk from its config: the store, the central API client (or the built-in simulator), the
 * devices, the outbox, crash recovery of any session a power cut left open, and the core.
 */
export async function startKioskApp(config: KioskConfig, opts: StartOptions = {}): Promise<KioskApp> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? structuredLog(config);
  // One kiosk per data folder: a second one would share the journal (it throws before opening anything).
  const lock = takeDataDirLock(config.dataDir);
  if (!lock.ok) throw new DataDirLockedError(lock.error);
  let db: Db;
  try {
    db = openDb(config.dataDir);
  } catch (e) {
    lock.value.release();
    throw e;
  }
  const cleanups: Array<() => Promise<void> | void> = [
    () => {
      db.close();
    },
    () => lock.value.release(),
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
    const audit = openAuditLog(db, clock, config, log);
    let core: KioskCore | undefined;
    // Read every 5 s (SOURCES_MS, off the scrape); `outbox` exists by the time the server answers.
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
    const outbox = new Outbox(
      db,
      api,
      clock,
      {
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
        // The central API kept the audit head a heartbeat carried: the chain up to it is anchored.
        acknowledged: (item) => {
          if (item.message.kind === 'heartbeat' && item.message.body.auditHead)
            audit.anchored(item.message.body.auditHead);
        },
      },
      {
        // One attempt may take the client's two tries and its pause: past that it is retried on its own.
        attemptDeadlineMs: config.centralApi.timeoutMs * 2 + 1_000,
      },
    );

    const dev = config.devices;
    const card = dev.cardPrinter
      ? await openCardPrinter(
          dev.cardPrinter.driver === 'sim'
            ? {
                driver: 'sim',
                stateDir: join(config.dataDir, 'sim'),
                timeFactor: dev.cardPrinter.timeFactor,
                blankCards: dev.cardPrinter.blankCards,
                coolingAfterCards: dev.cardPrinter.coolingAfterCards,
                coolingSeconds: dev.cardPrinter.coolingSeconds,
                bezel: dev.cardPrinter.bezel,
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
    if (paper)
      cleanups.unshift(
        () => paper.printer.close(),
        () => closePreviewWorker(),
      );
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
    // Likewise its paper: a technician records the sheets put in the tray.
    if (paperSim && paperSim.paperSheets > 0 && paperLedger.totals().loaded === 0)
      paperLedger.load(paperSim.paperSheets, 'SIM');

    const undecided = await recoverOpenSessions({
      journal,
      settlement: new Settlement({ journal, outbox, clock }),
      api,
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

    // The ledger against the printer's counters at every start: a feed a power cut left pending (a
    // technician's test print) is booked from them, and any count that differs is an incident naming it.
    // One reading: a printer that cannot answer now is checked at the next feed.
    if (card) await checkLedgerAtStart(ledger, card.printer, { clock, waitMs: 0 });
    cleanups.unshift(
      schedulePruning(
        db,
        {
          journal,
          outbox,
          audit: {
            prune: (days) => audit.prune(days),
            retentionDays: config.audit?.retentionDays ?? AUDIT_RETENTION_DAYS,
          },
        },
        clock,
        config.storage?.retentionDays,
        log,
      ),
    );

    core = new KioskCore({
      config,
      clock,
      api,
      journal,
      references: new SessionReferences(db, config.kioskId),
      sendAssistance: (body) => {
        outbox.enqueue({ kind: 'assistance', body });
      },
      storage: () => storageHealth(config.dataDir, config.storage?.minFreeMB, writeBehind(db)),
      // The core's heartbeats and session entries are what the metrics report (kiosk/metrics/observe.ts).
      outbox: watchMethod(outbox, 'enqueue', (m) => {
        if (m.kind === 'heartbeat') observeHeartbeat(metrics, m.body);
        if (m.kind === 'handoff') metrics.handoff(m.body.reason);
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
      assistanceOpen: () => core.assistance.isOpen(),
      clearAssistance: () => core.clearAssistance(),
      restart: () => opts.onRestart?.(),
    });
    core.attachMaintenance(maintenance);
    await core.start(opts.sendFrom ? { sendFrom: opts.sendFrom } : {});
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
      paperLedger,
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

/**
 * The built-in central API simulator, for a config that asks for it (`centralApiSim`): loaded only then,
 * so a production kiosk never carries it in memory.
 */
async function startCentralSim(port: number, clock: Clock): Promise<CentralApiSimulator> {
  const { CentralApiSimulator } = await import('./central-api/sim/server.ts');
  try {
    return await CentralApiSimulator.start({ port, clock });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw e;
    return CentralApiSimulator.start({ port: 0, clock });
  }
}

/**
 * The kiosk's log when nobody gives one: structured JSON lines on stdout (pino), into the journal under
 * systemd, each naming the kiosk, its version and, for a session's lines, the session reference; personal
 * fields censored (kiosk/log.ts).
 */
function structuredLog(config: KioskConfig): (line: string, fields?: Record<string, string>) => void {
  const logger = createKioskLog({
    kioskId: config.kioskId,
    version: SOFTWARE_VERSION,
    ...(config.logLevel ? { level: config.logLevel } : {}),
  });
  return (line, fields) => {
    if (fields?.session) sessionLog(logger, fields.session).info(line);
    else logger.info(line);
  };
}
