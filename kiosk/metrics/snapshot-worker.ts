/**
 * The thread that answers `GET /metrics` (started by server.ts). It holds the last exposition text the
 * kiosk's event loop rendered, per format, and answers from it at once, whatever the event loop is doing
 * (a session renders cards and writes SQLite there: a scraper must not wait for it).
 *
 * Messages in: `snapshot` (a format's text, just rendered), `failed` (rendering it threw), `close`.
 * Messages out: `listening` (with the port and the thread's nice value) or `unavailable` (with the error code), `asked` (a scraper
 * reads a format: the event loop keeps rendering it; sent at most every `noticeMs`), `closed`.
 *
 * The source is plain JavaScript run with `eval`: the thread needs nothing but node:http, so it starts in
 * milliseconds and runs the same from the sources (tsx) and from the compiled kiosk, with no loader.
 */
export const SNAPSHOT_WORKER = `
const { createServer } = require('node:http');
const { performance } = require('node:perf_hooks');
const { parentPort, workerData } = require('node:worker_threads');

const { host, port, staleMs, noticeMs, nice } = workerData;

/**
 * This thread alone (Linux: setpriority on the thread's own id) asks for a higher priority, so that on
 * one core a scrape is answered as soon as it arrives, not when the session's thread has used its slice.
 * It does a few microseconds of work per scrape and cannot starve anything. Without the right (the
 * service's LimitNICE, or CAP_SYS_NICE) it keeps the process's: the answers only come a little later.
 * Says the priority it runs at, or null where the thread's own id cannot be known.
 */
function raisePriority() {
  try {
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    const os = require('node:os');
    try {
      os.setPriority(tid, nice);
    } catch {}
    return os.getPriority(tid);
  } catch {
    return null;
  }
}
const priority = raisePriority();
/** format -> { body, contentType, at } */
const latest = new Map();
/** format -> responses waiting for the next snapshot of that format */
const waiting = new Map();
/** format -> when the kiosk was last told a scraper reads it */
const noticed = new Map();

/**
 * Tells the kiosk a scraper reads this format, at most once every noticeMs: on one core a message at
 * each scrape would wake the kiosk's thread just as this one answers.
 */
function notice(format, now) {
  if (now - (noticed.get(format) ?? -Infinity) < noticeMs) return;
  noticed.set(format, now);
  parentPort.postMessage({ kind: 'asked', format });
}

const formatOf = (req) =>
  /application\\/openmetrics-text/.test(req.headers.accept || '') ? 'openmetrics' : 'text';

function answer(res, s) {
  res.writeHead(200, { 'content-type': s.contentType, 'content-length': s.body.length }).end(s.body);
}

const server = createServer((req, res) => {
  const path = (req.url || '').split('?')[0];
  if (req.method !== 'GET' || path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\\n');
    return;
  }
  const format = formatOf(req);
  const now = performance.now();
  const s = latest.get(format);
  if (s && now - s.at <= staleMs) {
    answer(res, s);
    notice(format, now);
    return;
  }
  // None yet, or the event loop has not rendered for a while: wait for the next one.
  const queue = waiting.get(format) || [];
  queue.push(res);
  waiting.set(format, queue);
  if (!s) noticed.delete(format);
  notice(format, now);
});
// A scraper's connection must never keep the kiosk from stopping.
server.keepAliveTimeout = 5000;

function settle(format, each) {
  const queue = waiting.get(format) || [];
  waiting.delete(format);
  for (const res of queue) if (!res.writableEnded && !res.destroyed) each(res);
}

parentPort.on('message', (m) => {
  if (m.kind === 'snapshot') {
    // Encoded once here, not at each answer.
    const s = { body: Buffer.from(m.body), contentType: m.contentType, at: performance.now() };
    latest.set(m.format, s);
    settle(m.format, (res) => answer(res, s));
  } else if (m.kind === 'failed') {
    settle(m.format, (res) =>
      res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed: ' + m.message + '\\n'),
    );
  } else if (m.kind === 'close') {
    server.closeAllConnections();
    server.close(() => parentPort.postMessage({ kind: 'closed' }));
  }
});

server.once('error', (e) => parentPort.postMessage({ kind: 'unavailable', code: e.code || 'ERROR' }));
server.listen(port, host, () =>
  parentPort.postMessage({ kind: 'listening', port: server.address().port, priority }),
);
`;

/** A format of the exposition: text 0.0.4 or OpenMetrics. */
export type SnapshotFormat = 'text' | 'openmetrics';

/** What the thread says to the kiosk. */
export type FromSnapshotWorker =
  | { kind: 'listening'; port: number; priority: number | null }
  | { kind: 'unavailable'; code: string }
  | { kind: 'asked'; format: SnapshotFormat }
  | { kind: 'closed' };

/** What the kiosk says to the thread. */
export type ToSnapshotWorker =
  | { kind: 'snapshot'; format: SnapshotFormat; body: string; contentType: string }
  | { kind: 'failed'; format: SnapshotFormat; message: string }
  | { kind: 'close' };
