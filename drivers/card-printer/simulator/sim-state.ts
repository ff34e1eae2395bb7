import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composePng } from '../render/compose.ts';
import type { CardPanels } from '../types.ts';
import type { PrintedCard, SimState } from './sim-types.ts';

/** Where the simulated printer keeps its state in its `stateDir`. */
const STATE_FILE = 'card-printer-sim.json';
/** Printed cards kept in memory when there is no stateDir (a long soak must not grow without end). */
const MAX_CARDS_IN_MEMORY = 20;

/**
 * The simulated printer's persisted state: counters, ribbon, feeder, a cause and a card in the bezel
 * survive a restart; what a power cut does to a card mid-print is applied on loading.
 */
export function loadSimState(
  stateDir: string | undefined,
  defaults: { ribbonPanels: number; blankCards: number; bezel: boolean },
): SimState {
  const { blankCards } = defaults;
  const fresh: SimState = {
    total: 0,
    spoiled: 0,
    ribbonLeft: defaults.ribbonPanels,
    blankCards,
    state: 'READY',
    cause: null,
    blankCardsBeforeEmpty: blankCards,
    cardInPrinter: false,
    sinceCleaning: 0,
    returned: 0,
    cardInBezel: false,
  };
  if (!stateDir) return fresh;
  let s: SimState;
  try {
    s = { ...fresh, ...(JSON.parse(readFileSync(join(stateDir, STATE_FILE), 'utf8')) as Partial<SimState>) };
  } catch {
    s = fresh;
  }
  // Power came back: a card caught mid-print is thrown out to the reject box, a job never resumes.
  if (s.cardInPrinter) s.spoiled++;
  s.cardInPrinter = false;
  // The head cooled while the power was off.
  if (s.state === 'PRINTING' || s.state === 'COOLING') s.state = 'READY';
  if (!defaults.bezel) s.cardInBezel = false;
  if (s.state === 'READY' || s.state === 'FEEDER_EMPTY' || s.state === 'RIBBON_ENDED') {
    s.state = s.cause ?? (s.ribbonLeft <= 0 ? 'RIBBON_ENDED' : s.blankCards <= 0 ? 'FEEDER_EMPTY' : 'READY');
  }
  return s;
}

/** Writes the state atomically (a temporary file renamed over the old one). */
export function saveSimState(stateDir: string | undefined, state: SimState): void {
  if (!stateDir) return;
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, STATE_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${file}.tmp`, file);
}

/** The cards that came out: each a PNG composed from its panels, saved under `stateDir` when there is one. */
export class PrintedCards {
  private readonly cards: PrintedCard[] = [];

  constructor(private readonly stateDir: string | undefined) {}

  list(): readonly PrintedCard[] {
    return this.cards;
  }

  async keep(number: number, panels: CardPanels): Promise<void> {
    const png = await composePng(panels);
    const card: PrintedCard = { number, png };
    if (this.stateDir) {
      const dir = join(this.stateDir, 'printed-cards');
      mkdirSync(dir, { recursive: true });
      card.path = join(dir, `card-${String(number).padStart(6, '0')}.png`);
      writeFileSync(card.path, png);
    }
    this.cards.push(card);
    if (this.cards.length > MAX_CARDS_IN_MEMORY) this.cards.shift();
  }
}
