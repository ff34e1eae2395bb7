import { useEffect, useRef, useState } from 'preact/hooks';
import { type StartCameraOptions, startCamera } from './start-camera.ts';
import './camera-view.css';

/** How long the guide frame shows "code seen" after a frame with a code. */
export const SEEN_FEEDBACK_MS = 1_200;

export interface CameraViewProps {
  /** Each decoded text, once per appearance: send it to the core (`{ type: 'scan', text }`). */
  onText: (text: string) => void;
  /** The camera could (true) or could not (false) be started, for the core's scanner status. */
  onAvailable?: (available: boolean, detail?: string) => void;
  /** Accessible label of the live view (localised by the caller). */
  label?: string;
  workerUrl?: StartCameraOptions['workerUrl'];
  wasmUrl?: StartCameraOptions['wasmUrl'];
}

/**
 * The kiosk camera on the home screen: the live video with a guide frame to hold the code in, which
 * turns green with a tick when a code is seen (`data-camera-state="seen"`). The video is mirrored, as
 * applicants expect of a camera that faces them. Decoding runs in a worker (start-camera.ts).
 */
export function CameraView({ onText, onAvailable, label, workerUrl, wasmUrl }: CameraViewProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'starting' | 'live' | 'seen' | 'unavailable'>('starting');
  // The latest callbacks, so that a new closure from the parent does not restart the camera.
  const callbacks = useRef({ onText, onAvailable });
  callbacks.current = { onText, onAvailable };

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    let camera: { stop(): void } | undefined;
    let seenTimer: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;
    const unavailable = (message: string) => {
      if (cancelled) return;
      setState('unavailable');
      callbacks.current.onAvailable?.(false, message);
    };
    startCamera(el, (text) => callbacks.current.onText(text), {
      ...(workerUrl ? { workerUrl } : {}),
      ...(wasmUrl ? { wasmUrl } : {}),
      onSeen: () => {
        setState('seen');
        if (seenTimer !== undefined) clearTimeout(seenTimer);
        seenTimer = setTimeout(() => setState('live'), SEEN_FEEDBACK_MS);
      },
      onError: unavailable,
    }).then(
      (c) => {
        if (cancelled) return c.stop();
        camera = c;
        setState('live');
        callbacks.current.onAvailable?.(true);
      },
      (e: unknown) => unavailable(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
      if (seenTimer !== undefined) clearTimeout(seenTimer);
      camera?.stop();
    };
  }, [workerUrl, wasmUrl]);

  return (
    <div class="camera-view" data-camera-state={state}>
      <video ref={video} class="camera-video" muted playsInline aria-label={label} />
      <div class="camera-guide" aria-hidden="true">
        <span class="camera-guide-corner camera-guide-tl" />
        <span class="camera-guide-corner camera-guide-tr" />
        <span class="camera-guide-corner camera-guide-bl" />
        <span class="camera-guide-corner camera-guide-br" />
        <span class="camera-guide-tick">✓</span>
      </div>
    </div>
  );
}
