import type { ScannerStatus } from './types.ts';

/** The code and status listeners every Scanner keeps; a listener that throws does not stop the others. */
export class ScannerListeners {
  private readonly codes = new Set<(text: string) => void>();
  private readonly statuses = new Set<(status: ScannerStatus) => void>();
  status: ScannerStatus;

  constructor(initial: ScannerStatus) {
    this.status = initial;
  }

  onCode(listener: (text: string) => void): () => void {
    this.codes.add(listener);
    return () => this.codes.delete(listener);
  }

  onStatus(listener: (status: ScannerStatus) => void): () => void {
    this.statuses.add(listener);
    return () => this.statuses.delete(listener);
  }

  emitCode(text: string): void {
    for (const l of [...this.codes]) callSafely(() => l(text));
  }

  setStatus(status: ScannerStatus): void {
    if (
      status.state === this.status.state &&
      (status as { detail?: string }).detail === (this.status as { detail?: string }).detail
    )
      return;
    this.status = status;
    for (const l of [...this.statuses]) callSafely(() => l(status));
  }

  clear(): void {
    this.codes.clear();
    this.statuses.clear();
  }
}

function callSafely(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    // A broken listener is a bug elsewhere; report it without losing the scanner.
    queueMicrotask(() => {
      throw e;
    });
  }
}

/**
 * What every Scanner does with its listeners: codes and status changes to whoever listens, the status
 * on request, and nothing left listening once closed. The scanners differ only in where codes come from.
 */
export abstract class ListeningScanner {
  protected readonly listeners: ScannerListeners;

  constructor(initial: ScannerStatus) {
    this.listeners = new ScannerListeners(initial);
  }

  onCode(listener: (text: string) => void): () => void {
    return this.listeners.onCode(listener);
  }

  getStatus(): ScannerStatus {
    return this.listeners.status;
  }

  onStatus(listener: (status: ScannerStatus) => void): () => void {
    return this.listeners.onStatus(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
