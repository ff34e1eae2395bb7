import { performance } from 'node:perf_hooks';
import type { Intent, View } from '../../kiosk/view.ts';
import { startKiosk } from '../support/kiosk.ts';
import { followViews, sendIntent } from '../support/view-stream.ts';
import type { Report } from './harness.ts';

/** Sessions measured (after a few for warm-up). */
const SESSIONS = 200;
const WARMUP = 10;

/**
 * The software's own part of a session, over 200 sessions with the central API simulator on loopback
 * and the devices simulated (the card printer's real protocol over an in-memory line, at a time factor
 * that makes the printer's own work a few milliseconds): scan to `confirm` shown, confirm to the first
 * byte at the card printer, card ejected to `collect` shown. Views are taken from the browser host's
 * event stream, as the UI receives them.
 */
export async function bench(report: Report): Promise<void> {
  const kiosk = await startKiosk({
    devices: {
      cardPrinter: { driver: 'sim', timeFactor: 0.0005, blankCards: 1000 },
      scanner: { driver: 'sim' },
    },
    delays: { collectMs: 0, doneMs: 0 },
  });
  const sim = kiosk.app.cardSim!;
  sim.loadRibbon(10_000);
  // Hooks on the simulator's side of the line: the first byte in, and the moment a card is ejected.
  let firstByteAt = 0;
  const reader = (sim as unknown as { reader: { push(b: Uint8Array): void } }).reader;
  const push = reader.push.bind(reader);
  reader.push = (b) => {
    if (firstByteAt === 0) firstByteAt = performance.now();
    push(b);
  };
  let ejectedAt = 0;
  const s = sim as unknown as { ejected(job: unknown): void };
  const ejected = s.ejected.bind(sim);
  s.ejected = (job) => {
    ejectedAt = performance.now();
    ejected(job);
  };

  const stream = viewStream(kiosk.url);
  const scanToConfirm: number[] = [];
  const confirmToFirstByte: number[] = [];
  const ejectToCollect: number[] = [];
  const apps = kiosk.central
    .applications()
    .filter(
      (a) =>
        a.status === 'READY' &&
        a.selfPrint &&
        !a.pinRequired &&
        a.regionCode === '3574' &&
        a.documents.every((d) => d.medium === 'CARD'),
    );
  try {
    for (let i = 0; i < SESSIONS + WARMUP; i++) {
      const app = apps[i % apps.length]!;
      kiosk.central.setStatus(app.applicationNo, 'READY');
      const code = await kiosk.central.mintPrintCode(app.applicationNo);
      await stream.until((v) => v.screen === 'home');
      const t0 = performance.now();
      kiosk.scan(code);
      await stream.until((v) => v.screen === 'confirm');
      const t1 = performance.now();
      firstByteAt = 0;
      await stream.send({ type: 'confirm' });
      await stream.until((v) => v.screen === 'collect');
      const t3 = performance.now();
      await stream.until((v) => v.screen === 'survey');
      await stream.send({ type: 'skip' });
      if (i >= WARMUP) {
        scanToConfirm.push(t1 - t0);
        confirmToFirstByte.push(firstByteAt - t1);
        ejectToCollect.push(t3 - ejectedAt);
      }
    }
  } finally {
    stream.close();
    await kiosk.stop();
  }
  report({ name: 'session.scan-to-confirm', unit: 'ms', samples: scanToConfirm });
  report({ name: 'session.confirm-to-first-printer-byte', unit: 'ms', samples: confirmToFirstByte });
  report({ name: 'session.card-ejected-to-collect', unit: 'ms', samples: ejectToCollect });
}

/** The browser host's event stream and intent endpoint, as the UI uses them. */
function viewStream(url: string) {
  let latest: View | undefined;
  let waiters: Array<{ pred: (v: View) => boolean; resolve: () => void }> = [];
  const stream = followViews(url, (view) => {
    latest = view;
    waiters = waiters.filter((w) => {
      if (!w.pred(view)) return true;
      w.resolve();
      return false;
    });
  });
  return {
    until(pred: (v: View) => boolean): Promise<void> {
      if (latest && pred(latest)) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ pred, resolve }));
    },
    send: (intent: Intent) => sendIntent(url, intent),
    close: () => stream.close(),
  };
}
