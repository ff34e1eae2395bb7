import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/shared/clock.ts';
import { startKiosk, type TestKiosk, waitForView } from '../../test/support/kiosk.ts';
import { screenOf } from './screen-of.ts';

let kiosk: TestKiosk | undefined;
afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
});

describe('the kiosk core', () => {
  it("books an applicant's A4 sheets in the paper ledger", async () => {
    kiosk = await startKiosk();
    const k = kiosk;
    const before = k.app.paperLedger.remaining();
    const no = '3574-KK-2611-000200'; // a KK of two pages
    await waitForView(k, (v) => v.screen === 'home');
    k.scan(await k.central.mintPrintCode(no));
    const next = await waitForView(k, (v) => v.screen === 'confirm' || v.screen === 'pin', 20_000);
    if (next.screen === 'pin') k.app.core.send({ type: 'pin', pin: k.central.application(no).pin });
    await waitForView(k, (v) => v.screen === 'confirm', 20_000);
    k.app.core.send({ type: 'confirm' });
    await waitForView(k, (v) => v.screen === 'collect', 30_000);
    expect(k.app.paperLedger.remaining()).toBe(before - 2);
    expect(k.app.paperLedger.totals()).toMatchObject({ printed: 2 });
  }, 60_000);

  it("serves the confirm screen's card picture, and not after the session", async () => {
    kiosk = await startKiosk();
    const k = kiosk;
    await waitForView(k, (v) => v.screen === 'home');
    k.scan(await k.central.mintPrintCode('3574-KIA-2611-000123'));
    const confirm = await waitForView(k, (v) => v.screen === 'confirm', 20_000);
    const url = confirm.confirm!.documents[0]!.previewUrl;
    expect(url).toMatch(/^\/preview\/[0-9a-f-]+\.png$/);
    const asset = await k.app.core.readAsset(url);
    expect(asset?.type).toBe('image/png');
    const png = Buffer.from(asset!.body);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: the whole card, 1016 x 648 dots.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1016, 648]);
    // Made once for the session: the same bytes on a second fetch.
    expect((await k.app.core.readAsset(url))?.body).toBe(asset!.body);
    k.app.core.send({ type: 'cancel' });
    await waitForView(k, (v) => v.screen === 'home', 20_000);
    expect(await k.app.core.readAsset(url)).toBeUndefined();
  }, 60_000);

  it('logs a maintenance action that fails instead of leaving an unhandled rejection', async () => {
    const clock = new ManualClock(Date.now());
    const lines: string[] = [];
    kiosk = await startKiosk({ clock, log: (l) => lines.push(l) });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      kiosk.app.core.attachMaintenance({
        handle: async () => {
          throw new Error('the printer refused');
        },
        view: () => undefined,
        setApplicantBusy: () => undefined,
        onChange: () => () => undefined,
      });
      // From the menu, and from a badge scanned at the scanner.
      kiosk.app.core.send({ type: 'maintenance', action: 'test-print-card' });
      kiosk.scan(await kiosk.central.mintBadge('T-3574-01'));
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(lines.filter((l) => l.includes('the printer refused'))).toHaveLength(2);
  });

  it('has a screen for every flow state and refuses a state it does not know', () => {
    expect(screenOf('confirm')).toBe('confirm');
    expect(screenOf({ pin: 'warning' } as never)).toBe('pin');
    expect(() => screenOf('nowhere' as never)).toThrow(/without a screen/);
  });
});
