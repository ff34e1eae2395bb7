import { type Clock, systemClock } from '../../shared/clock.ts';
import type { Transport } from '../../transport/transport.ts';
import {
  BEZEL_RETRACT,
  EJECT_MS,
  FEED_MS,
  PANEL_ORDER,
  type PanelName,
  PRINT_MS,
  type PrinterState,
} from '../protocol.ts';
import type { CardPanels } from '../types.ts';
import { CommandReader, type ReadCommand } from './command-reader.ts';
import { HeadHeat } from './sim-cooling.ts';
import { commandLabel, readReply, servePrinterOnPty } from './sim-reads.ts';
import { loadSimState, PrintedCards, saveSimState } from './sim-state.ts';
import {
  type CardPrinterSimulatorOptions,
  type PrintedCard,
  SIM_DEFAULTS,
  type SimFault,
  type SimFaultMoment,
  type SimState,
} from './sim-types.ts';

export { COOLING_WINDOW_MS } from './sim-cooling.ts';
export type { CardPrinterSimulatorOptions, PrintedCard, SimFault, SimFaultMoment } from './sim-types.ts';

/** Commands kept in `heard`. */
const MAX_HEARD = 500;
/** Garbage replies: never a valid reply, control bytes included, CR-terminated. */
const GARBAGE_REPLY = new Uint8Array([0x00, 0xfe, 0x3f, 0x23, 0x07, 0x4f, 0x0d]);

type Job = { phase: 'feed' | 'print' | 'eject'; timers: unknown[]; panels: CardPanels };

/**
 * A card printer that speaks card-printer.md over any Transport: it parses the very bytes the
 * driver writes and answers them. Its counters, ribbon and feeder persist in `stateDir`, each card
 * it prints is saved as a PNG composed from the panels, and every fault can be injected at any
 * moment of a sequence.
 */
export class CardPrinterSimulator {
  /** Scales the real timings; can be changed at any time (it applies from the next phase). */
  timeFactor: number;
  readonly serial: string;
  private readonly clock: Clock;
  private readonly stateDir: string | undefined;
  private readonly ribbonPanels: number;
  private s: SimState;
  private transport: Transport | undefined;
  private detach: (() => void) | undefined;
  private readonly reader: CommandReader;
  private sequence: { panels: Partial<Record<PanelName, Uint8Array>> } | undefined;
  private job: Job | undefined;
  private readonly pending = new Map<Exclude<SimFaultMoment, 'now'>, SimFault>();
  private silent = false;
  private garbage = false;
  private readonly cards: PrintedCards;
  private pngWrites: Promise<void> = Promise.resolve();
  /** The print head's heat: cards in the cooling window, and whether it is cooling now. */
  private readonly heat: HeadHeat;
  /** Whether the printer has an exit bezel (hardware: fixed for the simulator's life). */
  readonly bezel: boolean;
  /** The last commands heard, `name;args` (`Db;<panel>` for downloads), oldest first: what tests check was sent. */
  readonly heard: string[] = [];

  constructor(opts: CardPrinterSimulatorOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.timeFactor = opts.timeFactor ?? 1;
    this.serial = opts.serial ?? SIM_DEFAULTS.serial;
    this.stateDir = opts.stateDir;
    this.cards = new PrintedCards(opts.stateDir);
    this.ribbonPanels = opts.ribbonPanels ?? SIM_DEFAULTS.ribbonPanels;
    this.heat = new HeadHeat(this.clock, {
      ...(opts.coolingAfterCards !== undefined ? { afterCards: opts.coolingAfterCards } : {}),
      seconds: opts.coolingSeconds ?? SIM_DEFAULTS.coolingSeconds,
      timeFactor: () => this.timeFactor,
      hot: () => {
        if (this.s.state === 'READY') this.s.state = 'COOLING';
        this.save();
      },
      cooled: () => {
        if (this.s.state === 'COOLING') this.s.state = this.sensedState();
        this.save();
      },
    });
    this.bezel = opts.bezel ?? false;
    this.s = this.load(opts.blankCards ?? SIM_DEFAULTS.blankCards);
    this.reader = new CommandReader(this.clock, (c) => this.handle(c));
  }

  /** Printer counters (`Rco;tc`, `Rco;sc`). */
  get counters(): { total: number; spoiled: number } {
    return { total: this.s.total, spoiled: this.s.spoiled };
  }

  /** (1.1) `Rco;cl`: cards printed since the head was last cleaned. */
  get sinceCleaning(): number {
    return this.s.sinceCleaning;
  }

  /** (1.1) `Rco;rt`: printed cards drawn back from the bezel. */
  get returned(): number {
    return this.s.returned;
  }

  /** (1.1) A printed card waits in the exit bezel. */
  get cardInBezel(): boolean {
    return this.s.cardInBezel;
  }

