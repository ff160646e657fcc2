/**
 * Group commit for the outbox's bookkeeping: writes that finish rows arrive one by one as attempts
 * end, and are written together, one statement for everything that arrived while the previous write
 * ran. A lone write goes at once (no timer), so batching costs no latency when the queue is quiet.
 */
export class WriteBatcher<T> {
  private queue: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves once the item is written (with the others of its batch); rejects if that write failed. */
  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) this.flushing = this.drain().finally(() => (this.flushing = null));
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.write(batch.map((b) => b.item));
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
  }
}
