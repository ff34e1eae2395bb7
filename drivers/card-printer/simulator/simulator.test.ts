import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.ts';
import { createMemoryTransportPair } from '../../transport/memory.ts';
import type { Transport } from '../../transport/transport.ts';
import { encodeCommand, encodeDownload, PANEL_ORDER, PANELS } from '../protocol.ts';
import { CardPrinterSimulator } from './simulator.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'card-sim-'));
  dirs.push(d);
  return d;
}

/** A host end that sends raw frames and collects reply lines. */
function host(sim: CardPrinterSimulator): { line: Transport; ask: (frame: Uint8Array) => Promise<string> } {
  const { a, b } = createMemoryTransportPair();
  sim.attach(b);
  let buffer = '';
  const waiters: ((l: string) => void)[] = [];
  a.onData((c) => {
    buffer += Buffer.from(c).toString('latin1');
    let at = buffer.indexOf('\r');
    while (at >= 0) {
      const l = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      waiters.shift()?.(l);
      at = buffer.indexOf('\r');
    }
  });
  return {
    line: a,
    ask: async (frame) => {
      const reply = new Promise<string>((r) => waiters.push(r));
      await a.write(frame);
      return reply;
    },
  };
}

async function printOne(ask: (f: Uint8Array) => Promise<string>) {
  expect(await ask(encodeCommand('Pr', 'ymcko'))).toBe('OK');
  expect(await ask(encodeCommand('Ss'))).toBe('OK');
  expect(await ask(encodeCommand('Sr'))).toBe('OK');
  for (const p of PANEL_ORDER) {
    expect(await ask(encodeDownload(p, new Uint8Array(PANELS[p].bytes).fill(p === 'k' ? 0xf0 : 40)))).toBe(
      'OK',
    );
  }
  return ask(encodeCommand('Se'));
}

