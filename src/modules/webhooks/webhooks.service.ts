import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { eventEntry, outboxWakeUp } from '../../infra/outbox.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import { requireCapability } from '../access/actor-access.js';
import { isInsideAddress } from './egress.js';
import { generateSecret } from './signing.js';
import type { Delivery, Webhook, WebhookCreate, WebhookPatch } from './webhooks.schemas.js';
import * as repo from './webhooks.repo.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function present(r: repo.EndpointRow): Webhook {
  const overlap = r.previous_secret_until && new Date(r.previous_secret_until) > new Date();
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.event_types,
    enabled: r.enabled,
    disabledReason: r.disabled_reason,
    failingSince: iso(r.failing_since),
    previousSecretExpiresAt: overlap ? iso(r.previous_secret_until) : null,
    version: Number(r.version),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

/** Webhook subscriptions of a tenant (W1): endpoints, secrets, delivery log, redelivery, test events. */
export class WebhooksService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, tenantId: string): Promise<Webhook[]> {
    await requireCapability(this.deps.db, ctx, tenantId, 'webhooks:view', 'W1');
    return (await repo.listEndpoints(this.deps.db, tenantId)).map(present);
  }

  async get(ctx: RequestContext, tenantId: string, id: string): Promise<Webhook> {
    await requireCapability(this.deps.db, ctx, tenantId, 'webhooks:view', 'W1');
    return present(await this.endpoint(tenantId, id));
  }

  async create(ctx: RequestContext, tenantId: string, input: WebhookCreate): Promise<Webhook & { secret: string }> {
    await requireCapability(this.deps.db, ctx, tenantId, 'webhooks:create', 'W1');
    this.checkUrl(input.url);
    const secret = generateSecret();
    return inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'share');
      const row = await repo.insertEndpoint(uow.tx, {
        id: newId('whk'),
        tenant_id: tenantId,
        url: input.url,
        description: input.description ?? '',
        event_types: input.events,
        enabled: input.enabled ?? true,
        secret: this.deps.secrets.seal(secret),
      });
      const out = present(row);
      uow.audit({ tenantId, action: 'webhook.create', targetType: 'webhook', targetId: row.id, after: out });
      return { ...out, secret };
    });
  }

  async patch(ctx: RequestContext, tenantId: string, id: string, input: WebhookPatch, ifMatch?: string) {
    await requireCapability(this.deps.db, ctx, tenantId, 'webhooks:edit', 'W1');
    if (input.url !== undefined) this.checkUrl(input.url);
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await this.endpoint(tenantId, id, uow.tx);
      assertVersion(ifMatch, Number(before.version));
      const row = await repo.updateEndpoint(uow.tx, tenantId, id, {
        ...(input.url !== undefined && { url: input.url }),
        ...(input.events !== undefined && { event_types: input.events }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.enabled !== undefined && { enabled: input.enabled }),
        // Enabled again by a person: the reason and the five-day clock start over.
        ...(input.enabled === true && { disabled_reason: null, failing_since: null }),
        ...(input.enabled === false && { disabled_reason: 'disabled by an administrator' }),
      });
      const out = present(row!);
      uow.audit({
        tenantId,
        action: 'webhook.update',
        targetType: 'webhook',
        targetId: id,
        before: present(before),
        after: out,
      });
      return out;
    });
  }

  async remove(ctx: RequestContext, tenantId: string, id: string): Promise<void> {
    await requireCapability(this.deps.db, ctx, tenantId, 'webhooks:delete', 'W1');
    await inTransaction(this.deps, ctx, async (uow) => {
      const before = await this.endpoint(tenantId, id, uow.tx);
      await repo.deleteEndpoint(uow.tx, tenantId, id);
      uow.audit({ tenantId, action: 'webhook.delete', targetType: 'webhook', targetId: id, before: present(before) });
    });
  }

  /** A new secret (shown once); the old one keeps signing beside it for `overlapSeconds`. */
  async rotateSecret(ctx: RequestContext, tenantId: string, id: string, overlapSeconds: number) {
    await requireCapability(this.deps.db, ctx, tenantId, 'webhooks:edit', 'W1');
    const secret = generateSecret();
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await this.endpoint(tenantId, id, uow.tx);
      const until = overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null;
      await repo.updateEndpoint(uow.tx, tenantId, id, {
        secret: this.deps.secrets.seal(secret),
        previous_secret: until ? before.secret : null,
        previous_secret_until: until,
      });
      uow.audit({
        tenantId,
        action: 'webhook.rotate_secret',
        targetType: 'webhook',
        targetId: id,
        after: { previousSecretExpiresAt: iso(until) },
      });
      return { secret, previousSecretExpiresAt: iso(until) };
    });
  }

  async deliveries(
    ctx: RequestContext,
    tenantId: string,
    id: string,
    q: { status?: 'pending' | 'delivered' | 'failed'; cursor?: string; limit?: number },
  ): Promise<{ items: Delivery[]; nextCursor: string | null }> {
    await requireCapability(this.deps.db, ctx, tenantId, 'webhooks:view', 'W1');
    await this.endpoint(tenantId, id);
    const limit = q.limit ?? 50;
    const rows = await repo.listDeliveries(this.deps.db, tenantId, id, {
      limit,
      ...(q.cursor && { before: Number(q.cursor) }),
      ...(q.status && { status: q.status }),
    });
    const attempts = await repo.attemptsOf(
      this.deps.db,
      rows.map((r) => r.id),
    );
    const items = rows.map((r): Delivery => ({
      id: String(r.id),
      messageId: r.message_id,
      eventType: r.type,
      status: r.dispatched_at === null ? 'pending' : r.outcome === 'delivered' ? 'delivered' : 'failed',
      attempts: attempts
        .filter((a) => Number(a.outbox_id) === r.id)
        .map((a) => ({
          at: iso(a.created_at)!,
          statusCode: a.status_code,
          latencyMs: a.latency_ms,
          response: a.response,
          error: a.error,
        })),
      nextAttemptAt: r.dispatched_at === null ? iso(r.next_attempt_at) : null,
      lastError: r.last_error,
      createdAt: iso(r.created_at)!,
    }));
    return { items, nextCursor: rows.length === limit ? String(rows[rows.length - 1]!.id) : null };
  }

  /** Sends one message to this endpoint again: a new delivery with the same `webhook-id`. */
  async redeliver(ctx: RequestContext, tenantId: string, id: string, deliveryId: string) {
    await requireCapability(this.deps.db, ctx, tenantId, 'webhooks:edit', 'W1');
    await this.endpoint(tenantId, id);
    const n = /^\d{1,18}$/.test(deliveryId) ? Number(deliveryId) : NaN;
    const delivery = Number.isFinite(n) ? await repo.findDelivery(this.deps.db, tenantId, id, n) : undefined;
    if (!delivery) throw notFound('delivery');
    return this.enqueue(ctx, tenantId, id, [delivery.message_id]);
  }

  /** Sends again every message whose last delivery to this endpoint failed, since `since`. */
  async redeliverFailed(ctx: RequestContext, tenantId: string, id: string, since: string) {
    await requireCapability(this.deps.db, ctx, tenantId, 'webhooks:edit', 'W1');
    await this.endpoint(tenantId, id);
    const messages = await repo.failedMessagesSince(this.deps.db, tenantId, id, new Date(since));
    return this.enqueue(ctx, tenantId, id, messages);
  }

  /** A `webhook.test` message to this endpoint only. */
  async sendTest(ctx: RequestContext, tenantId: string, id: string) {
    await requireCapability(this.deps.db, ctx, tenantId, 'webhooks:edit', 'W1');
    const result = await inTransaction(this.deps, ctx, async (uow) => {
      await this.endpoint(tenantId, id, uow.tx);
      const entry = eventEntry(ctx, { type: 'webhook.test', tenantId, data: { endpointId: id } });
      if (entry.kind !== 'event') throw new Error('unreachable');
      const { messageId, body } = entry.payload;
      await repo.insertMessages(uow.tx, [{ id: messageId, tenantId, type: body.type, body: JSON.stringify(body) }]);
      const ids = await repo.enqueueDeliveries(uow.tx, tenantId, messageId, [id]);
      uow.audit({ tenantId, action: 'webhook.test', targetType: 'webhook', targetId: id, after: { messageId } });
      return { deliveryIds: ids.map(String), messageId };
    });
    outboxWakeUp.emit('wake');
    return result;
  }

  private async enqueue(ctx: RequestContext, tenantId: string, id: string, messageIds: string[]) {
    const ids = await inTransaction(this.deps, ctx, async (uow) => {
      const out = await repo.enqueueDeliveryRows(
        uow.tx,
        messageIds.map((messageId) => ({ tenantId, messageId, endpointId: id })),
      );
      uow.audit({
        tenantId,
        action: 'webhook.redeliver',
        targetType: 'webhook',
        targetId: id,
        after: { messages: messageIds.length },
      });
      return out;
    });
    outboxWakeUp.emit('wake');
    return { deliveryIds: ids.map(String) };
  }

  private async endpoint(
    tenantId: string,
    id: string,
    db: ServiceDeps['db'] | Parameters<typeof repo.findEndpoint>[0] = this.deps.db,
  ) {
    const row = await repo.findEndpoint(db, tenantId, id);
    if (!row) throw notFound('webhook');
    return row;
  }

  /** W1: no inside addresses unless the operator allows them (names are checked again at every connection). */
  private checkUrl(url: string): void {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new AppError('validation_failed', 'not a URL', { field: '/url' });
    }
    if (u.username || u.password)
      throw new AppError('validation_failed', 'no credentials in the URL: verify the signature instead', {
        field: '/url',
      });
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!this.deps.config.WEBHOOK_ALLOW_PRIVATE && (isInsideAddress(host) || host === 'localhost'))
      throw new AppError('validation_failed', 'webhooks may not go to private, loopback or link-local addresses', {
        field: '/url',
        rule: 'W1',
      });
  }
}