  /** (1.1) The applicant takes the card from the bezel; false when there was none to take. */
  takeCard(): boolean {
    if (!this.s.cardInBezel) return false;
    this.s.cardInBezel = false;
    this.save();
    return true;
  }

  /** (1.1) A technician cleans the print head: `Rco;cl` starts again from 0. */
  cleanHead(): void {
    this.s.sinceCleaning = 0;
    this.save();
  }

  /**
   * (1.1) The head overheats now (as it does by itself after `coolingAfterCards` cards): COOLING for
   * `seconds` (default `coolingSeconds`) x `timeFactor`, then READY again by itself. A card being
   * printed finishes first.
   */
  startCooling(seconds?: number): void {
    this.heat.start(seconds);
  }

  /** Cooling events so far (for tests and the soak). */
  get coolings(): number {
    return this.heat.coolings;
  }

  /** Panel sets left on the ribbon (`Rr`). */
  get ribbonLeft(): number {
    return this.s.ribbonLeft;
  }

  /** Blank cards in the feeder: the simulator knows, a real printer only senses empty. */
  get blankCards(): number {
    return this.s.blankCards;
  }

  /** The state the printer would answer to `Rst` now. */
  get state(): PrinterState {
    return this.s.state;
  }

  /** Cards that came out printed, oldest first (in memory only the last few without a stateDir). */
  get printedCards(): readonly PrintedCard[] {
    return this.cards.list();
  }

  /** Resolves when every printed card's PNG has been written. */
  flush(): Promise<void> {
    return this.pngWrites;
  }

  /** Connects the printer to a line; a new line replaces the old one. */
  attach(transport: Transport): void {
    this.detach?.();
    this.transport = transport;
    this.reader.reset();
    const offData = transport.onData((chunk) => {
      if (!this.silent) this.reader.push(chunk);
    });
    const offClose = transport.onClose(() => {
      if (this.transport === transport) this.detachLine();
    });
    this.detach = () => {
      offData();
      offClose();
    };
  }

  /**
   * Serves the printer on a tty: a socat pty pair whose one end is linked at `linkPath` (open that
   * with the serial transport) and whose other end the simulator holds. `close` ends socat, which
   * to the driver looks like a pulled cable.
   */
  async serveOnPty(
    linkPath: string,
  ): Promise<{ path: string; close: () => Promise<void> } | { error: string }> {
    return servePrinterOnPty(this, linkPath);
  }

  /**
   * Makes a fault happen: `now`, or when the next sequence reaches a moment (`before-ss`: as `Ss`
   * arrives; `between-panels`: after the first panel; `during-print`: halfway through printing).
   */
  injectFault(fault: SimFault, when: SimFaultMoment = 'now'): void {
    if (when === 'now') this.applyFault(fault);
    else this.pending.set(when, fault);
  }

  /** The physical cause is removed (cover closed, cards loaded, ribbon fitted...): `Scs` then works. */
  clearCause(): void {
    const cause = this.s.cause;
    if (cause === 'FEEDER_EMPTY' && this.s.blankCards === 0) this.s.blankCards = this.s.blankCardsBeforeEmpty;
    if (cause === 'RIBBON_ENDED' || cause === 'NO_RIBBON' || this.s.ribbonLeft === 0) {
      if (this.s.ribbonLeft === 0) this.s.ribbonLeft = this.ribbonPanels;
    }
    this.s.cause = null;
    this.pending.clear();
    this.save();
  }

  /** Loads blank cards into the feeder (adds to what is there). */
  loadBlankCards(n: number): void {
    this.s.blankCards += n;
    if (this.s.cause === 'FEEDER_EMPTY') this.s.cause = null;
    this.save();
  }

  /** A technician takes up to `n` blank cards out of the feeder; returns how many were there to take. */
  removeBlankCards(n: number): number {
    const taken = Math.min(Math.max(0, n), this.s.blankCards);
    this.s.blankCards -= taken;
    // The feeder's sensor shows it empty while idle too (card-printer.md): the next card is refused.
    if (this.s.blankCards === 0 && this.s.state === 'READY') this.s.state = 'FEEDER_EMPTY';
    this.save();
    return taken;
  }

  /** Fits a new ribbon. */
  loadRibbon(panels = this.ribbonPanels): void {
    this.s.ribbonLeft = panels;
    if (this.s.cause === 'RIBBON_ENDED' || this.s.cause === 'NO_RIBBON') this.s.cause = null;
    this.save();
  }

  /** A hung printer: it reads nothing and answers nothing (the mechanics finish what they were doing). */
  setSilent(silent: boolean): void {
    this.silent = silent;
    if (silent) this.reader.reset();
  }

