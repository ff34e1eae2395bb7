import { ScannerListeners } from './scanner-listeners.ts';
import type { Scanner, ScannerStatus, ScanSource } from './types.ts';

/**
 * Several code readers as one (the serial scanner and the camera both enabled): every code from any
 * of them, READY while at least one is READY. `source` is the first reader's.
 */
export function combineScanners(scanners: Scanner[]): Scanner {
  if (scanners.length === 0) throw new Error('combineScanners needs at least one scanner');
  const combined = (): ScannerStatus => {
    if (scanners.some((s) => s.getStatus().state === 'READY')) return { state: 'READY' };
    const details = scanners.map(
      (s) => `${s.source}: ${(s.getStatus() as { detail?: string }).detail ?? 'offline'}`,
    );
    return { state: 'OFFLINE', detail: details.join('; ') };
  };
  const listeners = new ScannerListeners(combined());
  const unsubs = scanners.flatMap((s) => [
    s.onCode((text) => listeners.emitCode(text)),
    s.onStatus(() => listeners.setStatus(combined())),
  ]);
  return {
    source: scanners[0]!.source as ScanSource,
    onCode: (l) => listeners.onCode(l),
    getStatus: () => combined(),
    onStatus: (l) => listeners.onStatus(l),
    close: async () => {
      for (const u of unsubs) u();
      listeners.clear();
      await Promise.all(scanners.map((s) => s.close()));
    },
  };
}
