import type { Clock } from '../shared/clock.ts';
import { CameraScanner } from './camera-scanner.ts';
import { KeyboardScanner } from './keyboard-scanner.ts';
import { SerialScanner } from './serial-scanner.ts';
import { SimScanner } from './sim-scanner.ts';
import type { Scanner } from './types.ts';

export { CAMERA_REPEAT_SUPPRESS_MS, CameraScanner } from './camera-scanner.ts';
export { combineScanners } from './combine-scanners.ts';
export { DEFAULT_MAX_INTER_KEY_MS, KeyboardScanner } from './keyboard-scanner.ts';
export { LineReader, MAX_LINE_BYTES } from './line-reader.ts';
export { SCANNER_REOPEN_MS, SerialScanner } from './serial-scanner.ts';
export { SimScanner } from './sim-scanner.ts';
export type * from './types.ts';

/** `devices.scanner` of the kiosk config. */
export type ScannerConfig =
  | { driver: 'serial'; path: string; baudRate?: number }
  | { driver: 'camera' }
  | { driver: 'sim' }
  | { driver: 'keyboard'; maxInterKeyMs?: number };

/**
 * Opens the configured code reader. A serial scanner that is not plugged in does not fail here: it is
 * OFFLINE and reopened every second. For `camera`, `keyboard` and `sim`, narrow the result with
 * `instanceof CameraScanner` / `KeyboardScanner` / `SimScanner` to feed it (`push` / `push` / `scan`).
 */
export async function openScanner(config: ScannerConfig, opts: { clock?: Clock } = {}): Promise<Scanner> {
  const clock = opts.clock ? { clock: opts.clock } : {};
  switch (config.driver) {
    case 'serial': {
      const s = new SerialScanner({
        path: config.path,
        ...(config.baudRate ? { baudRate: config.baudRate } : {}),
        ...clock,
      });
      await s.start();
      return s;
    }
    case 'camera':
      return new CameraScanner(clock);
    case 'sim':
      return new SimScanner();
    case 'keyboard':
      return new KeyboardScanner(config.maxInterKeyMs ? { maxInterKeyMs: config.maxInterKeyMs } : {});
  }
}
