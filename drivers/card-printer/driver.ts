import { type Clock, sleep, systemClock } from '../shared/clock.ts';
import { err, ok, type Result } from '../shared/result.ts';
import type { TransportOpener } from '../transport/transport.ts';
import { type ChannelReply, CommandChannel } from './command-channel.ts';
import {
  BEZEL_RETRACT,
  COMMANDS,
  COUNTER_RETURNED,
  COUNTER_SINCE_CLEANING,
  COUNTER_SPOILED,
  COUNTER_TOTAL,
  type CommandName,
  encodeCommand,
  encodeDownload,
  isPrinterFault,
  PANEL_ORDER,
  RIBBON_TYPE,
} from './protocol.ts';
import type {
  BezelFailure,
  BezelState,
  CardCounters,
  CardPanels,
  CardPrinter,
  CardPrinterFault,
  CardPrinterInfo,
  CardPrinterStatus,
  CardPrintOutcome,
  CardPrintStep,
} from './types.ts';

/** How often the watchdog asks `Rst` while nothing else is going on. */
export const WATCHDOG_INTERVAL_MS = 1000;
/**
 * How often `Rst` is polled while a card is being fed, printed and ejected. Short, because the card's
 * ejection is noticed only at the next poll and the applicant waits for `collect` meanwhile; a poll is a
 * few bytes each way, nothing at 115200 baud.
 */
export const PRINT_POLL_MS = 50;
/**
 * Longest a card may stay PRINTING before the driver gives up waiting (a real printer takes about
 * 21 s; this leaves room for a slow ribbon change of colour panels, not for a hang).
 */
export const PRINT_TIMEOUT_MS = 120_000;

type OnStep = (step: CardPrintStep, counters?: CardCounters) => Promise<void> | void;

/**
 * The card printer driver of card-printer.md over any transport. Every expected failure is a value;
 * `getStatus` never throws. A watchdog polls the state, notices a silent or unplugged printer
 * (OFFLINE) and, through the channel, reopens the transport when it comes back.
 */
export class CardPrinterDriver implements CardPrinter {
  private readonly channel: CommandChannel;
  private readonly clock: Clock;
  private readonly listeners = new Set<(status: CardPrinterStatus) => void>();
  private last: CardPrinterStatus | undefined;
  private watchdogTimer: unknown;
  private closed = false;
  /** (1.1) Whether the printer has an exit bezel; undefined until `Rbz` got an answer. */
  private bezel: boolean | undefined;
  private detecting: Promise<Result<boolean, CardPrinterFault>> | undefined;

  constructor(open: TransportOpener, opts: { clock?: Clock } = {}) {
    this.clock = opts.clock ?? systemClock;
    this.channel = new CommandChannel(open, this.clock);
    this.channel.onConnection((connected) => {
      if (!connected) this.publish({ state: 'OFFLINE' });
      else void this.getStatus().then(() => this.hasBezel());
    });
  }

  /** Opens the line (or keeps trying), learns whether the printer has a bezel, starts the watchdog. */
  async start(): Promise<void> {
    await this.channel.start();
    await this.getStatus();
    await this.hasBezel();
    this.armWatchdog();
  }

  async hasBezel(): Promise<Result<boolean, CardPrinterFault>> {
    if (this.bezel !== undefined) return ok(this.bezel);
    // One question on the wire however many callers ask at once (start and a reconnection, say).
    this.detecting ??= (async (): Promise<Result<boolean, CardPrinterFault>> => {
      const r = await this.ask('Rbz');
      if (r.kind === 'value') this.bezel = true;
      else if (r.kind === 'err' && r.code === 'BAD_COMMAND') this.bezel = false;
      else return err(await this.faultOf(r));
      return ok(this.bezel);
    })().finally(() => {
      this.detecting = undefined;
    });
    return this.detecting;
  }

  async readBezel(): Promise<Result<BezelState, BezelFailure>> {
    const has = await this.hasBezel();
    if (!has.ok) return has;
    if (!has.value) return err('NO_BEZEL');
    const r = await this.ask('Rbz');
    return r.kind === 'value' ? ok(r.text as BezelState) : err(await this.faultOf(r));
  }

  async drawBackCard(): Promise<Result<void, BezelFailure>> {
    const has = await this.hasBezel();
    if (!has.ok) return has;
    if (!has.value) return err('NO_BEZEL');
    const r = await this.ask('Sbz', BEZEL_RETRACT);
    return r.kind === 'ok' ? ok(undefined) : err(await this.faultOf(r));
  }

  async getStatus(): Promise<CardPrinterStatus> {
    const st = await this.ask('Rst');
    let status: CardPrinterStatus;
    if (st.kind !== 'value' || !isState(st.text)) {
      status = { state: 'OFFLINE' };
    } else {
      const rr = await this.ask('Rr');
      const ribbon = rr.kind === 'value' ? Number(rr.text) : undefined;
      if (st.text === 'READY') {
        status = ribbon === undefined ? { state: 'OFFLINE' } : { state: 'READY', ribbonPanelsLeft: ribbon };
      } else {
        status = ribbon === undefined ? { state: st.text } : { state: st.text, ribbonPanelsLeft: ribbon };
      }
    }
    this.publish(status);
    return status;
  }

