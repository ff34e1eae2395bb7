import { type Clock, sleep } from '../shared/clock.ts';
import type { Transport, TransportOpener } from '../transport/transport.ts';
import { OFFLINE_AFTER_MS, parseReply, type Reply, type ReplyShape } from './protocol.ts';
import { ReplyFramer } from './reply-framer.ts';

/** Pause between attempts to reopen a transport that closed (unplugged cable, pty gone). */
export const RECONNECT_INTERVAL_MS = 500;

/**
 * After a reply missed its deadline, the line is left quiet this long before the next command, and
 * what arrives meanwhile is dropped: a late reply must not be taken for the next command's.
 */
export const RESYNC_QUIET_MS = 500;

/** A reply, or `offline`: no line to send on, or no reply within OFFLINE_AFTER_MS. */
export type ChannelReply = Reply | { kind: 'offline' };

/**
 * The wire to one printer: one command at a time (the next only after the reply to the previous,
 * whoever the callers are), a reply deadline, and reopening the transport whenever it closes.
 */
export class CommandChannel {
  private transport: Transport | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly framer = new ReplyFramer();
  private waiting: ((line: string) => void) | undefined;
  private lineClosed: (() => void) | undefined;
  private closed = false;
  private stale = false;
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  private reconnecting: Promise<void> | undefined;

  constructor(
    private readonly open: TransportOpener,
    private readonly clock: Clock,
  ) {}

  get connected(): boolean {
    return this.transport?.isOpen === true;
  }

  /** Opens the transport (or keeps trying in the background). Resolves after the first attempt. */
  async start(): Promise<void> {
    if (!(await this.tryOpen())) this.keepReconnecting();
  }

  /** Called with true when a transport opened, false when it closed. */
  onConnection(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Sends one command frame and waits for its reply line, after any command before it. */
  send(frame: Uint8Array, shape: ReplyShape): Promise<ChannelReply> {
    const run = this.queue.then(() => this.exchange(frame, shape));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    const t = this.transport;
    this.transport = undefined;
    await t?.close();
    await this.reconnecting;
  }

  private async exchange(frame: Uint8Array, shape: ReplyShape): Promise<ChannelReply> {
    const t = this.transport;
    if (!t?.isOpen) return { kind: 'offline' };
    if (this.stale) {
      this.stale = false;
      await sleep(this.clock, RESYNC_QUIET_MS);
      if (!t.isOpen) return { kind: 'offline' };
    }
    // Whatever arrived since the last reply (a late reply, line noise) belongs to no command.
    this.framer.clear();
    const line = new Promise<string | undefined>((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.waiting = undefined;
        this.lineClosed = undefined;
        resolve(undefined);
      }, OFFLINE_AFTER_MS);
      this.waiting = (l) => {
        this.clock.clearTimeout(timer);
        this.waiting = undefined;
        this.lineClosed = undefined;
        resolve(l);
      };
      this.lineClosed = () => {
        this.clock.clearTimeout(timer);
        this.waiting = undefined;
        this.lineClosed = undefined;
        resolve(undefined);
      };
    });
    const written = await t.write(frame);
    if (!written.ok) this.lineClosed?.();
    const text = await line;
    if (text === undefined) this.stale = true;
    return text === undefined ? { kind: 'offline' } : parseReply(text, shape);
  }

  private onData(chunk: Uint8Array): void {
    for (const text of this.framer.push(chunk)) this.waiting?.(text);
  }

  private async tryOpen(): Promise<boolean> {
    if (this.closed) return true;
    const opened = await this.open();
    if (!opened.ok) return false;
    if (this.closed) {
      await opened.value.close();
      return true;
    }
    const t = opened.value;
    this.transport = t;
    this.framer.clear();
    t.onData((c) => this.onData(c));
    t.onClose(() => {
      if (this.transport !== t) return;
      this.transport = undefined;
      this.lineClosed?.();
      this.emit(false);
      this.keepReconnecting();
    });
    this.emit(true);
    return true;
  }

  private keepReconnecting(): void {
    if (this.reconnecting || this.closed) return;
    this.reconnecting = (async () => {
      while (!this.closed && !this.connected) {
        await sleep(this.clock, RECONNECT_INTERVAL_MS);
        if (await this.tryOpen()) break;
      }
      this.reconnecting = undefined;
    })();
  }

  private emit(connected: boolean): void {
    for (const l of [...this.connectionListeners]) l(connected);
  }
}
