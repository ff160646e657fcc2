import type { ServiceDeps } from '../../infra/deps.js';
import { outboxWakeUp } from '../../infra/outbox.js';
import { claimDue, finishRow, purgeDone, retryRow, type ClaimedRow } from './outbox.repo.js';

/** What a handler made of one row. `done` means the handler already finished the row in its own transaction. */
export type HandlerResult =
  { outcome: 'delivered' | 'failed' | 'skipped'; error?: string } | { retryAt: Date; error: string } | 'done';

export type OutboxHandler = (row: ClaimedRow) => Promise<HandlerResult>;

/** The retry schedule after each failed attempt (Standard Webhooks practice): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
const RETRY_DELAYS_MS = [5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6];

/** When to try again after attempt `attempt` failed, with ±10 % jitter; null when the schedule is over. */
export function nextAttemptAt(attempt: number, now = Date.now()): Date | null {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  if (delay === undefined) return null;
  return new Date(now + delay * (0.9 + Math.random() * 0.2));
}

const RETENTION_MS = 30 * 24 * 3600 * 1000;
const PURGE_EVERY_MS = 3600 * 1000;

/**
 * Takes outbox work on this node (W1). Every node runs one: they share the table through
 * `FOR UPDATE SKIP LOCKED` claims with a lease, so a row is worked by one node at a time and a node
 * that dies gives its rows back when the lease ends. Woken at once by this node's commits, and
 * polling for the others'.
 */
export class OutboxDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private claiming = false;
  private again = false;
  private lastPurge = 0;
  private readonly wake = () => this.tick();

  constructor(
    private readonly deps: Pick<ServiceDeps, 'db' | 'log' | 'config'>,
    private readonly handlers: Record<string, OutboxHandler>,
    private readonly opts: { concurrency: number; leaseMs: number },
  ) {}

  start(): void {
    this.running = true;
    outboxWakeUp.on('wake', this.wake);
    this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    outboxWakeUp.off('wake', this.wake);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Claims as much work as there are free slots, then waits for a wake-up, a finished row or the poll. */
  private tick(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = true;
    void this.claim()
      .catch((err: unknown) => this.deps.log.warn({ err }, 'outbox: claiming work failed'))
      .finally(() => {
        this.claiming = false;
        if (this.again) {
          this.again = false;
          this.tick();
        } else this.schedule();
      });
  }

  private schedule(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), this.deps.config.OUTBOX_POLL_MS);
  }

  private async claim(): Promise<void> {
    await this.purgeNowAndThen();
    const free = this.opts.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const rows = await claimDue(this.deps.db, free, this.opts.leaseMs);
    for (const row of rows) {
      const p = this.work(row).finally(() => {
        this.inFlight.delete(p);
        // Claim again once half the slots are free (or none is busy): one claim per several rows.
        if (this.inFlight.size <= this.opts.concurrency / 2) this.tick();
      });
      this.inFlight.add(p);
    }
    if (rows.length === free) this.again = true;
  }

  private async work(row: ClaimedRow): Promise<void> {
    try {
      const handler = this.handlers[row.kind];
      const result: HandlerResult = handler
        ? await handler(row)
        : { outcome: 'skipped', error: `no handler for ${row.kind}` };
      if (result === 'done') return;
      if ('retryAt' in result) await retryRow(this.deps.db, row.id, result.retryAt, result.error);
      else await finishRow(this.deps.db, row.id, result.outcome, result.error ?? null);
    } catch (err) {
      // A handler that throws is retried on the schedule; its lease would give the row back anyway.
      const message = err instanceof Error ? err.message : String(err);
      this.deps.log.warn({ err, outboxId: row.id, kind: row.kind }, 'outbox: work failed');
      const at = nextAttemptAt(row.attempt);
      await (
        at ? retryRow(this.deps.db, row.id, at, message) : finishRow(this.deps.db, row.id, 'failed', message)
      ).catch((e: unknown) => this.deps.log.warn({ err: e, outboxId: row.id }, 'outbox: recording a failure failed'));
    }
  }

  private async purgeNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await purgeDone(this.deps.db, new Date(Date.now() - RETENTION_MS));
  }
}
