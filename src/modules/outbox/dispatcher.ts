import type { ServiceDeps } from '../../infra/deps.js';
import { outboxWakeUp } from '../../infra/outbox.js';
import { claimDue, finishRows, purgeDone, type ClaimedRow, type RowResult } from './outbox.repo.js';
import { WriteBatcher } from './write-batcher.js';

/**
 * What a handler made of one row. `done` means the handler already recorded the row's result itself;
 * `recording` that it is recording it: the row's slot is free at once (its lease keeps it from being
 * claimed again meanwhile), and the dispatcher waits for the write only when it stops.
 */
export type HandlerResult =
  | { outcome: 'delivered' | 'failed' | 'skipped'; error?: string }
  | { retryAt: Date; error: string }
  | { recording: Promise<void> }
  | 'done';

/**
 * Works the rows of one kind from one claim: one result per row, in the order given, each settling
 * as soon as that row is done (so a slow receiver holds only its own slot). Taking the rows together
 * lets a handler load what they need in one round trip.
 */
export type OutboxHandler = (rows: ClaimedRow[]) => Promise<HandlerResult>[];

/** A handler that works each row on its own. */
export function eachRow(work: (row: ClaimedRow) => Promise<HandlerResult>): OutboxHandler {
  return (rows) => rows.map(work);
}

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
/** Kinds whose work is a quick database step (fanning an event out): taken in larger batches, beside the network slots. */
const BULK_KINDS = ['event'];
const BULK_LIMIT = 200;

/**
 * Takes outbox work on this node (W1). Every node runs one: they share the table through
 * `FOR UPDATE SKIP LOCKED` claims with a lease, so a row is worked by one node at a time and a node
 * that dies gives its rows back when the lease ends. Woken at once by this node's commits, and
 * polling for the others'. Round trips are shared: one statement claims a batch, handlers load a
 * batch's context together, and results are written in group commits.
 */
export class OutboxDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private slotsBusy = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private claiming = false;
  private ticking = false;
  private again = false;
  private lastPurge = 0;
  private readonly wake = () => this.tick();
  private readonly results: WriteBatcher<RowResult>;

  constructor(
    private readonly deps: Pick<ServiceDeps, 'db' | 'log' | 'config'>,
    private readonly handlers: Record<string, OutboxHandler>,
    private readonly opts: { concurrency: number; leaseMs: number },
  ) {
    this.results = new WriteBatcher((items) => finishRows(deps.db, items));
  }

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

  /**
   * Claims as much work as there are free slots, then waits for a wake-up, a finished row or the poll.
   * Each claim waits for the event loop's turn: the embedded database answers in the same turn, so
   * claims chained on its answers would keep every request waiting until the outbox is empty.
   */
  private tick(): void {
    if (!this.running || this.ticking) return;
    this.ticking = true;
    setImmediate(() => {
      this.ticking = false;
      this.claimNow();
    });
  }

  private claimNow(): void {
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
    const free = Math.max(0, this.opts.concurrency - this.slotsBusy);
    const rows = await claimDue(
      this.deps.db,
      { limit: free, bulkKinds: BULK_KINDS, bulkLimit: BULK_LIMIT },
      this.opts.leaseMs,
    );
    const byKind = new Map<string, ClaimedRow[]>();
    for (const row of rows) byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row]);
    let slotted = 0;
    let bulk = 0;
    for (const [kind, batch] of byKind) {
      const slot = !BULK_KINDS.includes(kind);
      if (slot) slotted += batch.length;
      else bulk += batch.length;
      const handler = this.handlers[kind];
      const results = handler
        ? this.runHandler(handler, batch)
        : batch.map(async (): Promise<HandlerResult> => ({ outcome: 'skipped', error: `no handler for ${kind}` }));
      batch.forEach((row, i) => this.track(row, results[i]!, slot));
    }
    if ((free > 0 && slotted === free) || bulk === BULK_LIMIT) this.again = true;
  }

  /** Runs a handler; a handler that throws before answering fails every row of the batch. */
  private runHandler(handler: OutboxHandler, batch: ClaimedRow[]): Promise<HandlerResult>[] {
    try {
      return handler(batch);
    } catch (err) {
      return batch.map(() => Promise.reject(err instanceof Error ? err : new Error(String(err))));
    }
  }

  private track(row: ClaimedRow, result: Promise<HandlerResult>, slot: boolean): void {
    if (slot) this.slotsBusy++;
    let held = slot;
    // The slot is free once the work is (the result's write may still run): claim again once half
    // the slots are free (or none is busy), so one claim takes several rows.
    const release = () => {
      if (!held) return;
      held = false;
      this.slotsBusy--;
      if (this.slotsBusy <= this.opts.concurrency / 2) this.tick();
    };
    const p = this.settle(row, result, release).finally(() => {
      this.inFlight.delete(p);
      release();
    });
    this.inFlight.add(p);
  }

  private async settle(row: ClaimedRow, work: Promise<HandlerResult>, release: () => void): Promise<void> {
    let result: RowResult | Promise<void> | null;
    try {
      const r = await work;
      result =
        r === 'done'
          ? null
          : 'recording' in r
            ? r.recording
            : 'retryAt' in r
              ? { id: row.id, retryAt: r.retryAt, error: r.error }
              : { id: row.id, outcome: r.outcome, error: r.error ?? null };
    } catch (err) {
      // A handler that throws is retried on the schedule; its lease would give the row back anyway.
      const message = err instanceof Error ? err.message : String(err);
      this.deps.log.warn({ err, outboxId: row.id, kind: row.kind }, 'outbox: work failed');
      const at = nextAttemptAt(row.attempt);
      result = at ? { id: row.id, retryAt: at, error: message } : { id: row.id, outcome: 'failed', error: message };
    }
    release();
    if (!result) return;
    await (result instanceof Promise ? result : this.results.add(result)).catch((e: unknown) =>
      this.deps.log.warn({ err: e, outboxId: row.id }, 'outbox: recording a result failed'),
    );
  }

  private async purgeNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await purgeDone(this.deps.db, new Date(Date.now() - RETENTION_MS));
  }
}
