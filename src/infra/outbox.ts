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
 *
 * Most events need no call at all: the webhooks module derives them from what every change already
 * records in its unit of work (audit entries such as `user.update`, bus events such as `config`),
 * so every path that changes a user (portal, API, SCIM, CSV, platform sync) emits the same events.
 */
import { EventEmitter } from 'node:events';
import type { AuditInput } from './audit-chain.js';
import type { ChangeEvent } from './bus.js';
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

/** A file attached to a mail (a report's CSV), its content as text. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface OutboxMail {
  tenantId: string;
  to: string;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
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
  | {
      kind: 'mail';
      tenantId: string;
      payload: {
        to: string;
        subject: string;
        sealedText: string;
        attachments?: Array<{ filename: string; contentType: string; sealedContent: string }>;
      };
    };

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

/** Turns what a unit of work recorded (audit entries, bus events) into the webhook events it implies. */
export type EventDeriver = (change: { audit: readonly AuditInput[]; events: readonly ChangeEvent[] }) => OutboxEvent[];
const derivers = new Set<EventDeriver>();

/** Registered once at start by the webhooks module (a Set: several servers in one process add it once). */
export function deriveEventsWith(deriver: EventDeriver): void {
  derivers.add(deriver);
}

export function derivedEvents(change: { audit: readonly AuditInput[]; events: readonly ChangeEvent[] }): OutboxEvent[] {
  return [...derivers].flatMap((d) => d(change));
}
