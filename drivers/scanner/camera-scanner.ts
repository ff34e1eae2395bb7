import { type Clock, systemClock } from '../shared/clock.ts';
import { ListeningScanner } from './scanner-listeners.ts';
import type { Scanner } from './types.ts';

/**
 * The camera sees the same print code in frame after frame while it is held up; a repeat of the
 * last text within this window is the same scan, not a new one.
 */
export const CAMERA_REPEAT_SUPPRESS_MS = 3_000;

/**
 * The kiosk camera as a Scanner. The UI decodes frames (ui/camera) and sends only the decoded text;
 * the core hands it to `push`. READY while the UI reports the camera running (`setAvailable`).
 */
export class CameraScanner extends ListeningScanner implements Scanner {
  readonly source = 'camera' as const;
  private readonly clock: Clock;
  private last: { text: string; at: number } | undefined;

  constructor(opts: { clock?: Clock } = {}) {
    super({ state: 'READY' });
    this.clock = opts.clock ?? systemClock;
  }

  /** A code the UI decoded. Empty text and quick repeats of the same code are ignored. */
  push(text: string): void {
    const code = text.replace(/[\r\n]+$/, '');
    if (code.length === 0) return;
    const now = this.clock.now();
    if (this.last && this.last.text === code && now - this.last.at < CAMERA_REPEAT_SUPPRESS_MS) {
      this.last.at = now;
      return;
    }
    this.last = { text: code, at: now };
    this.listeners.emitCode(code);
  }

  /** The UI tells whether it got the camera (permission, device present). */
  setAvailable(available: boolean, detail?: string): void {
    this.listeners.setStatus(
      available ? { state: 'READY' } : detail ? { state: 'OFFLINE', detail } : { state: 'OFFLINE' },
    );
  }
}
