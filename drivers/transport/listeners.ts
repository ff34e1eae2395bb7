/**
 * The listener bookkeeping every transport shares: data listeners, and close listeners that fire
 * exactly once (and at once for late subscribers), as the Transport contract says.
 */
export class TransportListeners {
  private readonly data = new Set<(chunk: Uint8Array) => void>();
  private readonly close = new Set<(reason: string) => void>();
  private closedReason: string | undefined;

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.data.add(listener);
    return () => this.data.delete(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    if (this.closedReason !== undefined) {
      listener(this.closedReason);
      return () => {};
    }
    this.close.add(listener);
    return () => this.close.delete(listener);
  }

  emitData(chunk: Uint8Array): void {
    if (this.closedReason !== undefined) return;
    for (const l of [...this.data]) l(chunk);
  }

  emitClose(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    const listeners = [...this.close];
    this.close.clear();
    this.data.clear();
    for (const l of listeners) l(reason);
  }
}
