/** kiosk-runtime.md: more than this many bytes without a line end are thrown away whole. */
export const MAX_LINE_BYTES = 4096;

const CR = 0x0d;
const LF = 0x0a;

/**
 * Splits the serial scanner's byte stream into codes. A code ends with CR, LF or CR LF (scanners
 * are configured either way, and a CR LF may arrive split across two reads); empty lines are
 * ignored; a line longer than MAX_LINE_BYTES is dropped whole, up to and including its line end, and
 * the reader goes on with the next line.
 */
export class LineReader {
  private buf = new Uint8Array(MAX_LINE_BYTES);
  private len = 0;
  private discarding = false;
  private lastWasCr = false;
  private readonly decoder = new TextDecoder('utf-8');
  /** How many oversize lines were thrown away (for the device log). */
  dropped = 0;

  /** Feeds a chunk; returns the complete, non-empty lines it finished, in order. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    for (const byte of chunk) {
      const afterCr = this.lastWasCr;
      this.lastWasCr = byte === CR;
      if (byte === LF && afterCr) continue; // the LF of a CR LF
      if (byte === CR || byte === LF) {
        if (!this.discarding && this.len > 0) lines.push(this.decoder.decode(this.buf.subarray(0, this.len)));
        this.len = 0;
        this.discarding = false;
        continue;
      }
      if (this.discarding) continue;
      if (this.len === MAX_LINE_BYTES) {
        this.discarding = true;
        this.dropped += 1;
        this.len = 0;
        continue;
      }
      this.buf[this.len++] = byte;
    }
    return lines;
  }

  /** Forgets a partial line (after the port closed: what came before the unplug is not a code). */
  reset(): void {
    this.len = 0;
    this.discarding = false;
    this.lastWasCr = false;
  }
}
