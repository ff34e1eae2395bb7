import { CR } from './protocol.ts';

/** Longest reply line kept. */
export const MAX_REPLY_BYTES = 256;

/**
 * Cuts the printer's byte stream into reply lines at CR. The bytes are read as Latin-1 (one character
 * per byte) so that `parseReply` sees exactly what came over the wire, control and high bytes included.
 */
export class ReplyFramer {
  private rx: number[] = [];

  /** Feeds a chunk; returns the lines (without CR, possibly empty) it finished, in order. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    for (const byte of chunk) {
      if (byte !== CR) {
        // A reply is a short line; a longer run without CR is noise and only its tail is kept.
        if (this.rx.length >= MAX_REPLY_BYTES) this.rx.shift();
        this.rx.push(byte);
        continue;
      }
      lines.push(String.fromCharCode(...this.rx));
      this.rx = [];
    }
    return lines;
  }

  /** Forgets a partial line. */
  clear(): void {
    this.rx = [];
  }
}