  /** A noisy line: every reply comes out as garbage (commands are still carried out). */
  setGarbage(garbage: boolean): void {
    this.garbage = garbage;
  }

  /** Stops timers and lets go of the line (the state stays persisted). */
  async close(): Promise<void> {
    this.cancelJob();
    this.heat.stop();
    this.reader.reset();
    const t = this.transport;
    this.detachLine();
    await t?.close();
    await this.pngWrites;
  }

  private detachLine(): void {
    this.detach?.();
    this.detach = undefined;
    this.transport = undefined;
    this.reader.reset();
  }

  private reply(text: string): undefined {
    const t = this.transport;
    if (!t || this.silent) return;
    void t.write(this.garbage ? GARBAGE_REPLY : new TextEncoder().encode(`${text}\r`));
  }

  private handle(cmd: ReadCommand): undefined {
    this.heard.push(commandLabel(cmd));
    if (this.heard.length > MAX_HEARD) this.heard.shift();
    if (cmd.kind === 'bad-data') return this.reply('ERR BAD_DATA');
    if (cmd.kind === 'download') return this.download(cmd.panel, cmd.data);
    const { name, args } = cmd;
    const read = readReply(name, args, this.s, { serial: this.serial, bezel: this.bezel });
    if (read !== undefined) return this.reply(read);
    switch (name) {
      case 'Sbz':
        return this.drawBack(args);
      case 'Srs':
        return this.reset();
      case 'Scs':
        return this.clearState();
      case 'Pr':
      case 'Ss':
      case 'Sr':
      case 'Se':
        return this.sequenceCommand(name, args);
      default:
        return this.reply('ERR BAD_COMMAND');
    }
  }

  /** `Sbz;r`: the card in the bezel goes to the reject box, counted apart from spoiled cards. */
  private drawBack(args: string[]): undefined {
    if (!this.bezel || args[0] !== BEZEL_RETRACT) return this.reply('ERR BAD_COMMAND');
    if (this.s.state === 'PRINTING') return this.reply('ERR BUSY');
    if (this.s.cardInBezel) {
      this.s.cardInBezel = false;
      this.s.returned++;
      this.save();
    }
    return this.reply('OK');
  }

  /**
   * Commands that need an idle, fault-free printer. While COOLING a sequence may be downloaded, but
   * `Se` is refused (card-printer.md 1.1: nothing is printed until the head has cooled).
   */
  private sequenceCommand(name: 'Pr' | 'Ss' | 'Sr' | 'Se', args: string[]): undefined {
    if (name === 'Ss') this.strike('before-ss');
    if (this.s.state === 'PRINTING') return this.reply('ERR BUSY');
    // 1.1: a printed card waiting in the bezel blocks the next card.
    if ((name === 'Ss' || name === 'Se') && this.s.cardInBezel) {
      if (name === 'Se') this.sequence = undefined;
      return this.reply('ERR BUSY');
    }
    if (this.s.state === 'COOLING' && name === 'Se') {
      this.sequence = undefined;
      return this.reply('ERR COOLING');
    }
    if (this.s.state !== 'READY' && this.s.state !== 'COOLING') {
      this.sequence = undefined;
      return this.reply(`ERR ${this.s.state}`);
    }
    switch (name) {
      case 'Pr':
        return this.reply(args[0] ? 'OK' : 'ERR BAD_COMMAND');
      case 'Ss':
        this.sequence = { panels: {} };
        return this.reply('OK');
      case 'Sr':
        return this.reply(this.sequence ? 'OK' : 'ERR BAD_COMMAND');
      case 'Se': {
        const seq = this.sequence;
        this.sequence = undefined;
        if (!seq || PANEL_ORDER.some((p) => !seq.panels[p])) return this.reply('ERR BAD_DATA');
        this.startJob(seq.panels as CardPanels);
        return this.reply('OK');
      }
    }
  }

  private download(panel: PanelName, data: Uint8Array): undefined {
    if (this.s.state === 'PRINTING') return this.reply('ERR BUSY');
    if (this.s.state !== 'READY' && this.s.state !== 'COOLING') {
      this.sequence = undefined;
      return this.reply(`ERR ${this.s.state}`);
    }
    if (!this.sequence) return this.reply('ERR BAD_COMMAND');
    this.sequence.panels[panel] = data;
    this.reply('OK');
    this.strike('between-panels');
  }

  private clearState(): undefined {
    const state = this.s.state;
    if (state === 'PRINTING') return this.reply('ERR BUSY');
    // 1.1: COOLING ends by itself; Scs answers OK and changes nothing.
    if (state === 'READY' || state === 'COOLING') return this.reply('OK');
    // MECHANICAL_ERROR needs a technician and Srs; Scs cannot clear it.
    if (state === 'MECHANICAL_ERROR' || this.s.cause !== null) return this.reply(`ERR ${state}`);
    this.s.state = this.sensedState();
    this.save();
    this.reply(this.s.state === 'READY' ? 'OK' : `ERR ${this.s.state}`);
  }

