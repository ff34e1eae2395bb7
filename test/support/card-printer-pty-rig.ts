import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CardPrinterDriver } from '../../drivers/card-printer/driver.ts';
import { PANELS } from '../../drivers/card-printer/protocol.ts';
import {
  CardPrinterSimulator,
  type CardPrinterSimulatorOptions,
} from '../../drivers/card-printer/simulator/simulator.ts';
import type { CardPanels, CardPrinterStatus } from '../../drivers/card-printer/types.ts';
import { openSerialTransport } from '../../drivers/transport/serial.ts';

/**
 * Test support: the driver against the simulator over a real socat pty pair and the real serialport
 * binding, so the bytes cross a tty as they would to a printer on /dev/ttyUSB0.
 */

/** 0.01: feed 20 ms, print 180 ms, eject 10 ms. */
export const TIME_FACTOR = 0.01;

/** Plain panels of the right sizes. */
export function panels(): CardPanels {
  const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
  return {
    y: fill(PANELS.y.bytes, 10),
    m: fill(PANELS.m.bytes, 20),
    c: fill(PANELS.c.bytes, 30),
    k: fill(PANELS.k.bytes, 0x0f),
    o: fill(PANELS.o.bytes, 0xff),
  };
}

/** A simulator served on a pty and a started driver on its other end; `cleanups` undoes it all. */
export async function ptyRig(
  cleanups: (() => Promise<void> | void)[],
  simOptions: CardPrinterSimulatorOptions = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'card-printer-pty-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const sim = new CardPrinterSimulator({
    stateDir: join(dir, 'sim'),
    timeFactor: TIME_FACTOR,
    ...simOptions,
  });
  cleanups.push(() => sim.close());
  const link = join(dir, 'ttyCARD');
  let served = await sim.serveOnPty(link);
  if ('error' in served) throw new Error(served.error);
  cleanups.push(() => ('close' in served ? served.close() : undefined));
  const driver = new CardPrinterDriver(() => openSerialTransport(link));
  cleanups.push(() => driver.close());
  await driver.start();
  const statuses: { at: number; status: CardPrinterStatus }[] = [];
  driver.onStatus((status) => statuses.push({ at: Date.now(), status }));
  return {
    dir,
    sim,
    driver,
    statuses,
    /** Pulls the cable: socat ends, both ends of the pty go away. */
    unplug: async () => {
      if ('close' in served) await served.close();
    },
    plugIn: async () => {
      served = await sim.serveOnPty(link);
      if ('error' in served) throw new Error(served.error);
    },
  };
}

/** Probes until `ok` holds, or throws after `ms`. */
export async function until<T>(probe: () => Promise<T> | T, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`not reached in ${ms} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
