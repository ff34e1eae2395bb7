import type { CameraWorkerReply, CameraWorkerRequest } from './camera-messages.ts';

/** The worker bundle and the wasm, served with the UI from the same origin (build.ts writes them). */
export const CAMERA_WORKER_URL = 'camera-worker.js';
export const CAMERA_WASM_URL = 'zxing_reader.wasm';
/** The kiosk camera's frame size: what the decoder was measured on. */
export const CAMERA_WIDTH = 1280;
export const CAMERA_HEIGHT = 720;
/** A frame is sent at most this often; the worker also gets the next one only when it is done. */
export const CAMERA_FRAME_INTERVAL_MS = 66;

export interface StartCameraOptions {
  workerUrl?: string;
  wasmUrl?: string;
  /** Called whenever a frame was decoded with a code in it (even a repeat), for visual feedback. */
  onSeen?: (text: string) => void;
  /** Called when the camera cannot be used (no device, permission refused, decoder failed to load). */
  onError?: (message: string) => void;
  /** Default: the kiosk camera at 1280x720. */
  constraints?: MediaTrackConstraints;
}

/**
 * Starts the kiosk camera in `video` and decodes its frames in a Web Worker; `onText` gets each
 * decoded text once per appearance (a code held in view for many frames is reported once, again only
 * after it left the view). Rejects when the camera or the worker cannot start.
 */
export async function startCamera(
  video: HTMLVideoElement,
  onText: (text: string) => void,
  opts: StartCameraOptions = {},
): Promise<{ stop(): void }> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: opts.constraints ?? { width: { ideal: CAMERA_WIDTH }, height: { ideal: CAMERA_HEIGHT } },
  });
  const worker = new Worker(opts.workerUrl ?? CAMERA_WORKER_URL);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    worker.terminate();
    for (const t of stream.getTracks()) t.stop();
    video.srcObject = null;
  };
  try {
    await initWorker(worker, opts.wasmUrl ?? new URL(CAMERA_WASM_URL, location.href).href);
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    await video.play();
  } catch (e) {
    stop();
    throw e;
  }

  let frameId = 0;
  let busy = false;
  let lastText: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  worker.onmessage = (ev: MessageEvent<CameraWorkerReply>) => {
    const msg = ev.data;
    if (msg.type !== 'decoded') return;
    busy = false;
    if (msg.text) {
      opts.onSeen?.(msg.text);
      if (msg.text !== lastText) onText(msg.text);
    }
    lastText = msg.text;
  };
  worker.onerror = (ev) => opts.onError?.(ev.message || 'camera worker failed');
  for (const t of stream.getVideoTracks()) t.addEventListener('ended', () => opts.onError?.('camera ended'));

  const tick = async () => {
    timer = undefined;
    if (stopped) return;
    if (!busy && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      busy = true;
      try {
        const bitmap = await createImageBitmap(video);
        const req: CameraWorkerRequest = { type: 'frame', id: ++frameId, bitmap };
        worker.postMessage(req, [bitmap]);
      } catch {
        busy = false;
      }
    }
    if (!stopped) timer = setTimeout(tick, CAMERA_FRAME_INTERVAL_MS);
  };
  void tick();
  return {
    stop: () => {
      if (timer !== undefined) clearTimeout(timer);
      stop();
    },
  };
}

function initWorker(worker: Worker, wasmUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (ev: MessageEvent<CameraWorkerReply>) => {
      if (ev.data.type === 'ready') resolve();
      else if (ev.data.type === 'init-failed') reject(new Error(`camera decoder: ${ev.data.message}`));
    };
    worker.onerror = (ev) => reject(new Error(`camera worker: ${ev.message || 'failed to load'}`));
    const req: CameraWorkerRequest = { type: 'init', wasmUrl };
    worker.postMessage(req);
  });
}
