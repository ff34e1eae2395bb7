import { err, ok, type Result } from '../shared/result.ts';
import { TransportListeners } from './listeners.ts';
import type { Transport } from './transport.ts';

/**
 * One end of an in-memory duplex pair. Bytes written on one end arrive on the other on a later
 * macrotask (never synchronously, like a real port), copied, in order.
 */
class MemoryEnd implements Transport {
  readonly listeners = new TransportListeners();
  peer: MemoryEnd | undefined;

  get isOpen(): boolean {
    return !this.listeners.closed;
  }

  async write(bytes: Uint8Array): Promise<Result<void, string>> {
    if (!this.isOpen) return err('closed');
    const peer = this.peer;
    if (!peer?.isOpen) return err('peer closed');
    const copy = bytes.slice();
    setImmediate(() => peer.listeners.emitData(copy));
    return ok(undefined);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.listeners.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.listeners.onClose(listener);
  }

  async close(): Promise<void> {
    this.shut('closed', 'peer closed');
  }

  /** Closes this end and the peer, as unplugging a cable closes both. */
  shut(reason: string, peerReason: string): void {
    if (!this.isOpen) return;
    this.listeners.emitClose(reason);
    this.peer?.shut(peerReason, reason);
  }
}

/**
 * An in-memory duplex pair honouring the Transport contract: `a` is the host's end (the driver),
 * `b` the device's end (a simulator). Closing either end closes both.
 */
export function createMemoryTransportPair(): { a: Transport; b: Transport } {
  const a = new MemoryEnd();
  const b = new MemoryEnd();
  a.peer = b;
  b.peer = a;
  return { a, b };
}
