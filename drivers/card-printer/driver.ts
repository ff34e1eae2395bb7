import { type Clock, sleep, systemClock } from '../shared/clock.ts';
import { err, ok, type Result } from '../shared/result.ts';
import type { TransportOpener } from '../transport/transport.ts';
import { type ChannelReply, CommandChannel } from './command-channel.ts';
import {
  COMMANDS,
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

  constructor(open: TransportOpener, opts: { clock?: Clock } = {}) {
    this.clock = opts.clock ?? systemClock;
    this.channel = new CommandChannel(open, this.clock);
    this.channel.onConnection((connected) => {
      if (!connected) this.publish({ state: 'OFFLINE' });
      else void this.getStatus();
    });
  }

  /** Opens the line (or keeps trying) and starts the watchdog. */
  async start(): Promise<void> {
    await this.channel.start();
    await this.getStatus();
    this.armWatchdog();
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
    const counted = await this.readCounters();
    if (!counted.ok) return { kind: 'unknown', before: undefined, fault: counted.error };
    const before = counted.value;
    if (start.state !== 'READY') {
      if (start.state === 'PRINTING') return { kind: 'unknown', before, fault: 'MECHANICAL_ERROR' };
      return { kind: 'not-fed', before, after: before, fault: start.state };
    }

    // Until `Se` is accepted no card can have moved: a refusal is `not-fed`.
    const refused = async (r: ChannelReply): Promise<CardPrintOutcome> => {
      const fault = await this.faultOf(r);
      const after = await this.readCounters();
      return { kind: 'not-fed', before, after: after.ok ? after.value : undefined, fault };
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
      const counted = await this.readCounters();
      void this.getStatus();
      if (!counted.ok) return { kind: 'unknown', before, fault: counted.error };
      const after = counted.value;
      // READY after a spoiled card means someone reset the printer: still a fault of the card.
      const fault: CardPrinterFault = st.text === 'READY' ? 'MECHANICAL_ERROR' : st.text;
      if (after.total > before.total) {
        await onStep?.('card-ejected', after);
        return { kind: 'printed', before, after };
      }
      if (after.spoiled > before.spoiled) return { kind: 'spoiled', before, after, fault };
      return { kind: 'not-fed', before, after, fault };
    }
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
      await this.getStatus();
      this.armWatchdog();
    }, WATCHDOG_INTERVAL_MS);
  }
}

function isState(text: string): text is Exclude<CardPrinterStatus['state'], 'OFFLINE'> {
  return text === 'READY' || text === 'PRINTING' || isPrinterFault(text);
}
