import { sql, type Selectable } from 'kysely';
import type { Db, Executor, Tx } from '../../db/database.js';
import type { WebhookEndpointsTable } from '../../db/schema.js';

export type EndpointRow = Selectable<WebhookEndpointsTable>;

export async function listEndpoints(db: Executor, tenantId: string): Promise<EndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute();
}

export async function findEndpoint(db: Executor, tenantId: string, id: string): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertEndpoint(
  tx: Tx,
  row: Pick<EndpointRow, 'id' | 'tenant_id' | 'url' | 'description' | 'event_types' | 'enabled' | 'secret'>,
): Promise<EndpointRow> {
  return tx
    .insertInto('webhook_endpoints')
    .values({ ...row, event_types: JSON.stringify(row.event_types), version: 1 })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateEndpoint(
  db: Executor,
  tenantId: string,
  id: string,
  set: Partial<Omit<EndpointRow, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<EndpointRow | undefined> {
  const { event_types, ...rest } = set;
  return db
    .updateTable('webhook_endpoints')
    .set({
      ...rest,
      ...(event_types !== undefined && { event_types: JSON.stringify(event_types) }),
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteEndpoint(tx: Tx, tenantId: string, id: string): Promise<boolean> {
  const r = await tx
    .deleteFrom('webhook_endpoints')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  // Deliveries still due for it are cancelled.
  await tx
    .updateTable('outbox')
    .set({ dispatched_at: sql`now()`, outcome: 'skipped', last_error: 'endpoint deleted' })
    .where('endpoint_id', '=', id)
    .where('dispatched_at', 'is', null)
    .execute();
  return Number(r.numDeletedRows) > 0;
}

/** The tenant's enabled endpoints that take an event of this type (an empty list takes every type). */
export async function subscribedEndpoints(db: Executor, tenantId: string, type: string): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'event_types'])
    .where('tenant_id', '=', tenantId)
    .where('enabled', '=', true)
    .execute();
  return rows.filter((r) => r.event_types.length === 0 || r.event_types.includes(type)).map((r) => r.id);
}

export async function insertMessage(
  tx: Tx,
  m: { id: string; tenantId: string; type: string; body: string },
): Promise<void> {
  await tx
    .insertInto('webhook_messages')
    .values({ id: m.id, tenant_id: m.tenantId, type: m.type, body: m.body })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function findMessage(
  db: Executor,
  id: string,
): Promise<{ id: string; type: string; body: string } | undefined> {
  return db.selectFrom('webhook_messages').select(['id', 'type', 'body']).where('id', '=', id).executeTakeFirst();
}

/** One delivery row per endpoint: the outbox works them like any other row. */
export async function enqueueDeliveries(
  tx: Executor,
  tenantId: string,
  messageId: string,
  endpointIds: string[],
): Promise<number[]> {
  if (!endpointIds.length) return [];
  const rows = await tx
    .insertInto('outbox')
    .values(
      endpointIds.map((endpoint_id) => ({
        tenant_id: tenantId,
        type: 'webhook',
        payload: '{}',
        endpoint_id,
        message_id: messageId,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

export async function recordAttempt(
  db: Executor,
  a: {
    tenantId: string;
    endpointId: string;
    outboxId: number;
    messageId: string;
    statusCode: number | null;
    latencyMs: number;
    response: string | null;
    error: string | null;
  },
): Promise<void> {
  await db
    .insertInto('webhook_attempts')
    .values({
      tenant_id: a.tenantId,
      endpoint_id: a.endpointId,
      outbox_id: a.outboxId,
      message_id: a.messageId,
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      response: a.response,
      error: a.error,
    })
    .execute();
}

export interface DeliveryRow {
  id: number;
  message_id: string;
  type: string;
  attempts: number;
  next_attempt_at: Date;
  dispatched_at: Date | null;
  outcome: string | null;
  last_error: string | null;
  created_at: Date;
}

/** An endpoint's deliveries, newest first, keyset-paged by outbox id. */
export async function listDeliveries(
  db: Executor,
  tenantId: string,
  endpointId: string,
  opts: { before?: number; limit: number; status?: 'pending' | 'delivered' | 'failed' },
): Promise<DeliveryRow[]> {
  let q = db
    .selectFrom('outbox as o')
    .innerJoin('webhook_messages as m', 'm.id', 'o.message_id')
    .select([
      'o.id',
      'o.message_id',
      'm.type',
      'o.attempts',
      'o.next_attempt_at',
      'o.dispatched_at',
      'o.outcome',
      'o.last_error',
      'o.created_at',
    ])
    .where('o.tenant_id', '=', tenantId)
    .where('o.endpoint_id', '=', endpointId)
    .where('o.type', '=', 'webhook');
  if (opts.before !== undefined) q = q.where('o.id', '<', opts.before);
  if (opts.status === 'pending') q = q.where('o.dispatched_at', 'is', null);
  else if (opts.status === 'delivered') q = q.where('o.outcome', '=', 'delivered');
  else if (opts.status === 'failed') q = q.where('o.outcome', 'in', ['failed', 'skipped']);
  const rows = await q.orderBy('o.id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), message_id: r.message_id! }));
}

export async function findDelivery(
  db: Executor,
  tenantId: string,
  endpointId: string,
  id: number,
): Promise<{ id: number; message_id: string } | undefined> {
  const r = await db
    .selectFrom('outbox')
    .select(['id', 'message_id'])
    .where('tenant_id', '=', tenantId)
    .where('endpoint_id', '=', endpointId)
    .where('type', '=', 'webhook')
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? { id: Number(r.id), message_id: r.message_id! } : undefined;
}

export async function attemptsOf(db: Executor, outboxIds: number[]) {
  if (!outboxIds.length) return [];
  return db
    .selectFrom('webhook_attempts')
    .select(['outbox_id', 'status_code', 'latency_ms', 'response', 'error', 'created_at'])
    .where('outbox_id', 'in', outboxIds)
    .orderBy('id')
    .execute();
}

/** Messages whose latest delivery to this endpoint failed, created since `since`. */
export async function failedMessagesSince(
  db: Executor,
  tenantId: string,
  endpointId: string,
  since: Date,
): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox as o')
    .select('o.message_id')
    .where('o.tenant_id', '=', tenantId)
    .where('o.endpoint_id', '=', endpointId)
    .where('o.type', '=', 'webhook')
    .where('o.created_at', '>=', since)
    .where('o.outcome', 'in', ['failed', 'skipped'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('outbox as later')
            .select('later.id')
            .whereRef('later.message_id', '=', 'o.message_id')
            .whereRef('later.endpoint_id', '=', 'o.endpoint_id')
            .whereRef('later.id', '>', 'o.id'),
        ),
      ),
    )
    .distinct()
    .execute();
  return rows.map((r) => r.message_id!);
}

/** Marks the endpoint failing since now unless it already is; answers since when it fails. */
export async function markFailing(db: Db, endpointId: string): Promise<Date | null> {
  const r = await db
    .updateTable('webhook_endpoints')
    .set({ failing_since: sql`coalesce(failing_since, now())` })
    .where('id', '=', endpointId)
    .returning('failing_since')
    .executeTakeFirst();
  return r?.failing_since ? new Date(r.failing_since) : null;
}

export async function markHealthy(db: Db, endpointId: string): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ failing_since: null })
    .where('id', '=', endpointId)
    .where('failing_since', 'is not', null)
    .execute();
}

/** Who is told when an endpoint is disabled: the tenant's active superusers and webhook admins with an email. */
export async function tenantAdminEmails(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'active')
    .where('email', 'is not', null)
    .where(sql<boolean>`('webhook_admin' = any(permissions) or profile->>'kind' = 'superuser')`)
    .execute();
  return rows.map((r) => r.email!);
}
