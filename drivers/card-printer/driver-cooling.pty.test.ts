import { afterEach, describe, expect, it } from 'vitest';
import { panels, ptyRig, until } from '../../test/support/card-printer-pty-rig.ts';
import type { CardPrintStep } from './types.ts';

/**
 * (1.1) A print head that overheats, over a socat pty and the real serial binding: COOLING is a state
 * of its own (not a fault), a refused card is `cooling` (not fed, counters unchanged) and the same card
 * prints once the printer is READY again.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** 100 s of cooling at the rig's time factor 0.01: 1 s, room for a few commands on a loaded machine. */
const COOLING_SECONDS = 100;

describe('card printer driver: cooling (1.1)', () => {
  it('after coolingAfterCards cards the status is COOLING; the next card is `cooling`, then prints once READY', async () => {
    const { sim, driver, statuses } = await ptyRig(cleanups, {
      coolingAfterCards: 2,
      coolingSeconds: COOLING_SECONDS,
    });
    expect((await driver.printCard(panels())).kind).toBe('printed');
    expect((await driver.printCard(panels())).kind).toBe('printed');
    expect(await driver.getStatus()).toEqual({ state: 'COOLING', ribbonPanelsLeft: 498 });
    const heardBefore = sim.heard.length;
    const steps: CardPrintStep[] = [];
    const refused = await driver.printCard(panels(), (s) => {
      steps.push(s);
    });
    expect(refused).toEqual({
      kind: 'cooling',
      before: { total: 2, spoiled: 0 },
      after: { total: 2, spoiled: 0 },
      fault: 'COOLING',
    });
    // Found COOLING before sending: not one byte of the sequence went out.
    expect(steps).toEqual([]);
    expect(sim.heard.slice(heardBefore).filter((c) => !c.startsWith('R'))).toEqual([]);
    // Scs answers OK and changes nothing.
    expect(await driver.clearFault()).toEqual({ ok: true, value: undefined });
    expect((await driver.getStatus()).state).toBe('COOLING');
    await until(
      () => driver.getStatus(),
      (s) => s.state === 'READY',
    );
    expect(statuses.map((s) => s.status.state)).toContain('COOLING');
    expect(await driver.printCard(panels())).toMatchObject({ kind: 'printed', after: { total: 3 } });
    // The count started again after the cooling: one card does not cool the head.
    expect((await driver.getStatus()).state).toBe('READY');
    expect(sim.coolings).toBe(1);
  });

  it('ERR COOLING to Se: `cooling`, no card fed, no counter moved; the same panels print when READY', async () => {
    const { sim, driver } = await ptyRig(cleanups, { coolingSeconds: COOLING_SECONDS });
    const steps: CardPrintStep[] = [];
    const card = panels();
    const outcome = await driver.printCard(card, (s) => {
      steps.push(s);
      // The head gets too hot while the panels go down the line.
      // 3 s at the rig's pace: longer than sending the panels down the pty takes.
      if (s === 'sequence-started') sim.startCooling(300);
    });
    expect(outcome).toEqual({
      kind: 'cooling',
      before: { total: 0, spoiled: 0 },
      after: { total: 0, spoiled: 0 },
      fault: 'COOLING',
    });
    expect(steps).toEqual(['sequence-started', 'panels-sent']);
    expect(sim.heard.at(-3)).toBe('Se');
    expect(sim.blankCards).toBe(100);
    expect(sim.ribbonLeft).toBe(500);
    await until(
      () => driver.getStatus(),
      (s) => s.state === 'READY',
      6000,
    );
    expect(await driver.printCard(card)).toEqual({
      kind: 'printed',
      before: { total: 0, spoiled: 0 },
      after: { total: 1, spoiled: 0 },
    });
  });

  it('a fault during cooling wins; once cleared the printer is still COOLING until the head has cooled', async () => {
    const { sim, driver } = await ptyRig(cleanups, { coolingSeconds: COOLING_SECONDS });
    sim.startCooling();
    sim.injectFault('COVER_OPEN');
    expect((await driver.getStatus()).state).toBe('COVER_OPEN');
    expect(await driver.printCard(panels())).toMatchObject({ kind: 'not-fed', fault: 'COVER_OPEN' });
    sim.clearCause();
    await driver.clearFault();
    expect((await driver.getStatus()).state).toBe('COOLING');
    await until(
      () => driver.getStatus(),
      (s) => s.state === 'READY',
    );
  });
});
