/// <reference lib="webworker" />
/**
 * The camera decode worker (bundled to `camera-worker.js` by build.ts): takes video frames as
 * ImageBitmaps, draws them on an OffscreenCanvas, and runs the kiosk's decoder (decode.ts, the setup
 * the benchmark picked) off the main thread. Only the decoded text goes back.
 */
import type { CameraWorkerReply, CameraWorkerRequest } from './camera-messages.ts';
import { createKioskDecoder, type FrameDecoder, prepareDecoderWasm } from './decode.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let decode: FrameDecoder | undefined;
let canvas: OffscreenCanvas | undefined;
let ctx: OffscreenCanvasRenderingContext2D | undefined;

function reply(msg: CameraWorkerReply): void {
  scope.postMessage(msg);
}

scope.onmessage = async (ev: MessageEvent<CameraWorkerRequest>) => {
  const msg = ev.data;
  if (msg.type === 'init') {
    try {
      await prepareDecoderWasm({ wasmUrl: msg.wasmUrl });
      decode = createKioskDecoder();
      reply({ type: 'ready' });
    } catch (e) {
      reply({ type: 'init-failed', message: e instanceof Error ? e.message : String(e) });
    }
    return;
  }
  const { id, bitmap } = msg;
  const started = performance.now();
  try {
    if (!decode) return reply({ type: 'decoded', id, ms: 0 });
    if (!canvas || canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
      canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      ctx = canvas.getContext('2d', { willReadFrequently: true }) ?? undefined;
    }
    if (!ctx) return reply({ type: 'decoded', id, ms: 0 });
    ctx.drawImage(bitmap, 0, 0);
    const image = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    const text = await decode(image);
    reply(
      text
        ? { type: 'decoded', id, text, ms: performance.now() - started }
        : { type: 'decoded', id, ms: performance.now() - started },
    );
  } catch {
    // A frame that cannot be read (the camera went away mid-frame) is just a frame without a code.
    reply({ type: 'decoded', id, ms: performance.now() - started });
  } finally {
    bitmap.close();
  }
};