  private reset(): undefined {
    if (this.job) {
      // A card past the feed rollers goes to the reject box.
      if (this.job.phase !== 'feed') this.s.spoiled++;
      this.cancelJob();
    }
    this.sequence = undefined;
    this.s.cardInPrinter = false;
    if (this.s.state === 'MECHANICAL_ERROR' || this.s.state === 'PRINTING') {
      if (this.s.cause === 'MECHANICAL_ERROR') this.s.cause = null;
      this.s.state = this.sensedState();
    }
    this.save();
    this.reply('OK');
  }

  /** What the sensors say when nothing else is going on. */
  private sensedState(): PrinterState {
    if (this.s.cause) return this.s.cause;
    if (this.s.ribbonLeft <= 0) return 'RIBBON_ENDED';
    if (this.s.blankCards <= 0) return 'FEEDER_EMPTY';
    return this.heat.hot ? 'COOLING' : 'READY';
  }

  private strike(moment: Exclude<SimFaultMoment, 'now'>): void {
    const fault = this.pending.get(moment);
    if (!fault) return;
    this.pending.delete(moment);
    this.applyFault(fault);
  }

  private applyFault(fault: SimFault): void {
    this.s.cause = fault;
    if (fault === 'FEEDER_EMPTY' && this.s.blankCards > 0) {
      this.s.blankCardsBeforeEmpty = this.s.blankCards;
      this.s.blankCards = 0;
    }
    if (fault === 'RIBBON_ENDED') this.s.ribbonLeft = 0;
    const job = this.job;
    if (job) {
      if (job.phase === 'feed') {
        // No card picked yet: only a jam or a mechanical fault in the feed path spoils one.
        this.cancelJob();
        if (fault === 'CARD_JAM' || fault === 'MECHANICAL_ERROR') {
          this.s.blankCards = Math.max(0, this.s.blankCards - 1);
          this.s.spoiled++;
        }
        this.s.state = fault;
      } else if (fault === 'HOPPER_FULL' || fault === 'FEEDER_EMPTY') {
        // Neither stops the card already in the printer: it comes out, then the printer stops.
      } else {
        this.cancelJob();
        this.s.spoiled++;
        this.s.cardInPrinter = false;
        this.s.state = fault;
      }
    } else {
      this.sequence = undefined;
      this.s.state = fault;
    }
    this.save();
  }

  private cancelJob(): void {
    for (const t of this.job?.timers ?? []) this.clock.clearTimeout(t);
    this.job = undefined;
  }

  private startJob(panels: CardPanels): void {
    this.s.state = 'PRINTING';
    this.save();
    const job: Job = { phase: 'feed', timers: [], panels };
    this.job = job;
    job.timers.push(this.clock.setTimeout(() => this.fed(job), FEED_MS * this.timeFactor));
  }

  private fed(job: Job): void {
    if (this.job !== job) return;
    if (this.s.blankCards <= 0) {
      // Emptied by hand while the sequence came in: nothing to pick, no card moves.
      this.cancelJob();
      this.s.state = 'FEEDER_EMPTY';
      this.save();
      return;
    }
    this.s.blankCards--;
    this.s.ribbonLeft = Math.max(0, this.s.ribbonLeft - 1);
    this.s.cardInPrinter = true;
    job.phase = 'print';
    this.save();
    const printMs = PRINT_MS * this.timeFactor;
    if (this.pending.has('during-print')) {
      job.timers.push(this.clock.setTimeout(() => this.strike('during-print'), printMs / 2));
    }
    job.timers.push(this.clock.setTimeout(() => this.printed(job), printMs));
  }

  private printed(job: Job): void {
    if (this.job !== job) return;
    job.phase = 'eject';
    job.timers.push(this.clock.setTimeout(() => this.ejected(job), EJECT_MS * this.timeFactor));
  }

  private ejected(job: Job): void {
    if (this.job !== job) return;
    this.job = undefined;
    this.s.total++;
    this.s.sinceCleaning++;
    this.s.cardInPrinter = false;
    if (this.bezel) this.s.cardInBezel = true;
    this.s.state = this.sensedState();
    this.save();
    this.keepCard(this.s.total, job.panels);
    this.heat.cardPrinted();
  }

  private keepCard(number: number, panels: CardPanels): void {
    this.pngWrites = this.pngWrites.then(() => this.cards.keep(number, panels));
  }

  private load(blankCards: number): SimState {
    return loadSimState(this.stateDir, { ribbonPanels: this.ribbonPanels, blankCards, bezel: this.bezel });
  }

  private save(): void {
    saveSimState(this.stateDir, this.s);
  }
}
