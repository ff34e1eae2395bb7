import type { Clock } from '../../shared/clock.ts';
import { CR, DISCARD_QUIET_MS, ESC, PANELS, PAYLOAD_STALL_MS, type PanelName } from '../protocol.ts';

/** What the printer's input side makes of the bytes on the line. */
export type ReadCommand =
  | { kind: 'command'; name: string; args: string[] }
  | { kind: 'download'; panel: PanelName; data: Uint8Array }
  /** A `Db` with an unknown panel or depth, a payload that stopped short or lacked its CR. */
  | { kind: 'bad-data' };

/** A header longer than this is not a command of ours. */
const MAX_HEADER_CHARS = 64;

type Mode =
  | { at: 'idle' }
  | { at: 'header'; text: string }
  | { at: 'payload'; panel: PanelName; data: Uint8Array; filled: number }
  | { at: 'trailer'; panel: PanelName; data: Uint8Array }
  | { at: 'discard' };

/**
 * Reads the printer's input byte stream as card-printer.md frames it: `ESC`, an ASCII header up to
 * `CR`, except that a `Db;<panel>;<depth>;` header is followed by exactly the panel's byte count of
 * raw data and then `CR`. Bytes outside a frame are line noise and ignored.
 */
export class CommandReader {
  private mode: Mode = { at: 'idle' };
  private timer: unknown;

  constructor(
    private readonly clock: Clock,
    private readonly emit: (command: ReadCommand) => void,
  ) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      const mode = this.mode;
      switch (mode.at) {
        case 'idle': {
          const at = chunk.indexOf(ESC, i);
          if (at < 0) return;
          this.mode = { at: 'header', text: '' };
          i = at + 1;
          break;
        }
        case 'header': {
          const byte = chunk[i++]!;
          if (byte === CR) {
            this.mode = { at: 'idle' };
            const [name = '', ...args] = mode.text.split(';');
            this.emit({ kind: 'command', name, args });
            break;
          }
          mode.text += String.fromCharCode(byte);
          if (mode.text.length > MAX_HEADER_CHARS) {
            this.mode = { at: 'idle' };
            this.emit({ kind: 'command', name: '', args: [] });
            break;
          }
          if (byte === 0x3b && mode.text.startsWith('Db;')) this.downloadHeader(mode.text);
          break;
        }
        case 'payload': {
          const n = Math.min(chunk.length - i, mode.data.length - mode.filled);
          mode.data.set(chunk.subarray(i, i + n), mode.filled);
          mode.filled += n;
          i += n;
          if (mode.filled === mode.data.length)
            this.mode = { at: 'trailer', panel: mode.panel, data: mode.data };
          break;
        }
        case 'trailer': {
          const byte = chunk[i++]!;
          if (byte === CR) {
            this.mode = { at: 'idle' };
            this.emit({ kind: 'download', panel: mode.panel, data: mode.data });
          } else {
            this.refuse();
          }
          break;
        }
        case 'discard':
          i = chunk.length;
          break;
      }
    }
    this.armTimer();
  }

  /** Forgets a half-read frame (the line was closed). */
  reset(): void {
    this.clock.clearTimeout(this.timer);
    this.mode = { at: 'idle' };
  }

  /** Called on each `;` of a `Db` header: after the third, the panel and depth are known. */
  private downloadHeader(text: string): void {
    const parts = text.split(';');
    if (parts.length < 4) return;
    const panel = parts[1] as PanelName;
    const spec = Object.hasOwn(PANELS, panel) ? PANELS[panel] : undefined;
    if (!spec || parts[2] !== spec.depth) {
      this.refuse();
      return;
    }
    this.mode = { at: 'payload', panel, data: new Uint8Array(spec.bytes), filled: 0 };
  }

  /** Answers BAD_DATA at once, then drops input until the line was quiet for 200 ms. */
  private refuse(): void {
    this.mode = { at: 'discard' };
    this.emit({ kind: 'bad-data' });
  }

  /** A payload that stalls for 1 s is refused; a discard ends after 200 ms of quiet. */
  private armTimer(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const mode = this.mode;
    if (mode.at === 'payload' || mode.at === 'trailer') {
      this.timer = this.clock.setTimeout(() => {
        this.mode = { at: 'idle' };
        this.emit({ kind: 'bad-data' });
      }, PAYLOAD_STALL_MS);
    } else if (mode.at === 'discard') {
      this.timer = this.clock.setTimeout(() => {
        this.mode = { at: 'idle' };
      }, DISCARD_QUIET_MS);
    }
  }
}
