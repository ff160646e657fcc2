import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { outboxWakeUp, type WebhookEventBody } from '../../infra/outbox.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { nextAttemptAt, type HandlerResult, type OutboxHandler } from '../outbox/dispatcher.js';
import { finishRow } from '../outbox/outbox.repo.js';
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
 * An event row: finds the tenant's endpoints subscribed to its type and writes one delivery row per
 * endpoint, in one transaction with finishing the event row (so a crash repeats all or nothing).
 */
export function eventHandler(deps: Pick<ServiceDeps, 'db'>): OutboxHandler {
  return async (row) => {
    const { messageId, body } = row.payload as { messageId: string; body: WebhookEventBody };
    const fanned = await deps.db.transaction().execute(async (tx) => {
      const endpoints = await repo.subscribedEndpoints(tx, row.tenantId, body.type);
      if (endpoints.length) {
        await repo.insertMessage(tx, {
          id: messageId,
          tenantId: row.tenantId,
          type: body.type,
          body: JSON.stringify(body),
        });
        await repo.enqueueDeliveries(tx, row.tenantId, messageId, endpoints);
      }
      await finishRow(tx, row.id, endpoints.length ? 'delivered' : 'skipped');
      return endpoints.length;
    });
    if (fanned) outboxWakeUp.emit('wake');
    return 'done';
  };
}

/**
 * A delivery row: one signed attempt (W1). 2xx delivers; 410 disables the endpoint; anything else
 * (or no answer) is retried on the schedule or after the receiver's `Retry-After`, until the
 * schedule ends or the endpoint has failed for five days.
 */
export function deliveryHandler(deps: ServiceDeps): OutboxHandler {
  return async (row): Promise<HandlerResult> => {
    const endpoint = await repo.findEndpoint(deps.db, row.tenantId, row.endpointId!);
    if (!endpoint) return { outcome: 'skipped', error: 'the endpoint was deleted' };
    if (!endpoint.enabled) return { outcome: 'skipped', error: 'the endpoint is disabled' };
    const message = await repo.findMessage(deps.db, row.messageId!);
    if (!message) return { outcome: 'skipped', error: 'the message is gone' };

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
      error =
        err instanceof EgressRefused ? `refused: ${err.message}` : err instanceof Error ? err.message : String(err);
    }
    const latencyMs = Math.round(performance.now() - started);
    await repo.recordAttempt(deps.db, {
      tenantId: row.tenantId,
      endpointId: endpoint.id,
      outboxId: row.id,
      messageId: message.id,
      statusCode: status,
      latencyMs,
      response,
      error,
    });
    if (error === null) {
      await repo.markHealthy(deps.db, endpoint.id);
      return { outcome: 'delivered' };
    }
    if (status === 410) {
      await disable(deps, row.tenantId, endpoint.id, endpoint.url, 'the receiver answered 410 Gone');
      return { outcome: 'failed', error };
    }
    const failingSince = await repo.markFailing(deps.db, endpoint.id);
    if (failingSince && Date.now() - failingSince.getTime() >= DISABLE_AFTER_MS) {
      await disable(deps, row.tenantId, endpoint.id, endpoint.url, 'every delivery failed for 5 days');
      return { outcome: 'failed', error };
    }
    const scheduled = nextAttemptAt(row.attempt);
    if (!scheduled) return { outcome: 'failed', error };
    const at = retryAfter !== null ? new Date(Date.now() + Math.min(retryAfter, MAX_RETRY_AFTER_MS)) : scheduled;
    return { retryAt: at, error };
  };
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
