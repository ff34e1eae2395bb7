/**
 * The A4 preview's worker thread (started by preview.ts): renders first pages with pdf.js, one
 * request at a time, and sends the PNG back (transferred, not copied).
 */
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { PreviewReply, PreviewRequest } from './preview.ts';
import { renderFirstPageHere } from './preview-render.ts';

const port = parentPort;
if (!port) throw new Error('preview-worker.ts runs as a worker thread only');

/**
 * On one core the worker and the kiosk's event loop share the CPU: below normal priority (nice 10) the
 * worker gives way when the event loop has something to do, yet still gets its share next to a busy
 * UI. Linux gives each thread its own nice value, addressed by its thread id (/proc/thread-self).
 */
function yieldToTheKiosk(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not Linux, or not allowed: the preview still runs off the event loop, at normal priority.
  }
}
yieldToTheKiosk();

port.on('message', async (req: PreviewRequest) => {
  const png = await renderFirstPageHere(req.pdf, req.widthPx, { maskIdNumbers: req.maskIdNumbers });
  const reply: PreviewReply = { id: req.id, png };
  port.postMessage(reply, png ? [png.buffer as ArrayBuffer] : []);
});
