import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../../kiosk/central-api/contract.ts';
import { knownServiceEntry } from '../../kiosk/documents/services.ts';
import { type Cupsd, printedFiles } from '../support/cupsd.ts';
import { type TestKiosk, waitForView } from '../support/kiosk.ts';
import { startKioskOnCups } from '../support/kiosk-on-cups.ts';

/**
 * Every one of the 24 services of central-api.yaml 1.1, printed end to end through the whole kiosk: a
 * card on the card printer simulator, an A4 document through a real CUPS queue (cups-pdf), and what came
 * out checked: the page count and the document's title in the PDF's text, or the card counted.
 */
let cups: Cupsd;
let kiosk: TestKiosk;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ cups, kiosk, stop } = await startKioskOnCups());
}, 60_000);

afterAll(async () => {
  await stop?.();
});

const pdfText = (path: string) => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
const pdfPages = (path: string) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))?.[1]);

describe('every service the ADM prints', () => {
  it('has 24 services, each with a READY self-print application of this region in the simulator', () => {
    expect(SERVICES).toHaveLength(24);
    for (const service of SERVICES)
      expect(
        kiosk.central
          .applications()
          .some((a) => a.service === service && a.status === 'READY' && a.selfPrint),
        service,
      ).toBe(true);
  });

  for (const service of SERVICES) {
    it(`prints ${service} and it comes out as issued`, async () => {
      const app = kiosk.central
        .applications()
        .find(
          (a) => a.service === service && a.status === 'READY' && a.selfPrint && a.regionCode === '3574',
        )!;
      const k = kiosk;
      await waitForView(k, (v) => v.screen === 'home', 20_000);
      const before = await printedFiles(cups.outDir);
      const cardsBefore = k.app.cardSim!.counters.total;
      k.scan(await k.central.mintPrintCode(app.applicationNo));
      const next = await waitForView(
        k,
        (v) => v.screen === 'confirm' || v.screen === 'pin' || v.screen === 'error',
      );
      if (next.screen === 'pin') k.app.core.send({ type: 'pin', pin: app.pin });
      const confirm = await waitForView(k, (v) => v.screen === 'confirm' || v.screen === 'error');
      expect(confirm, JSON.stringify(confirm).slice(0, 200)).toMatchObject({ screen: 'confirm' });
      k.app.core.send({ type: 'confirm' });
      await waitForView(
        k,
        (v) => v.screen === 'collect' || v.screen === 'survey' || v.screen === 'error',
        60_000,
      );
      expect(k.app.core.currentView().screen).not.toBe('error');
      await waitForView(k, (v) => v.screen === 'survey', 20_000);
      k.app.core.send({ type: 'skip' });
      await waitForView(k, (v) => v.screen === 'home', 20_000);

      for (const doc of app.documents) {
        if (doc.medium === 'CARD') {
          expect(k.app.cardSim!.counters.total).toBe(cardsBefore + 1);
          continue;
        }
        // cups-pdf writes the file once the job is done; the kiosk waited for CUPS to say completed.
        const after = await printedFiles(cups.outDir);
        const fresh = after.filter((f) => !before.includes(f));
        expect(fresh, `${service}: one PDF out`).toHaveLength(1);
        expect(pdfPages(fresh[0]!)).toBe(doc.pages);
        const title = knownServiceEntry(service)?.printedTitle;
        if (title) expect(pdfText(fresh[0]!).replace(/\s+/g, ' ')).toContain(title);
      }
      await k.app.outbox.flush(true);
      expect(k.central.completionsOf(app.applicationNo)).toBe(1);
    }, 60_000);
  }
});
