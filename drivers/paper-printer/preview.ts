import { Worker } from 'node:worker_threads';
import type { PreviewOptions } from './preview-render.ts';

/** Width of the `confirm` screen's A4 preview, in pixels. */
export const PREVIEW_WIDTH_PX = 640;
/**
 * How long the preview worker stays after its last preview. Long enough for the next document of the
 * same session (a KK and an akta), short enough that pdf.js and its caches (tens of MB) are not kept
 * while the kiosk waits for the next applicant.
 */
export const PREVIEW_WORKER_IDLE_MS = 5_000;
/** A preview that takes longer than this is given up (and its worker ended): the page shows without it. */
export const PREVIEW_TIMEOUT_MS = 20_000;

/** A request to the worker: the PDF (transferred: a copy of the caller's bytes) and the width. */
export interface PreviewRequest {
  id: number;
  pdf: Uint8Array;
  widthPx: number;
  maskIdNumbers: boolean;
}
/** The worker's answer: the PNG, or undefined when pdf.js could not draw the page. */
export interface PreviewReply {
  id: number;
  png: Uint8Array | undefined;
}

interface Pending {
  resolve(png: Uint8Array | undefined): void;
  timer: NodeJS.Timeout;
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();
let idleTimer: NodeJS.Timeout | undefined;

/**
 * The first page of a PDF as a PNG, for the applicant to see on `confirm` before anything prints.
 * pdf.js draws it in a worker thread (preview-worker.ts), so the kiosk's event loop goes on serving
 * the UI meanwhile; the worker ends a few seconds after its last preview, taking pdf.js's memory with it.
 * Anything it cannot read gives undefined, never a throw (the document itself was already checked by
 * its SHA-256 and page count, so a missing preview only loses the picture). The caller's bytes are
 * left as they are.
 */
export async function renderPdfFirstPage(
  pdf: Uint8Array,
  widthPx = PREVIEW_WIDTH_PX,
  opts: PreviewOptions = {},
): Promise<Uint8Array | undefined> {
  let w: Worker;
  try {
    w = previewWorker();
  } catch (e) {
    if (process.env.ADM_DEBUG_PREVIEW) console.error(e);
    return undefined;
  }
  clearTimeout(idleTimer);
  const id = nextId++;
  const copy = new Uint8Array(pdf);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      // A page pdf.js cannot finish: give up the preview and the worker with it.
      if (pending.delete(id)) resolve(undefined);
      void closePreviewWorker();
    }, PREVIEW_TIMEOUT_MS);
    pending.set(id, { resolve, timer });
    const req: PreviewRequest = { id, pdf: copy, widthPx, maskIdNumbers: opts.maskIdNumbers !== false };
    w.postMessage(req, [copy.buffer]);
  });
}

/**
 * Ends the preview worker now (pending previews give undefined). The kiosk may call it when a session
 * ends; it also ends by itself PREVIEW_WORKER_IDLE_MS after its last preview.
 */
export async function closePreviewWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  clearTimeout(idleTimer);
  settleAll();
  if (w) await w.terminate();
}

function previewWorker(): Worker {
  if (worker) return worker;
  const w = startWorker();
  w.on('message', (reply: PreviewReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    clearTimeout(p.timer);
    p.resolve(reply.png);
    if (pending.size === 0) {
      idleTimer = setTimeout(() => void closePreviewWorker(), PREVIEW_WORKER_IDLE_MS);
      idleTimer.unref();
    }
  });
  w.on('error', (e) => {
    if (process.env.ADM_DEBUG_PREVIEW) console.error(e);
  });
  w.on('exit', () => {
    if (worker === w) worker = undefined;
    settleAll();
  });
  worker = w;
  return w;
}

function settleAll(): void {
  for (const [id, p] of pending) {
    pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(undefined);
  }
}

/**
 * The worker runs from the file beside this one: preview-worker.js once the kiosk is compiled; under
 * tsx (sources run as TypeScript) a worker does not inherit tsx's loader, so it registers it first.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./preview-worker.js', here));
  const entry = new URL('./preview-worker.ts', here).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true },
  );
}
