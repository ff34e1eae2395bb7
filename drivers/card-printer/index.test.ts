import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCardPrinter, renderTestPattern } from './index.ts';
import type { CardPrinter, CardPrinterStatus } from './types.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(probe: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error('not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('openCardPrinter with the in-process simulator', () => {
  it('prints a rendered KTP-el through the real protocol driver and keeps state in stateDir', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'card-open-'));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    const { printer, sim } = await openCardPrinter({
      driver: 'sim',
      stateDir,
      timeFactor: 0.01,
      blankCards: 3,
    });
    cleanups.push(() => printer.close());
    expect(sim).toBeDefined();
    const card = await renderTestPattern();
    const outcome = await printer.printCard(card.panels);
    expect(outcome.kind).toBe('printed');
    await sim!.flush();
    expect(sim!.printedCards[0]!.path?.startsWith(stateDir)).toBe(true);
    expect(sim!.blankCards).toBe(2);
    await printer.close();

    const reopened = await openCardPrinter({ driver: 'sim', stateDir, timeFactor: 0.01 });
    cleanups.push(() => reopened.printer.close());
    expect(await reopened.printer.readCounters()).toMatchObject({
      ok: true,
      value: { total: 1, spoiled: 0 },
    });
    expect(reopened.sim!.blankCards).toBe(2);
  });

  it('the watchdog reports faults injected while idle, and OFFLINE while the printer is silent', async () => {
    const { printer, sim } = await openCardPrinter({ driver: 'sim', timeFactor: 0.01 });
    cleanups.push(() => printer.close());
    const seen: CardPrinterStatus[] = [];
    printer.onStatus((s) => seen.push(s));
    sim!.injectFault('HOPPER_FULL');
    await until(() => seen.at(-1)?.state === 'HOPPER_FULL');
    sim!.setSilent(true);
    await until(() => seen.at(-1)?.state === 'OFFLINE');
    sim!.setSilent(false);
    await until(() => seen.at(-1)?.state === 'HOPPER_FULL');
    sim!.clearCause();
    expect((await printer.clearFault()).ok).toBe(true);
  });

  it('prints the technician test pattern', async () => {
    const { printer } = await openCardPrinter({ driver: 'sim', timeFactor: 0.01 });
    cleanups.push(() => printer.close());
    const pattern = await renderTestPattern();
    expect((await printCard(printer, pattern.panels)).kind).toBe('printed');
  });
});

function printCard(printer: CardPrinter, panels: Parameters<CardPrinter['printCard']>[0]) {
  return printer.printCard(panels);
}
