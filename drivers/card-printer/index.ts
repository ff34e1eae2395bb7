import { mkdirSync } from 'node:fs';
import type { Clock } from '../shared/clock.ts';
import { ok, type Result } from '../shared/result.ts';
import { createMemoryTransportPair } from '../transport/memory.ts';
import { openSerialTransport } from '../transport/serial.ts';
import type { Transport } from '../transport/transport.ts';
import { openUsbTransport } from '../transport/usb.ts';
import { CardPrinterDriver } from './driver.ts';
import { CardPrinterSimulator } from './simulator/simulator.ts';
import type { CardPrinter } from './types.ts';

export { CardPrinterDriver } from './driver.ts';
export { HEAD_CLEANING_DUE_CARDS } from './protocol.ts';
export { composePng } from './render/compose.ts';
export { renderTestPattern } from './render/test-pattern.ts';
export {
  CardPrinterSimulator,
  type CardPrinterSimulatorOptions,
  type PrintedCard,
  type SimFault,
  type SimFaultMoment,
} from './simulator/simulator.ts';
export type * from './types.ts';

/** How the kiosk reaches its card printer (config `devices.cardPrinter`). */
export type CardPrinterConfig =
  | { driver: 'serial'; path: string; baudRate?: number }
  | { driver: 'usb'; vendorId?: number; productId?: number }
  | {
      driver: 'sim';
      stateDir?: string;
      timeFactor?: number;
      blankCards?: number;
      /** (1.1) Cooling after this many cards within 10 minutes (none: never). */
      coolingAfterCards?: number;
      /** (1.1) Length of a cooling at a real printer's pace (times `timeFactor`). */
      coolingSeconds?: number;
      /** (1.1) An exit bezel that holds each printed card until it is taken. */
      bezel?: boolean;
    };

/** The card-printer.md baud rate. */
const DEFAULT_BAUD_RATE = 115200;

/**
 * Opens the card printer the config names and starts its watchdog. A printer that is not there
 * yet is not an error: the driver reports OFFLINE and keeps trying to reopen it.
 *
 * For `sim`, the real protocol driver talks to an in-process simulator over an in-memory line (the
 * same bytes as on a wire); `sim` is returned so that the kiosk and tests can inject faults and
 * load cards.
 */
export async function openCardPrinter(
  config: CardPrinterConfig,
  opts: { clock?: Clock } = {},
): Promise<{ printer: CardPrinter; sim?: CardPrinterSimulator }> {
  if (config.driver === 'sim') {
    if (config.stateDir) mkdirSync(config.stateDir, { recursive: true });
    const sim = new CardPrinterSimulator({
      ...(config.stateDir ? { stateDir: config.stateDir } : {}),
      ...(config.blankCards !== undefined ? { blankCards: config.blankCards } : {}),
      ...(config.coolingAfterCards !== undefined ? { coolingAfterCards: config.coolingAfterCards } : {}),
      ...(config.coolingSeconds !== undefined ? { coolingSeconds: config.coolingSeconds } : {}),
      ...(config.bezel !== undefined ? { bezel: config.bezel } : {}),
      timeFactor: config.timeFactor ?? 1,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    // The simulator is always there: a new in-memory line each time the driver (re)opens.
    const open = async (): Promise<Result<Transport, string>> => {
      const { a, b } = createMemoryTransportPair();
      sim.attach(b);
      return ok(a);
    };
    const printer = new CardPrinterDriver(open, opts);
    await printer.start();
    const close = printer.close.bind(printer);
    printer.close = async () => {
      await close();
      await sim.close();
    };
    return { printer, sim };
  }
  const open =
    config.driver === 'serial'
      ? () => openSerialTransport(config.path, config.baudRate ?? DEFAULT_BAUD_RATE)
      : () =>
          openUsbTransport({
            ...(config.vendorId !== undefined ? { vendorId: config.vendorId } : {}),
            ...(config.productId !== undefined ? { productId: config.productId } : {}),
          });
  const printer = new CardPrinterDriver(open, opts);
  await printer.start();
  return { printer };
}
