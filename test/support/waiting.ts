/**
 * Waiting for things to happen rather than for time to pass. A test that sleeps "long enough" is slow
 * on a quiet machine and flaky on a busy one; these helpers return as soon as the awaited thing has
 * happened, and fail with a message naming it when it has not happened within a generous bound.
 * No test-runner imports here, so that benchmarks may use them too.
 */

/** How long a test waits for something that normally takes milliseconds, before failing (a loaded CI machine). */
export const EVENTUALLY_MS = 10_000;

/**
 * Collects what a callback-style source delivers (bus events, mail arriving at a test SMTP server, …)
 * and lets a test await the moment the collection satisfies a condition.
 */
export class Inbox<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<() => void>();

  /** Records one item; pass it as the source's callback (it is bound). */
  readonly push = (item: T): void => {
    this.items.push(item);
    for (const wake of [...this.waiters]) wake();
  };

  /** Resolves with the items once `done(items)` holds (at once if it already does); rejects after `ms`. */
  waitFor(done: (items: readonly T[]) => boolean, what: string, ms = EVENTUALLY_MS): Promise<readonly T[]> {
    if (done(this.items)) return Promise.resolve(this.items);
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!done(this.items)) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(this.items);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`${what}: not seen within ${ms} ms (${this.items.length} items received)`));
      }, ms);
      this.waiters.add(wake);
    });
  }
}
