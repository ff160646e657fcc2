import { sql, type Selectable } from 'kysely';
import type { Executor, Tx } from '../../db/database.js';
import { finishRowsStatement, type RowResult } from '../outbox/outbox.repo.js';
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

/**
 * Fans events out in one statement: a delivery row for every enabled endpoint of the event's tenant
 * that takes its type (an empty list takes every type), the message stored once, and the event rows
 * finished (`delivered` when someone takes them, `skipped` otherwise). Answers how many deliveries it
 * queued.
 */
export async function fanOut(
  db: Executor,
  events: readonly { outboxId: number; tenantId: string; messageId: string; type: string; body: string }[],
): Promise<number> {
  if (!events.length) return 0;
  const values = sql.join(
    events.map(
      (e) => sql`(${e.outboxId}::bigint, ${e.tenantId}::text, ${e.messageId}::text, ${e.type}::text, ${e.body}::text)`,
    ),
  );
  const { rows } = await sql<{ n: number | string }>`
    with ev (outbox_id, tenant_id, message_id, type, body) as (values ${values}),
    subs as (
      select ev.*, e.id as endpoint_id from ev
      join webhook_endpoints e on e.tenant_id = ev.tenant_id and e.enabled
        and (jsonb_array_length(e.event_types) = 0 or e.event_types @> jsonb_build_array(ev.type))
    ),
    msgs as (
      insert into webhook_messages (id, tenant_id, type, body)
      select distinct on (message_id) message_id, tenant_id, type, body from subs
      on conflict (id) do nothing
    ),
    dels as (
      insert into outbox (tenant_id, type, payload, endpoint_id, message_id)
      select tenant_id, 'webhook', '{}'::jsonb, endpoint_id, message_id from subs order by outbox_id, endpoint_id
      returning id
    ),
    fin as (
      update outbox o set dispatched_at = now(), lease_until = null, last_error = null,
        outcome = case when exists (select 1 from subs s where s.outbox_id = o.id) then 'delivered' else 'skipped' end
      where o.id in (select outbox_id from ev)
    )
    select count(*) as n from dels`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Stores messages (once each: a message fanned out again after a crash keeps its row). */
export async function insertMessages(
  tx: Executor,
  messages: readonly { id: string; tenantId: string; type: string; body: string }[],
): Promise<void> {
  if (!messages.length) return;
  await tx
    .insertInto('webhook_messages')
    .values(messages.map((m) => ({ id: m.id, tenant_id: m.tenantId, type: m.type, body: m.body })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** What one delivery attempt needs (a deleted endpoint or a purged message is null). */
export interface DeliveryContext {
  endpoint: EndpointRow | null;
  message: { id: string; body: string } | null;
}

/** The context of every delivery row of a claim, in one query. */
export async function deliveryContexts(
  db: Executor,
  outboxIds: readonly number[],
): Promise<Map<number, DeliveryContext>> {
  if (!outboxIds.length) return new Map();
  const rows = await db
    .selectFrom('outbox as o')
    .leftJoin('webhook_endpoints as e', (j) =>
      j.onRef('e.id', '=', 'o.endpoint_id').onRef('e.tenant_id', '=', 'o.tenant_id'),
    )
    .leftJoin('webhook_messages as m', 'm.id', 'o.message_id')
    .select([
      'o.id as outbox_id',
      'e.id',
      'e.tenant_id',
      'e.url',
      'e.description',
      'e.event_types',
      'e.enabled',
      'e.disabled_reason',
      'e.secret',
      'e.previous_secret',
      'e.previous_secret_until',
      'e.failing_since',
      'e.version',
      'e.created_at',
      'e.updated_at',
      'm.id as message_id',
      'm.body as message_body',
    ])
    .where('o.id', 'in', [...outboxIds])
    .execute();
  return new Map(
    rows.map(({ outbox_id, message_id, message_body, ...e }) => [
      Number(outbox_id),
      {
        endpoint: e.id === null ? null : (e as EndpointRow),
        message: message_id === null || message_body === null ? null : { id: message_id, body: message_body },
      },
    ]),
  );
}

/** One delivery row per endpoint: the outbox works them like any other row. */
export async function enqueueDeliveries(
  tx: Executor,
  tenantId: string,
  messageId: string,
  endpointIds: string[],
): Promise<number[]> {
  return enqueueDeliveryRows(
    tx,
    endpointIds.map((endpointId) => ({ tenantId, messageId, endpointId })),
  );
}

/** Delivery rows for many messages and endpoints in one statement. */
export async function enqueueDeliveryRows(
  tx: Executor,
  deliveries: readonly { tenantId: string; messageId: string; endpointId: string }[],
): Promise<number[]> {
  if (!deliveries.length) return [];
  const rows = await tx
    .insertInto('outbox')
    .values(
      deliveries.map((d) => ({
        tenant_id: d.tenantId,
        type: 'webhook',
        payload: '{}',
        endpoint_id: d.endpointId,
        message_id: d.messageId,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** One attempt's log line (none when no request was made), what it means for its endpoint, and its row's result. */
export interface RecordedAttempt {
  attempt: {
    tenantId: string;
    endpointId: string;
    outboxId: number;
    messageId: string;
    statusCode: number | null;
    latencyMs: number;
    response: string | null;
    error: string | null;
  } | null;
  /** `healthy` clears the endpoint's failure clock; `failing` starts it unless it runs. */
  health: { endpointId: string; state: 'healthy' | 'failing' } | null;
  result: RowResult;
}

/**
 * Writes the attempt log, the endpoints' failure clocks and the rows' results of many attempts in
 * one statement (data-modifying CTEs: all or nothing, one round trip). An endpoint seen more than
 * once takes its last state.
 */
export async function recordAttempts(db: Executor, items: readonly RecordedAttempt[]): Promise<void> {
  if (!items.length) return;
  const attempts = items.flatMap((i) => (i.attempt ? [i.attempt] : []));
  const health = new Map<string, 'healthy' | 'failing'>();
  for (const i of items) if (i.health) health.set(i.health.endpointId, i.health.state);
  const ids = (state: 'healthy' | 'failing') => [...health].filter(([, s]) => s === state).map(([id]) => sql`${id}`);
  const healthy = ids('healthy');
  const failing = ids('failing');
  const parts = [sql`finished as (${finishRowsStatement(items.map((i) => i.result))})`];
  if (attempts.length)
    parts.push(sql`logged as (
      insert into webhook_attempts (tenant_id, endpoint_id, outbox_id, message_id, status_code, latency_ms, response, error)
      values ${sql.join(
        attempts.map(
          (a) =>
            sql`(${a.tenantId}, ${a.endpointId}, ${a.outboxId}::bigint, ${a.messageId}, ${a.statusCode}::integer, ${a.latencyMs}::integer, ${a.response}::text, ${a.error}::text)`,
        ),
      )})`);
  if (healthy.length)
    parts.push(sql`healthy as (
      update webhook_endpoints set failing_since = null where id in (${sql.join(healthy)}) and failing_since is not null)`);
  if (failing.length)
    parts.push(sql`failing as (
      update webhook_endpoints set failing_since = coalesce(failing_since, now()) where id in (${sql.join(failing)}))`);
  await sql`with ${sql.join(parts)} select 1`.execute(db);
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
