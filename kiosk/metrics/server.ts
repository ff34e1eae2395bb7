import { Worker } from 'node:worker_threads';
import type { KioskMetrics } from './kiosk-metrics.ts';
import {
  type FromSnapshotWorker,
  SNAPSHOT_WORKER,
  type SnapshotFormat,
  type ToSnapshotWorker,
} from './snapshot-worker.ts';

export interface MetricsServer {
  url: string;
  /** The nice value the answering thread runs at (`ANSWER_NICE` where allowed), null where unknown. */
  priority: number | null;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** The port could not be opened: an incident for the technician; the kiosk goes on serving applicants. */
  onUnavailable?: (detail: { host: string; port: number; code: string }) => void;
}

/**
 * How often the exposition is rendered while a scraper reads it. Prometheus scrapes every 15 s or more
 * (the agent's config), so an answer at most a second old says the same as one rendered on request.
 */
export const SNAPSHOT_MS = 1_000;
/** How often the values read from the store and disk (outbox, audit chain, incidents, disk free, supplies). */
export const SOURCES_MS = 5_000;
/**
 * A snapshot older than this is not served: the scraper waits for the next one. Only an event loop stuck
 * for seconds gets there, and then a scrape that times out is the truth (the kiosk is not working).
 */
export const STALE_MS = 5_000;
/** A format nobody asked for in this long is no longer rendered (a scraper that went away). */
export const ASKED_WITHIN_MS = 5 * 60_000;
/**
 * The answering thread's nice value: above the session's thread (0), so that on a one-core kiosk PC a
 * scrape does not wait for a card render's slice to end. The installed service allows it (`LimitNICE=-10`
 * in adm-kiosk.service); elsewhere it needs root, and without it the thread runs at the process's.
 */
export const ANSWER_NICE = -10;
/** The answering thread says a format is still read at most this often (well within `ASKED_WITHIN_MS`). */
const ASKED_NOTICE_MS = 30_000;

/**
 * `GET /metrics` for a Prometheus server or agent (kiosk-runtime.md "Metrics"): text 0.0.4, or
 * OpenMetrics when the scraper's Accept header asks for it; anything else is 404.
 *
 * The answer comes from a thread of its own (snapshot-worker.ts) holding the last rendered text, so a
 * scrape costs the event loop nothing and never waits behind a session. The event loop renders each
 * format a scraper uses once a second (`SNAPSHOT_MS`) and reads the store and disk every `SOURCES_MS`;
 * the first scrape of a format waits for its first rendering.
 *
 * Resolves with `undefined` when the port cannot be opened (after calling `onUnavailable`), never rejects
 * for that.
 */
export async function startMetricsServer(
  metrics: KioskMetrics,
  opts: MetricsServerOptions,
): Promise<MetricsServer | undefined> {
  const worker = new Worker(SNAPSHOT_WORKER, {
    eval: true,
    workerData: {
      host: opts.host,
      port: opts.port,
      staleMs: STALE_MS,
      noticeMs: ASKED_NOTICE_MS,
      nice: ANSWER_NICE,
    },
  });
  const send = (m: ToSnapshotWorker) => worker.postMessage(m);
  const opened = await new Promise<{ port: number; priority: number | null } | { code: string }>(
    (resolve) => {
      const onMessage = (m: FromSnapshotWorker) => {
        if (m.kind !== 'listening' && m.kind !== 'unavailable') return;
        worker.off('message', onMessage);
        resolve(m.kind === 'listening' ? { port: m.port, priority: m.priority } : { code: m.code });
      };
      worker.on('message', onMessage);
      worker.once('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code ?? 'ERROR' }));
    },
  );
  if ('code' in opened) {
    opts.onUnavailable?.({ host: opts.host, port: opts.port, code: opened.code });
    await worker.terminate();
    return undefined;
  }

  /** When each format was last asked for; a format is rendered while it is asked for. */
  const asked = new Map<SnapshotFormat, number>();
  const rendering = new Set<SnapshotFormat>();
  const publish = async (format: SnapshotFormat) => {
    if (rendering.has(format)) return;
    rendering.add(format);
    try {
      const { body, contentType } = await metrics.render(format === 'openmetrics');
      send({ kind: 'snapshot', format, body, contentType });
    } catch (e) {
      send({ kind: 'failed', format, message: (e as Error).message });
    } finally {
      rendering.delete(format);
    }
  };
  const live = (format: SnapshotFormat, now: number) =>
    now - (asked.get(format) ?? -Infinity) <= ASKED_WITHIN_MS;
  worker.on('message', (m: FromSnapshotWorker) => {
    if (m.kind !== 'asked') return;
    const now = Date.now();
    const wasLive = live(m.format, now);
    asked.set(m.format, now);
    // A format not rendered lately has no snapshot to serve: render it now.
    if (!wasLive) void publish(m.format);
  });
  // Metrics never stand in the way of the kiosk's work: a failed thread leaves scrapes unanswered.
  worker.on('error', () => undefined);

  metrics.refreshSources();
  const timers = [
    setInterval(() => metrics.refreshSources(), SOURCES_MS),
    setInterval(() => {
      const now = Date.now();
      for (const format of asked.keys()) if (live(format, now)) void publish(format);
    }, SNAPSHOT_MS),
  ];
  for (const t of timers) t.unref();

  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${opened.port}/metrics`,
    priority: opened.priority,
    close: async () => {
      for (const t of timers) clearInterval(t);
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (m: FromSnapshotWorker) => m.kind === 'closed' && resolve());
        worker.once('exit', () => resolve());
        setTimeout(resolve, 2_000).unref();
      });
      send({ kind: 'close' });
      await closed;
      await worker.terminate();
    },
  };
}
