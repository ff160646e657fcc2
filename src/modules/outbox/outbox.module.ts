import { Counter, Gauge } from 'prom-client';
import type { Closer } from '../../infra/closer.js';
import type { ServiceDeps } from '../../infra/deps.js';
import type { OutboxEntry } from '../../infra/outbox.js';
import type { Mailer } from '../mail/mailer.js';
import { eachRow, nextAttemptAt, OutboxDispatcher, type HandlerResult, type OutboxHandler } from './dispatcher.js';
import { outboxLag } from './outbox.repo.js';

/**
 * Rows one node works at once: webhook attempts wait on the network, so several run side by side.
 * An attempt holds no database connection while it waits (claims, context loads and result writes
 * are batched), so this bounds the receivers' load, not the pool's.
 */
const CONCURRENCY = 8;

/** Sends an outbox mail; a failure is retried on the schedule (the row stays in the outbox). */
export function mailHandler(deps: Pick<ServiceDeps, 'secrets'>, mailer: Mailer): OutboxHandler {
  return eachRow(async (row): Promise<HandlerResult> => {
    const m = row.payload as Extract<OutboxEntry, { kind: 'mail' }>['payload'];
    try {
      await mailer.send({
        to: m.to,
        subject: m.subject,
        text: deps.secrets.open(m.sealedText),
        ...(m.attachments && {
          attachments: m.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: deps.secrets.open(a.sealedContent),
          })),
        }),
      });
      return { outcome: 'delivered' };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const at = nextAttemptAt(row.attempt);
      return at ? { retryAt: at, error } : { outcome: 'failed', error };
    }
  });
}

/**
 * Starts this node's outbox dispatcher with a handler per row kind, and its metrics
 * (`switchboard_outbox_lag_seconds`, `switchboard_outbox_pending`, `switchboard_outbox_done_total`).
 */
export function startOutbox(deps: ServiceDeps, handlers: Record<string, OutboxHandler>): Closer {
  const done = new Counter({
    name: 'switchboard_outbox_done_total',
    help: 'Outbox rows finished on this node, by kind and outcome (retry, delivered, failed, skipped; done when the handler records its own)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [deps.metrics.registry],
  });
  const counted: Record<string, OutboxHandler> = {};
  for (const [kind, handler] of Object.entries(handlers))
    counted[kind] = (rows) =>
      handler(rows).map(async (result) => {
        const r = await result;
        // `done`: the handler recorded the outcome itself (webhook deliveries: switchboard_webhook_attempts_total).
        done.inc({ kind, outcome: r === 'done' || 'recording' in r ? 'done' : 'retryAt' in r ? 'retry' : r.outcome });
        return r;
      });
  const lag = () => outboxLag(deps.db);
  new Gauge({
    name: 'switchboard_outbox_lag_seconds',
    help: 'How long the oldest due outbox row (event, mail, webhook attempt) has waited',
    registers: [deps.metrics.registry],
    async collect() {
      this.set((await lag()).lagSeconds);
    },
  });
  new Gauge({
    name: 'switchboard_outbox_pending',
    help: 'Outbox rows not done yet (due now or waiting for a retry)',
    registers: [deps.metrics.registry],
    async collect() {
      this.set((await lag()).pending);
    },
  });
  const dispatcher = new OutboxDispatcher(deps, counted, {
    concurrency: CONCURRENCY,
    // Longer than any one attempt, so a row is never worked twice at once while its node lives.
    leaseMs: 2 * deps.config.WEBHOOK_TIMEOUT_MS + 5000,
  });
  dispatcher.start();
  return () => dispatcher.stop();
}
