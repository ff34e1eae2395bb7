import type { Clock } from '../shared/clock.ts';
import { CupsPaperPrinter } from './cups-printer.ts';
import { PaperPrinterSimulator } from './sim-printer.ts';
import type { PaperPrinter } from './types.ts';
import { WindowsPaperPrinter } from './windows-printer.ts';

export { CupsPaperPrinter } from './cups-printer.ts';
export { pageCount } from './page-count.ts';
export { PaperPrinterSimulator, type SimPaperFault, type SimPaperJob } from './sim-printer.ts';
export type * from './types.ts';
export { WindowsPaperPrinter } from './windows-printer.ts';

/** `devices.paperPrinter` of the kiosk config. */
export type PaperPrinterConfig =
  | { driver: 'cups'; queue: string; server?: string }
  | { driver: 'windows'; printer: string }
  | { driver: 'sim'; paperSheets?: number; timeFactor?: number; outDir?: string };

/**
 * Opens the configured A4 printer. Nothing is contacted here: a spooler that is down shows in
 * `getStatus()` (OFFLINE), so the kiosk can start and report it. For `sim`, the simulator is returned
 * too, for fault injection and inspection.
 */
export async function openPaperPrinter(
  config: PaperPrinterConfig,
  opts: { clock?: Clock } = {},
): Promise<{ printer: PaperPrinter; sim?: PaperPrinterSimulator }> {
  const clock = opts.clock ? { clock: opts.clock } : {};
  switch (config.driver) {
    case 'cups':
      return {
        printer: new CupsPaperPrinter({
          queue: config.queue,
          ...(config.server ? { server: config.server } : {}),
          ...clock,
        }),
      };
    case 'windows':
      return { printer: new WindowsPaperPrinter({ printer: config.printer, ...clock }) };
    case 'sim': {
      const sim = new PaperPrinterSimulator({ ...config, ...clock });
      return { printer: sim, sim };
    }
  }
}
