import type { Result } from '../shared/result.ts';

/**
 * A byte stream to one device: a serial port, a USB bulk pipe or an in-memory pair. The idea is
 * node-serialport's BindingInterface: a narrow contract that every implementation (and every fake)
 * honours the same way, so the protocol drivers above never know which one they talk to.
 *
 * Contract:
 * - `write` resolves once the bytes were handed to the OS (or the peer, in memory). On a closed or
 *   failing transport it resolves `err(reason)`; it never throws.
 * - `onData` listeners get every chunk in arrival order; chunk boundaries mean nothing.
 * - `onClose` listeners are called exactly once, when the transport closes for any reason: `close()`,
 *   the device unplugged, the pty's other end gone. After that `isOpen` is false, `write` fails and no
 *   more data arrives. A listener added after the close is called at once.
 * - `close` is idempotent and resolves when the underlying handle is released.
 */
export interface Transport {
  write(bytes: Uint8Array): Promise<Result<void, string>>;
  /** Subscribes to incoming bytes. Returns the unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Subscribes to the close (reason: 'closed' after `close()`, otherwise what the OS said). */
  onClose(listener: (reason: string) => void): () => void;
  close(): Promise<void>;
  readonly isOpen: boolean;
}

/** Opens a fresh transport to the same device: what a watchdog calls to reconnect. */
export type TransportOpener = () => Promise<Result<Transport, string>>;
