import { afterEach, describe, expect, it } from 'vitest';
import { panels, ptyRig, until } from '../../test/support/card-printer-pty-rig.ts';
import type { CardPrinterDriver } from './driver.ts';
import type { CardPrinterSimulator, SimFault } from './simulator/simulator.ts';
import type { CardCounters, CardPrintStep } from './types.ts';

/**
 * The driver against the simulator over a real socat pty pair and the real serialport binding: the
 * bytes cross a tty as they would to a printer on /dev/ttyUSB0.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const rig = () => ptyRig(cleanups);

const FAULTS: SimFault[] = [
  'COVER_OPEN',
  'FEEDER_EMPTY',
  'RIBBON_ENDED',
  'NO_RIBBON',
  'CARD_JAM',
  'HOPPER_FULL',
  'MECHANICAL_ERROR',
];

describe('card printer driver over a socat pty', () => {
  it('prints a card: every step in order, counters +1, ribbon and feeder -1, the card saved as PNG', async () => {
    const { sim, driver } = await rig();
    const steps: [CardPrintStep, CardCounters | undefined][] = [];
    const outcome = await driver.printCard(panels(), (s, c) => {
      steps.push([s, c]);
    });
    expect(outcome).toEqual({
      kind: 'printed',
      before: { total: 0, spoiled: 0 },
      after: { total: 1, spoiled: 0 },
    });
    expect(steps).toEqual([
      ['sequence-started', { total: 0, spoiled: 0 }],
      ['panels-sent', { total: 0, spoiled: 0 }],
      ['card-fed', { total: 0, spoiled: 0 }],
      ['card-ejected', { total: 1, spoiled: 0 }],
    ]);
    expect(sim.ribbonLeft).toBe(499);
    expect(sim.blankCards).toBe(99);
    expect(await driver.getStatus()).toEqual({ state: 'READY', ribbonPanelsLeft: 499 });
    await sim.flush();
    // The simulator received the panels byte for byte: the composed card shows k dots black.
    expect(sim.printedCards).toHaveLength(1);
    expect(sim.printedCards[0]!.path).toMatch(/card-000001\.png$/);
  });

  it('reads model, serial and firmware', async () => {
    const { driver } = await rig();
    expect(await driver.readInfo()).toEqual({
      ok: true,
      value: { model: 'Primacy', serial: 'E0000SIM1', firmware: '1.6.2' },
    });
  });

  for (const fault of FAULTS) {
    it(`${fault} before Ss: not fed, counters unchanged, status ${fault}, cleared again`, async () => {
      const { sim, driver } = await rig();
      sim.injectFault(fault, 'before-ss');
      const steps: CardPrintStep[] = [];
      const outcome = await driver.printCard(panels(), (s) => {
        steps.push(s);
      });
      expect(outcome).toEqual({
        kind: 'not-fed',
        before: { total: 0, spoiled: 0 },
        after: { total: 0, spoiled: 0 },
        fault,
      });
      expect(steps).toEqual([]);
      expect((await driver.getStatus()).state).toBe(fault);
      await expectRecovery(sim, driver, fault);
    });

    it(`${fault} between panels: not fed, counters unchanged, status ${fault}`, async () => {
      const { sim, driver } = await rig();
      sim.injectFault(fault, 'between-panels');
      const steps: CardPrintStep[] = [];
      const outcome = await driver.printCard(panels(), (s) => {
        steps.push(s);
      });
      expect(outcome).toMatchObject({ kind: 'not-fed', after: { total: 0, spoiled: 0 }, fault });
      expect(steps).toEqual(['sequence-started']);
      expect((await driver.getStatus()).state).toBe(fault);
      expect(sim.ribbonLeft).toBe(fault === 'RIBBON_ENDED' ? 0 : 500);
      await expectRecovery(sim, driver, fault);
    });

    // A hopper that fills or a feeder that runs out does not stop the card already inside: it comes
    // out printed, then the printer stops. Every other fault spoils the card in the printer.
    const cardSurvives = fault === 'HOPPER_FULL' || fault === 'FEEDER_EMPTY';
    it(`${fault} during print: ${cardSurvives ? 'printed' : 'spoiled'}, status ${fault}`, async () => {
      const { sim, driver } = await rig();
      sim.injectFault(fault, 'during-print');
      const steps: CardPrintStep[] = [];
      const outcome = await driver.printCard(panels(), (s) => {
        steps.push(s);
      });
      if (cardSurvives) {
        expect(outcome).toEqual({
          kind: 'printed',
          before: { total: 0, spoiled: 0 },
          after: { total: 1, spoiled: 0 },
        });
        expect(steps).toEqual(['sequence-started', 'panels-sent', 'card-fed', 'card-ejected']);
      } else {
        expect(outcome).toEqual({
          kind: 'spoiled',
          before: { total: 0, spoiled: 0 },
          after: { total: 0, spoiled: 1 },
          fault,
        });
        expect(steps).toEqual(['sequence-started', 'panels-sent', 'card-fed']);
      }
      // The card reached the print head: one panel set used, spoiled or not.
      if (fault !== 'RIBBON_ENDED') expect(sim.ribbonLeft).toBe(499);
      expect((await driver.getStatus()).state).toBe(fault);
      await expectRecovery(sim, driver, fault);
    });
  }

  it('a fault while idle shows in the status; Scs is refused while the cause is there', async () => {
    const { sim, driver, statuses } = await rig();
    sim.injectFault('COVER_OPEN');
    await until(
      () => statuses.at(-1)?.status.state,
      (s) => s === 'COVER_OPEN',
    );
    expect(await driver.clearFault()).toEqual({ ok: false, error: 'COVER_OPEN' });
    sim.clearCause();
    expect(await driver.clearFault()).toEqual({ ok: true, value: undefined });
    expect((await driver.getStatus()).state).toBe('READY');
  });

  it('an empty feeder (the real count reaching 0) is FEEDER_EMPTY after the last card', async () => {
    const { sim, driver } = await rig();
    sim.loadBlankCards(-sim.blankCards + 1);
    const first = await driver.printCard(panels());
    expect(first.kind).toBe('printed');
    expect((await driver.getStatus()).state).toBe('FEEDER_EMPTY');
    const second = await driver.printCard(panels());
    expect(second).toMatchObject({ kind: 'not-fed', fault: 'FEEDER_EMPTY' });
    sim.loadBlankCards(10);
    expect((await driver.clearFault()).ok).toBe(true);
  });

  it('a printer that falls silent mid-print: printCard returns after the 2 s deadline, OFFLINE, then back', async () => {
    const { sim, driver, statuses } = await rig();
    let silentAt = 0;
    const outcome = await driver.printCard(panels(), (s) => {
      if (s === 'card-fed') {
        sim.setSilent(true);
        silentAt = Date.now();
      }
    });
    const returnedAfter = Date.now() - silentAt;
    expect(outcome).toEqual({ kind: 'unknown', before: { total: 0, spoiled: 0 }, fault: 'OFFLINE' });
    expect(returnedAfter).toBeLessThan(3500);
    expect(statuses.at(-1)?.status.state).toBe('OFFLINE');
    sim.setSilent(false);
    await until(
      () => statuses.at(-1)?.status.state,
      (s) => s === 'READY',
    );
    // The mechanics finished the card while the line was silent: the counters tell.
    expect(await driver.readCounters()).toMatchObject({ ok: true, value: { total: 1, spoiled: 0 } });
  });

  it('garbage replies read as OFFLINE, nothing is printed, and the driver recovers when they stop', async () => {
    const { sim, driver } = await rig();
    sim.setGarbage(true);
    expect((await driver.getStatus()).state).toBe('OFFLINE');
    const outcome = await driver.printCard(panels());
    expect(outcome).toEqual({ kind: 'unknown', before: undefined, fault: 'OFFLINE' });
    sim.setGarbage(false);
    expect((await driver.getStatus()).state).toBe('READY');
    expect(sim.counters).toEqual({ total: 0, spoiled: 0 });
  });

  it('unplugged mid-sequence: detected within 2 s, reconnected when plugged back, prints again', async () => {
    const { sim, driver, statuses, unplug, plugIn } = await rig();
    let unpluggedAt = 0;
    const outcome = await driver.printCard(panels(), async (s) => {
      if (s === 'panels-sent') {
        unpluggedAt = Date.now();
        await unplug();
      }
    });
    expect(outcome).toEqual({ kind: 'unknown', before: { total: 0, spoiled: 0 }, fault: 'OFFLINE' });
    const offline = await until(
      () => statuses.find((s) => s.status.state === 'OFFLINE' && s.at >= unpluggedAt),
      (s) => s !== undefined,
    );
    expect(offline!.at - unpluggedAt).toBeLessThan(2000);
    expect((await driver.getStatus()).state).toBe('OFFLINE');

    await plugIn();
    await until(
      () => statuses.at(-1)?.status.state,
      (s) => s === 'READY',
    );
    // `Se` never reached the printer: no card moved.
    expect(await driver.readCounters()).toMatchObject({ ok: true, value: { total: 0, spoiled: 0 } });
    expect(sim.blankCards).toBe(100);
    expect((await driver.printCard(panels())).kind).toBe('printed');
  });

  it('unplugged while the card prints: the card still comes out, the counters say so after reconnecting', async () => {
    const { driver, statuses, unplug, plugIn } = await rig();
    const outcome = await driver.printCard(panels(), async (s) => {
      if (s === 'card-fed') await unplug();
    });
    expect(outcome).toMatchObject({ kind: 'unknown', fault: 'OFFLINE' });
    await plugIn();
    await until(
      () => statuses.at(-1)?.status.state,
      (s) => s === 'READY',
    );
    expect(await driver.readCounters()).toMatchObject({ ok: true, value: { total: 1, spoiled: 0 } });
  });

  it('keeps one command at a time on the wire whatever the callers do', async () => {
    const { driver } = await rig();
    const all = await Promise.all([
      driver.getStatus(),
      driver.readCounters(),
      driver.readInfo(),
      driver.getStatus(),
      driver.readCounters(),
    ]);
    expect(all[0]).toEqual({ state: 'READY', ribbonPanelsLeft: 500 });
    expect(all[1]).toEqual({ ok: true, value: { total: 0, spoiled: 0, sinceCleaning: 0, returned: 0 } });
    expect(all[2]).toMatchObject({ ok: true, value: { serial: 'E0000SIM1' } });
    expect(all[4]).toEqual({ ok: true, value: { total: 0, spoiled: 0, sinceCleaning: 0, returned: 0 } });
  });
});

/** Removes the cause and clears the fault the way a technician would; the printer is READY again. */
async function expectRecovery(sim: CardPrinterSimulator, driver: CardPrinterDriver, fault: SimFault) {
  if (fault === 'MECHANICAL_ERROR') {
    expect(await driver.clearFault()).toEqual({ ok: false, error: 'MECHANICAL_ERROR' });
    expect((await driver.reset()).ok).toBe(true);
  } else {
    expect(await driver.clearFault()).toEqual({ ok: false, error: fault });
    sim.clearCause();
    expect((await driver.clearFault()).ok).toBe(true);
  }
  expect((await driver.getStatus()).state).toBe('READY');
}