  async readCounters(): Promise<Result<CardCounters, CardPrinterFault>> {
    const fate = await this.readFateCounters();
    if (!fate.ok) return fate;
    const counters: CardCounters = { ...fate.value };
    // A printer older than 1.1 answers BAD_COMMAND to the new counters: they are left out, not a fault.
    for (const [key, arg] of [
      ['sinceCleaning', COUNTER_SINCE_CLEANING],
      ['returned', COUNTER_RETURNED],
    ] as const) {
      const r = await this.ask('Rco', arg);
      if (r.kind === 'value') counters[key] = Number(r.text);
      else if (!(r.kind === 'err' && r.code === 'BAD_COMMAND')) return err(await this.faultOf(r));
    }
    return ok(counters);
  }

  /** `Rco;tc` and `Rco;sc` only: what decides a card's fate, read before and after every card. */
  private async readFateCounters(): Promise<Result<CardCounters, CardPrinterFault>> {
    const tc = await this.ask('Rco', COUNTER_TOTAL);
    if (tc.kind !== 'value') return err(await this.faultOf(tc));
    const sc = await this.ask('Rco', COUNTER_SPOILED);
    if (sc.kind !== 'value') return err(await this.faultOf(sc));
    return ok({ total: Number(tc.text), spoiled: Number(sc.text) });
  }

  async readInfo(): Promise<Result<CardPrinterInfo, CardPrinterFault>> {
    const model = await this.ask('Rtp');
    if (model.kind !== 'value') return err(await this.faultOf(model));
    const serial = await this.ask('Rsn');
    if (serial.kind !== 'value') return err(await this.faultOf(serial));
    const firmware = await this.ask('Rfv');
    if (firmware.kind !== 'value') return err(await this.faultOf(firmware));
    return ok({ model: model.text, serial: serial.text, firmware: firmware.text });
  }

  async clearFault(): Promise<Result<void, CardPrinterFault>> {
    const r = await this.ask('Scs');
    void this.getStatus();
    return r.kind === 'ok' ? ok(undefined) : err(await this.faultOf(r));
  }

  async reset(): Promise<Result<void, CardPrinterFault>> {
    const r = await this.ask('Srs');
    void this.getStatus();
    return r.kind === 'ok' ? ok(undefined) : err(await this.faultOf(r));
  }

