/**
 * The durable outbox (W1): everything that must leave the system because of a change is written in
 * the same transaction as the change, never after commit, and delivered at least once by the outbox
 * dispatcher that runs on every node (`src/modules/outbox/`).
 *
 * API, for services, inside `inTransaction(deps, ctx, async (uow) => …)`:
 *
 *   uow.emit({ type: 'user.updated', tenantId, data: { userId, changed: ['email'] } });
 *     A change event for webhook subscribers. The envelope is added here: a stable message id
 *     (`msg_…`, the `webhook-id` header), `timestamp`, `tenantId`, `origin` and `actor` taken from
 *     the request context (portal, api, scim, platform_sync, provider), so callers pass only the
 *     data. Event types are documented in `src/modules/webhooks/webhook-events.ts` (and OpenAPI):
 *     add a new type there with its JSON schema.
 *
 *   uow.sendMail({ tenantId, to, subject, text });
 *     A mail, sent through SMTP_URL (or kept in the dev mailbox). Its text is sealed at rest, so
 *     links and codes in it are not readable from the table.
 *
 * Both are written only if the transaction commits; a rolled-back change sends nothing.
 */
import { EventEmitter } from 'node:events';
import type { Actor, RequestContext } from './context.js';
import { newId } from './ids.js';

/** Where a change came from, so a consumer can skip the echoes of its own changes (W1). */
export type Origin = 'portal' | 'api' | 'scim' | 'platform_sync' | 'provider';
export const ORIGINS: readonly Origin[] = ['portal', 'api', 'scim', 'platform_sync', 'provider'];

export interface OutboxEvent {
  type: string;
  tenantId: string;
  data: Record<string, unknown>;
}

export interface OutboxMail {
  tenantId: string;
  to: string;
  subject: string;
  text: string;
}

/** The body every webhook message carries (Standard Webhooks: `type`, `timestamp`, `data`). */
export interface WebhookEventBody {
  type: string;
  timestamp: string;
  tenantId: string;
  origin: Origin;
  actor: { type: Actor['kind']; id: string | null };
  data: Record<string, unknown>;
}

/** One row to write: an event (fanned out to subscribers by the dispatcher) or a mail. */
export type OutboxEntry =
  | { kind: 'event'; tenantId: string; payload: { messageId: string; body: WebhookEventBody } }
  | { kind: 'mail'; tenantId: string; payload: { to: string; subject: string; sealedText: string } };

/** The origin of a request: set by the HTTP layer (SCIM paths), otherwise the credential's kind. */
export function originOf(ctx: RequestContext): Origin {
  if (ctx.origin) return ctx.origin;
  const a = ctx.actor;
  if (a.kind === 'provider') return 'provider';
  if (a.kind === 'platform') return 'platform_sync';
  return a.credential.startsWith('api_token:') ? 'api' : 'portal';
}

export function eventEntry(ctx: RequestContext, e: OutboxEvent): OutboxEntry {
  const actor = ctx.actor;
  return {
    kind: 'event',
    tenantId: e.tenantId,
    payload: {
      messageId: newId('msg'),
      body: {
        type: e.type,
        timestamp: new Date().toISOString(),
        tenantId: e.tenantId,
        origin: originOf(ctx),
        actor: { type: actor.kind, id: actor.kind === 'provider' ? null : actor.id },
        data: e.data,
      },
    },
  };
}

/** Wakes this process's dispatchers after a commit that wrote outbox rows (other nodes poll). */
export const outboxWakeUp = new EventEmitter().setMaxListeners(0);
