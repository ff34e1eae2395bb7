/** Main thread -> camera worker. */
export type CameraWorkerRequest =
  | { type: 'init'; wasmUrl: string }
  /** One video frame, transferred (not copied); the worker closes it. */
  | { type: 'frame'; id: number; bitmap: ImageBitmap };

/** Camera worker -> main thread. */
export type CameraWorkerReply =
  | { type: 'ready' }
  | { type: 'init-failed'; message: string }
  /** The frame was decoded; `text` when a code was read. The main thread sends the next frame then. */
  | { type: 'decoded'; id: number; text?: string; ms: number };
