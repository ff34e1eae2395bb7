/** Where a code came from. */
export type ScanSource = 'serial' | 'camera' | 'sim' | 'keyboard';

/** What the kiosk knows of a code reader. */
export type ScannerStatus = { state: 'READY' } | { state: 'OFFLINE'; detail?: string };

/**
 * A code reader: the serial 2D scanner, the camera (decoded in the UI), a keyboard-mode scanner (told
 * apart from typing in the UI) or the simulator.
 */
export interface Scanner {
  readonly source: ScanSource;
  /** Each decoded code's text, without its line end. Returns an unsubscribe function. */
  onCode(listener: (text: string) => void): () => void;
  getStatus(): ScannerStatus;
  onStatus(listener: (status: ScannerStatus) => void): () => void;
  close(): Promise<void>;
}
