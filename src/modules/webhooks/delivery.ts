import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { outboxWakeUp, type WebhookEventBody } from '../../infra/outbox.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { nextAttemptAt, type HandlerResult, type OutboxHandler } from '../outbox/dispatcher.js';
import type { ClaimedRow } from '../outbox/outbox.repo.js';
import { WriteBatcher } from '../outbox/write-batcher.js';
import { EgressRefused, postJson, retryAfterMs } from './egress.js';
import { signedHeaders } from './signing.js';
import * as repo from './webhooks.repo.js';

/** An endpoint that has failed this long without one success is disabled and the tenant's admins told. */
const DISABLE_AFTER_MS = 5 * 24 * 3600 * 1000;
const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/** The outbox's own changes (disabling an endpoint) are the provider's, made by the system. */
const SYSTEM: RequestContext = {
  requestId: 'outbox',
  actor: { kind: 'provider', id: 'provider', credential: 'system:outbox' },
  clientAddr: null,
};

/**
 * Event rows: one delivery row per endpoint subscribed to each event's type, written in one
 * statement with finishing the event rows (so a crash repeats all or nothing). A claim's events are
 * fanned out together; if that fails, each is tried alone, so one bad event is retried by itself
 * instead of holding back the others.
 */
export function eventHandler(deps: Pick<ServiceDeps, 'db'>): OutboxHandler {
  const fanOut = async (rows: ClaimedRow[]) => {
    const n = await repo.fanOut(
      deps.db,
      rows.map((row) => {
        const { messageId, body } = row.payload as { messageId: string; body: WebhookEventBody };
        return { outboxId: row.id, tenantId: row.tenantId, messageId, type: body.type, body: JSON.stringify(body) };
      }),
    );
    if (n) outboxWakeUp.emit('wake');
  };
  return (rows) => {
    const together = fanOut(rows);
    return rows.map(async (row): Promise<HandlerResult> => {
      try {
        await together;
      } catch (err) {
        if (rows.length === 1) throw err;
        await fanOut([row]);
      }
      return 'done';
    });
  };
}

/**
 * Delivery rows: one signed attempt each (W1). 2xx delivers; 410 disables the endpoint; anything
 * else (or no answer) is retried on the schedule or after the receiver's `Retry-After`, until the
 * schedule ends or the endpoint has failed for five days. The rows of a claim load their endpoints
 * and messages in one query; attempts are logged and rows finished in group commits (one statement
 * for every attempt that ended meanwhile), after the request, so a crash before the write repeats
 * the attempt (at least once). The slot is free for the next attempt while the write runs.
 */
export function deliveryHandler(deps: ServiceDeps): OutboxHandler {
  const log = new WriteBatcher<repo.RecordedAttempt>((items) => repo.recordAttempts(deps.db, items));
  return (rows) => {
    const contexts = repo.deliveryContexts(
      deps.db,
      rows.map((r) => r.id),
    );
    return rows.map(async (row): Promise<HandlerResult> => {
      const recorded = await attempt(deps, row, (await contexts).get(row.id));
      const r = recorded.result;
      deps.metrics.webhookAttempts.inc({ outcome: 'retryAt' in r ? 'retry' : r.outcome });
      return { recording: log.add(recorded) };
    });
  };
}

const skipped = (row: ClaimedRow, error: string): repo.RecordedAttempt => ({
  attempt: null,
  health: null,
  result: { id: row.id, outcome: 'skipped', error },
});

async function attempt(
  deps: ServiceDeps,
  row: ClaimedRow,
  ctx: repo.DeliveryContext | undefined,
): Promise<repo.RecordedAttempt> {
  const endpoint = ctx?.endpoint;
  if (!endpoint) return skipped(row, 'the endpoint was deleted');
  if (!endpoint.enabled) return skipped(row, 'the endpoint is disabled');
  const message = ctx.message;
  if (!message) return skipped(row, 'the message is gone');

  const secrets = [deps.secrets.open(endpoint.secret)];
  if (
    endpoint.previous_secret &&
    endpoint.previous_secret_until &&
    new Date(endpoint.previous_secret_until) > new Date()
  )
    secrets.push(deps.secrets.open(endpoint.previous_secret));
  const started = performance.now();
  let status: number | null = null;
  let response: string | null = null;
  let error: string | null = null;
  let retryAfter: number | null = null;
  try {
    const r = await postJson(endpoint.url, signedHeaders(secrets, message.id, message.body), message.body, {
      timeoutMs: deps.config.WEBHOOK_TIMEOUT_MS,
      allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE,
    });
    status = r.status;
    response = r.body;
    retryAfter = retryAfterMs(r.retryAfter);
    if (status < 200 || status >= 300) error = `answered ${status}`;
  } catch (err) {
    error = err instanceof EgressRefused ? `refused: ${err.message}` : err instanceof Error ? err.message : String(err);
  }
  const logged = {
    tenantId: row.tenantId,
    endpointId: endpoint.id,
    outboxId: row.id,
    messageId: message.id,
    statusCode: status,
    latencyMs: Math.round(performance.now() - started),
    response,
    error,
  };
  const recorded = (
    result: Exclude<HandlerResult, 'done' | { recording: Promise<void> }>,
    state: 'healthy' | 'failing',
  ): repo.RecordedAttempt => ({
    attempt: logged,
    health: { endpointId: endpoint.id, state },
    result:
      'retryAt' in result
        ? { id: row.id, retryAt: result.retryAt, error: result.error }
        : { id: row.id, outcome: result.outcome, error: result.error ?? null },
  });
  if (error === null) return recorded({ outcome: 'delivered' }, 'healthy');
  if (status === 410) {
    await disable(deps, row.tenantId, endpoint.id, endpoint.url, 'the receiver answered 410 Gone');
    return recorded({ outcome: 'failed', error }, 'failing');
  }
  // The failure clock as loaded with the claim: it only ever starts (coalesce), so a clock that ran
  // five days then still has.
  const failingSince = endpoint.failing_since ? new Date(endpoint.failing_since) : null;
  if (failingSince && Date.now() - failingSince.getTime() >= DISABLE_AFTER_MS) {
    await disable(deps, row.tenantId, endpoint.id, endpoint.url, 'every delivery failed for 5 days');
    return recorded({ outcome: 'failed', error }, 'failing');
  }
  const scheduled = nextAttemptAt(row.attempt);
  if (!scheduled) return recorded({ outcome: 'failed', error }, 'failing');
  const at = retryAfter !== null ? new Date(Date.now() + Math.min(retryAfter, MAX_RETRY_AFTER_MS)) : scheduled;
  return recorded({ retryAt: at, error }, 'failing');
}

/** Disables the endpoint, audits it and mails the tenant's admins, all in one transaction (through the outbox). */
async function disable(deps: ServiceDeps, tenantId: string, endpointId: string, url: string, reason: string) {
  await inTransaction(deps, SYSTEM, async (uow) => {
    const row = await repo.updateEndpoint(uow.tx, tenantId, endpointId, { enabled: false, disabled_reason: reason });
    if (!row) return;
    uow.audit({
      tenantId,
      action: 'webhook.disable',
      targetType: 'webhook',
      targetId: endpointId,
      after: { enabled: false, disabledReason: reason },
    });
    for (const to of await repo.tenantAdminEmails(uow.tx, tenantId))
      uow.sendMail({
        tenantId,
        to,
        subject: 'A Switchboard webhook endpoint was disabled',
        text: `The webhook endpoint ${url} (${endpointId}) was disabled: ${reason}.\n\nFix the receiver, then enable the endpoint again in the portal (Webhooks) and redeliver the failed messages.\n`,
      });
  });
}
