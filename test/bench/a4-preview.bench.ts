import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  closePreviewWorker,
  PREVIEW_WIDTH_PX,
  renderPdfFirstPage,
} from '../../drivers/paper-printer/preview.ts';
import { renderFirstPageHere } from '../../drivers/paper-printer/preview-render.ts';
import { makeKkPdf } from '../support/kk-pdf.ts';
import type { Report } from './harness.ts';

/** A4 previews measured per setup. */
const PREVIEWS = 10;

/** A full collection, so that what the heap holds afterwards is what is really still referenced. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** What the main thread's heap holds, JS objects and the buffers outside it, in MB. */
function heldMb(): number {
  collect();
  collect();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 2 ** 20;
}

/**
 * The longest event-loop block while `work` runs, in ms (1 ms resolution), and how busy the loop was
 * (0..1). On a shared machine the first also counts the time other processes held the core; the
 * second does not.
 */
async function eventLoop(work: () => Promise<unknown>, busy: number[]): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const elu = performance.eventLoopUtilization();
  h.enable();
  try {
    await work();
  } finally {
    h.disable();
  }
  busy.push(performance.eventLoopUtilization(elu).utilization);
  // The histogram counts the delay past the 1 ms timer: add the timer back.
  return h.max / 1e6 + 1;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The A4 preview step of a session (drivers/paper-printer/preview.ts): the longest event-loop block
 * while one KK's first page is previewed, and the heap still held once the previews' PNGs are dropped
 * and the session ends (`closePreviewWorker`, which the idle timer also does). Each preview starts its
 * worker cold, as the first A4 of an applicant does. The peer is the same pdf.js render in the
 * kiosk's own thread, as before.
 */
export async function bench(report: Report): Promise<void> {
  const pdfs = await Promise.all(
    Array.from({ length: PREVIEWS }, (_, i) =>
      makeKkPdf({ pages: 2, applicationNo: `3574-KK-2611-${String(300 + i).padStart(6, '0')}` }),
    ),
  );
  const before = heldMb();
  const inWorker: number[] = [];
  const busyWorker: number[] = [];
  for (const pdf of pdfs) {
    inWorker.push(
      await eventLoop(async () => {
        if (!(await renderPdfFirstPage(pdf))) throw new Error('the preview worker drew nothing');
      }, busyWorker),
    );
    await closePreviewWorker();
  }
  const retained = heldMb() - before;

  const inThread: number[] = [];
  const busyThread: number[] = [];
  for (const pdf of pdfs) {
    inThread.push(
      await eventLoop(() => renderFirstPageHere(new Uint8Array(pdf), PREVIEW_WIDTH_PX), busyThread),
    );
  }
  const retainedInThread = heldMb() - before;

  report({ name: 'session.event-loop-max', unit: 'ms', samples: inWorker });
  report({ name: 'session.event-loop-max.in-thread', unit: 'ms', samples: inThread });
  report({ name: 'session.preview.event-loop-busy', unit: 'ratio', value: mean(busyWorker), n: PREVIEWS });
  report({
    name: 'session.preview.event-loop-busy.in-thread',
    unit: 'ratio',
    value: mean(busyThread),
    n: PREVIEWS,
  });
  report({ name: 'memory.a4-preview.retained', unit: 'MB', value: Math.max(0, retained), n: PREVIEWS });
  report({
    name: 'memory.a4-preview.retained.in-thread',
    unit: 'MB',
    value: Math.max(0, retainedInThread),
    n: PREVIEWS,
  });
}