describe('CardPrinterSimulator', () => {
  it('persists counters, ribbon and feeder across restarts, and saves each card as a PNG', async () => {
    const stateDir = tempDir();
    const clock = new ManualClock();
    const sim = new CardPrinterSimulator({ stateDir, clock, blankCards: 5 });
    const { ask } = host(sim);
    expect(await printOne(ask)).toBe('OK');
    expect(await ask(encodeCommand('Rst'))).toBe('PRINTING');
    expect(await ask(encodeCommand('Ss'))).toBe('ERR BUSY');
    await clock.advanceAsync(2000 + 18000 + 1000);
    expect(await ask(encodeCommand('Rst'))).toBe('READY');
    expect(await ask(encodeCommand('Rco', 'tc'))).toBe('1');
    await sim.flush();
    const path = sim.printedCards[0]?.path;
    expect(path && existsSync(path)).toBe(true);
    await sim.close();

    const again = new CardPrinterSimulator({ stateDir, clock, blankCards: 99 });
    expect(again.counters).toEqual({ total: 1, spoiled: 0 });
    expect(again.ribbonLeft).toBe(499);
    expect(again.blankCards).toBe(4);
    const saved = JSON.parse(readFileSync(join(stateDir, 'card-printer-sim.json'), 'utf8'));
    expect(saved.total).toBe(1);
    await again.close();
  });

  it('a power loss mid-print rejects the card at the next start (counted spoiled)', async () => {
    const stateDir = tempDir();
    const clock = new ManualClock();
    const sim = new CardPrinterSimulator({ stateDir, clock });
    const { ask } = host(sim);
    expect(await printOne(ask)).toBe('OK');
    await clock.advanceAsync(2000 + 5000);
    // No close: the process dies with the card under the head.
    const after = new CardPrinterSimulator({ stateDir, clock });
    expect(after.counters).toEqual({ total: 0, spoiled: 1 });
    expect(after.state).toBe('READY');
    await after.close();
  });

  it('senses a feeder emptied by hand: FEEDER_EMPTY at once while idle, and no card is fed from it', async () => {
    const clock = new ManualClock();
    const sim = new CardPrinterSimulator({ clock, blankCards: 2 });
    const { ask } = host(sim);
    expect(sim.removeBlankCards(5)).toBe(2);
    expect(await ask(encodeCommand('Rst'))).toBe('FEEDER_EMPTY');
    expect(await printOne(ask).catch(() => 'refused')).not.toBe('OK');
    await clock.advanceAsync(2000 + 18000 + 1000);
    expect(sim.blankCards).toBe(0);
    expect(sim.counters).toEqual({ total: 0, spoiled: 0 });
    expect(sim.removeBlankCards(1)).toBe(0);
    sim.loadBlankCards(1);
    expect(await ask(encodeCommand('Scs'))).toBe('OK');
    expect(await printOne(ask)).toBe('OK');
    // Taken out while the card was about to be picked: no card moves either.
    expect(sim.removeBlankCards(1)).toBe(1);
    await clock.advanceAsync(2000 + 18000 + 1000);
    expect(await ask(encodeCommand('Rst'))).toBe('FEEDER_EMPTY');
    expect(sim.blankCards).toBe(0);
    expect(sim.counters).toEqual({ total: 0, spoiled: 0 });
  });

  it('scales its timings by the time factor', async () => {
    const clock = new ManualClock();
    const sim = new CardPrinterSimulator({ clock, timeFactor: 0.05 });
    const { ask } = host(sim);
    expect(await printOne(ask)).toBe('OK');
    await clock.advanceAsync(1049);
    expect(await ask(encodeCommand('Rst'))).toBe('PRINTING');
    await clock.advanceAsync(2);
    expect(await ask(encodeCommand('Rst'))).toBe('READY');
    await sim.close();
  });

  it('answers Se without all five panels with ERR BAD_DATA and drops the sequence', async () => {
    const sim = new CardPrinterSimulator({ clock: new ManualClock() });
    const { ask } = host(sim);
    expect(await ask(encodeCommand('Ss'))).toBe('OK');
    expect(await ask(encodeDownload('y', new Uint8Array(PANELS.y.bytes)))).toBe('OK');
    expect(await ask(encodeCommand('Se'))).toBe('ERR BAD_DATA');
    expect(await ask(encodeCommand('Se'))).toBe('ERR BAD_DATA');
    expect(await ask(new TextEncoder().encode('\u001bXyz\r'))).toBe('ERR BAD_COMMAND');
    await sim.close();
  });

  it('Srs during PRINTING rejects the card past the rollers and clears MECHANICAL_ERROR', async () => {
    const clock = new ManualClock();
    const sim = new CardPrinterSimulator({ clock });
    const { ask } = host(sim);
    expect(await printOne(ask)).toBe('OK');
    await clock.advanceAsync(3000);
    expect(await ask(encodeCommand('Srs'))).toBe('OK');
    expect(sim.counters).toEqual({ total: 0, spoiled: 1 });
    sim.injectFault('MECHANICAL_ERROR');
    expect(await ask(encodeCommand('Scs'))).toBe('ERR MECHANICAL_ERROR');
    expect(await ask(encodeCommand('Srs'))).toBe('OK');
    expect(await ask(encodeCommand('Rst'))).toBe('READY');
    await sim.close();
  });

  it('1.1 cooling: after coolingAfterCards cards within 10 minutes, Se refused, Scs changes nothing, READY by itself', async () => {
    const clock = new ManualClock();
    const sim = new CardPrinterSimulator({ clock, coolingAfterCards: 2, coolingSeconds: 40 });
    const { ask } = host(sim);
    const card = 2000 + 18000 + 1000;
    expect(await printOne(ask)).toBe('OK');
    await clock.advanceAsync(card);
    // The second card 9 minutes later is still within the window.
    await clock.advanceAsync(9 * 60_000);
    expect(await printOne(ask)).toBe('OK');
    await clock.advanceAsync(card);
    expect(await ask(encodeCommand('Rst'))).toBe('COOLING');
    expect(await ask(encodeCommand('Scs'))).toBe('OK');
    expect(await ask(encodeCommand('Rst'))).toBe('COOLING');
    // The sequence downloads, but Se is refused and no counter moves.
    expect(await printOne(ask)).toBe('ERR COOLING');
    expect(sim.counters).toEqual({ total: 2, spoiled: 0 });
    expect(sim.ribbonLeft).toBe(498);
    await clock.advanceAsync(39_999);
    expect(await ask(encodeCommand('Rst'))).toBe('COOLING');
    await clock.advanceAsync(1);
    expect(await ask(encodeCommand('Rst'))).toBe('READY');
    // The refused sequence was discarded: it starts again from Ss.
    expect(await ask(encodeCommand('Se'))).toBe('ERR BAD_DATA');
    expect(sim.coolings).toBe(1);
    // The count started again: one card is not enough to cool.
    expect(await printOne(ask)).toBe('OK');
    await clock.advanceAsync(card);
    expect(await ask(encodeCommand('Rst'))).toBe('READY');
    await sim.close();
  });

  it('1.1 cooling: cards more than 10 minutes apart never add up', async () => {
    const clock = new ManualClock();
    const sim = new CardPrinterSimulator({ clock, coolingAfterCards: 2 });
    const { ask } = host(sim);
    for (let i = 0; i < 3; i++) {
      expect(await printOne(ask)).toBe('OK');
      await clock.advanceAsync(10 * 60_000 + 1);
      expect(await ask(encodeCommand('Rst'))).toBe('READY');
    }
    expect(sim.coolings).toBe(0);
    await sim.close();
  });

  it('1.1 bezel: the card waits, Ss and Se are BUSY, Sbz;r draws it back (Rco;rt), takeCard empties it', async () => {
    const stateDir = tempDir();
    const clock = new ManualClock();
    const sim = new CardPrinterSimulator({ stateDir, clock, bezel: true });
    const { ask } = host(sim);
    const card = 2000 + 18000 + 1000;
    expect(await ask(encodeCommand('Rbz'))).toBe('EMPTY');
    expect(await printOne(ask)).toBe('OK');
    await clock.advanceAsync(card);
    expect(await ask(encodeCommand('Rst'))).toBe('READY');
    expect(await ask(encodeCommand('Rbz'))).toBe('CARD');
    expect(await ask(encodeCommand('Rco', 'tc'))).toBe('1');
    expect(await ask(encodeCommand('Ss'))).toBe('ERR BUSY');
    expect(await ask(encodeCommand('Se'))).toBe('ERR BUSY');
    expect(sim.takeCard()).toBe(true);
    expect(await ask(encodeCommand('Rbz'))).toBe('EMPTY');
    expect(await printOne(ask)).toBe('OK');
    await clock.advanceAsync(card);
    expect(await ask(encodeCommand('Sbz', 'r'))).toBe('OK');
    expect(await ask(encodeCommand('Sbz', 'r'))).toBe('OK');
    expect(await ask(encodeCommand('Rco', 'rt'))).toBe('1');
    expect(await ask(encodeCommand('Rco', 'sc'))).toBe('0');
    expect(await ask(encodeCommand('Rco', 'cl'))).toBe('2');
    sim.cleanHead();
    expect(await ask(encodeCommand('Rco', 'cl'))).toBe('0');
    expect(await ask(encodeCommand('Rco', 'tc'))).toBe('2');
    await sim.close();
  });

  it('1.1 bezel: a card left in the bezel is still there after a power loss', async () => {
    const stateDir = tempDir();
    const clock = new ManualClock();
    const sim = new CardPrinterSimulator({ stateDir, clock, bezel: true });
    const { ask } = host(sim);
    expect(await printOne(ask)).toBe('OK');
    await clock.advanceAsync(21_000);
    const after = new CardPrinterSimulator({ stateDir, clock, bezel: true });
    expect(after.cardInBezel).toBe(true);
    expect(after.counters).toEqual({ total: 1, spoiled: 0 });
    await after.close();
    await sim.close();
  });

  it('1.1 a printer without a bezel answers Rbz and Sbz;r with ERR BAD_COMMAND and counts Rco;rt 0', async () => {
    const sim = new CardPrinterSimulator({ clock: new ManualClock() });
    const { ask } = host(sim);
    expect(await ask(encodeCommand('Rbz'))).toBe('ERR BAD_COMMAND');
    expect(await ask(encodeCommand('Sbz', 'r'))).toBe('ERR BAD_COMMAND');
    expect(await ask(encodeCommand('Rco', 'rt'))).toBe('0');
    expect(sim.takeCard()).toBe(false);
    await sim.close();
  });
});
