import { type Cupsd, startCupsd } from './cupsd.ts';
import { startKiosk, type TestKiosk } from './kiosk.ts';

/**
 * A private CUPS with its cups-pdf queue, and a test kiosk printing A4 to it (the card printer and the
 * scanner simulated): the set-up of the tests that print A4 through a real spooler.
 */
export async function startKioskOnCups(): Promise<{ cups: Cupsd; kiosk: TestKiosk; stop(): Promise<void> }> {
  const cups = await startCupsd();
  process.env.CUPS_SERVER = cups.server;
  const kiosk = await startKiosk({
    devices: {
      cardPrinter: { driver: 'sim', timeFactor: 0.01, blankCards: 100 },
      paperPrinter: { driver: 'cups', queue: cups.queue },
      scanner: { driver: 'sim' },
    },
    delays: { collectMs: 50, doneMs: 50 },
  });
  return {
    cups,
    kiosk,
    stop: async () => {
      await kiosk.stop();
      await cups.stop();
    },
  };
}