  onStatus(listener: (status: CardPrinterStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clock.clearTimeout(this.watchdogTimer);
    await this.channel.close();
  }

  async printCard(panels: CardPanels, onStep?: OnStep): Promise<CardPrintOutcome> {
    let start = await this.getStatus();
    // A card still going through (the kiosk restarted mid-print) is waited for, not refused as BUSY.
    const waitUntil = this.clock.now() + PRINT_TIMEOUT_MS;
    while (start.state === 'PRINTING' && this.clock.now() < waitUntil) {
      await sleep(this.clock, PRINT_POLL_MS);
      start = await this.getStatus();
    }
    if (start.state === 'OFFLINE') return { kind: 'unknown', before: undefined, fault: 'OFFLINE' };
    const counted = await this.readFateCounters();
    if (!counted.ok) return { kind: 'unknown', before: undefined, fault: counted.error };
    const before = counted.value;
    if (start.state === 'COOLING') return { kind: 'cooling', before, after: before, fault: 'COOLING' };
    // Not learnt at start (the printer was silent then): ask now, before a card may be refused for it.
    if (this.bezel === undefined) await this.hasBezel();
    if (start.state !== 'READY') {
      if (start.state === 'PRINTING') return { kind: 'unknown', before, fault: 'MECHANICAL_ERROR' };
      return { kind: 'not-fed', before, after: before, fault: start.state };
    }
    // A card still in the bezel would make the printer refuse `Ss` with BUSY: no need to send 2 MB first.
    if (this.bezel && (await this.cardWaits())) {
      return { kind: 'card-waiting', before, after: before, fault: 'CARD_WAITING' };
    }

    // Until `Se` is accepted no card can have moved: a refusal is `not-fed`, or (1.1) `cooling`, or
    // `card-waiting` (BUSY with a card in the bezel); after both the same card may be sent again.
    const refused = async (r: ChannelReply): Promise<CardPrintOutcome> => {
      const cooling = r.kind === 'err' && r.code === 'COOLING';
      const waiting =
        r.kind === 'err' && r.code === 'BUSY' && this.bezel === true && (await this.cardWaits());
      const fault = cooling || waiting ? undefined : await this.faultOf(r);
      const read = await this.readFateCounters();
      const after = read.ok ? read.value : undefined;
      if (cooling) return { kind: 'cooling', before, after, fault: 'COOLING' };
      if (fault === undefined) return { kind: 'card-waiting', before, after, fault: 'CARD_WAITING' };
      return { kind: 'not-fed', before, after, fault };
    };
    const steps: [CommandName, string[]][] = [
      ['Pr', [RIBBON_TYPE]],
      ['Ss', []],
    ];
    for (const [name, args] of steps) {
      const r = await this.ask(name, ...args);
      if (r.kind !== 'ok') return refused(r);
    }
    await onStep?.('sequence-started', before);
    const side = await this.ask('Sr');
    if (side.kind !== 'ok') return refused(side);
    for (const panel of PANEL_ORDER) {
      const r = this.heard(await this.channel.send(encodeDownload(panel, panels[panel]), COMMANDS.Db));
      if (r.kind !== 'ok') return refused(r);
    }
    await onStep?.('panels-sent', before);
    const end = await this.ask('Se');
    if (end.kind === 'offline' || end.kind === 'garbage') {
      // The printer may have taken the card before it fell silent.
      return { kind: 'unknown', before, fault: 'OFFLINE' };
    }
    if (end.kind !== 'ok') return refused(end);
    await onStep?.('card-fed', before);
    return this.awaitCard(before, onStep);
  }

  /** Polls until the printer leaves PRINTING, then lets the counters say what became of the card. */
  private async awaitCard(before: CardCounters, onStep?: OnStep): Promise<CardPrintOutcome> {
    const deadline = this.clock.now() + PRINT_TIMEOUT_MS;
    for (;;) {
      await sleep(this.clock, PRINT_POLL_MS);
      const st = await this.ask('Rst');
      if (st.kind !== 'value' || !isState(st.text)) return { kind: 'unknown', before, fault: 'OFFLINE' };
      if (st.text === 'PRINTING') {
        if (this.clock.now() > deadline) return { kind: 'unknown', before, fault: 'MECHANICAL_ERROR' };
        continue;
      }
      const counted = await this.readFateCounters();
      void this.getStatus();
      if (!counted.ok) return { kind: 'unknown', before, fault: counted.error };
      const after = counted.value;
      // READY (or COOLING) after a spoiled card means someone reset the printer: still a fault of the card.
      const fault: CardPrinterFault = isPrinterFault(st.text) ? st.text : 'MECHANICAL_ERROR';
      if (after.total > before.total) {
        await onStep?.('card-ejected', after);
        return { kind: 'printed', before, after };
      }
      if (after.spoiled > before.spoiled) return { kind: 'spoiled', before, after, fault };
      return { kind: 'not-fed', before, after, fault };
    }
  }

  /** `Rbz` says CARD (a bezel that cannot be read counts as empty: the printer's refusal will tell). */
  private async cardWaits(): Promise<boolean> {
    const r = await this.ask('Rbz');
    return r.kind === 'value' && r.text === 'CARD';
  }

  private async ask(name: CommandName, ...args: string[]): Promise<ChannelReply> {
    return this.heard(await this.channel.send(encodeCommand(name, ...args), COMMANDS[name]));
  }

  /** Any command that goes unanswered (or answered with garbage) makes the printer OFFLINE at once. */
  private heard(r: ChannelReply): ChannelReply {
    if (r.kind === 'offline' || r.kind === 'garbage') this.publish({ state: 'OFFLINE' });
    return r;
  }

  /**
   * The fault behind a failed command: the state it named, OFFLINE for silence or garbage, and for
   * protocol codes (BUSY, BAD_COMMAND, BAD_DATA) the state the printer is in now.
   */
  private async faultOf(r: ChannelReply): Promise<CardPrinterFault> {
    if (r.kind === 'err' && isPrinterFault(r.code)) return r.code;
    if (r.kind !== 'err') return 'OFFLINE';
    const st = await this.ask('Rst');
    if (st.kind === 'value' && isPrinterFault(st.text)) return st.text;
    return st.kind === 'value' ? 'MECHANICAL_ERROR' : 'OFFLINE';
  }

  private publish(status: CardPrinterStatus): void {
    const same = this.last?.state === status.state && this.last.ribbonPanelsLeft === status.ribbonPanelsLeft;
    this.last = status;
    if (same) return;
    for (const l of [...this.listeners]) l(status);
  }

  private armWatchdog(): void {
    if (this.closed) return;
    this.watchdogTimer = this.clock.setTimeout(async () => {
      const status = await this.getStatus();
      if (this.bezel === undefined && status.state !== 'OFFLINE') await this.hasBezel();
      this.armWatchdog();
    }, WATCHDOG_INTERVAL_MS);
  }
}

function isState(text: string): text is Exclude<CardPrinterStatus['state'], 'OFFLINE'> {
  return text === 'READY' || text === 'PRINTING' || text === 'COOLING' || isPrinterFault(text);
}
