import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

/** The tables partitioned by month, and the column each is partitioned on. */
export const PARTITIONED = {
  call_records: 'started_at',
  call_participants: 'started_at',
  call_recordings: 'started_at',
  agent_events: 'at',
} as const;
export type PartitionedTable = keyof typeof PARTITIONED;

/** `2026-11` → `call_records_p202611`. */
export const partitionName = (table: PartitionedTable, month: string) => `${table}_p${month.replace('-', '')}`;

/** The first instant of a month (`YYYY-MM`) and of the next, in UTC. */
function monthBounds(month: string): [string, string] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return [`${month}-01T00:00:00Z`, `${next}-01T00:00:00Z`];
}

/**
 * Creates a month's partition of a table when it does not exist. Two nodes may race to create the
 * same one: the loser's "already exists" is success.
 */
export async function createPartition(db: Executor, table: PartitionedTable, month: string): Promise<void> {
  const [from, to] = monthBounds(month);
  try {
    await sql`create table if not exists ${sql.id(partitionName(table, month))} partition of ${sql.id(table)}
      for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(db);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== '42P07' && code !== '23505') throw err;
  }
}

/** The existing monthly partitions of a table (`YYYY-MM`), oldest first. */
export async function listPartitions(db: Executor, table: PartitionedTable): Promise<string[]> {
  const r = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname = ${table}`.execute(db);
  return r.rows
    .map((row) => /_p(\d{4})(\d{2})$/.exec(row.name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}-${m[2]}`)
    .sort();
}

export async function dropPartition(db: Executor, table: PartitionedTable, month: string): Promise<void> {
  await sql`drop table if exists ${sql.id(partitionName(table, month))}`.execute(db);
}

/**
 * Deletes one tenant's rows older than its retention (the partitions other tenants still keep), and the
 * rollup's hours before the same instant. The cut is taken down to the whole hour, so an hour of the rollup is
 * either kept with all its calls or deleted with them.
 */
export async function pruneTenant(db: Executor, tenantId: string, retainFrom: Date): Promise<number> {
  const before = new Date(Math.floor(retainFrom.getTime() / 3_600_000) * 3_600_000);
  await sql`delete from call_rollup where tenant_id = ${tenantId} and hour < ${before}`.execute(db);
  let n = 0;
  for (const [table, column] of Object.entries(PARTITIONED)) {
    const r =
      await sql`delete from ${sql.id(table)} where tenant_id = ${tenantId} and ${sql.id(column)} < ${before}`.execute(
        db,
      );
    n += Number(r.numAffectedRows ?? 0);
  }
  return n;
}

interface KnownUser {
  id: string;
  externalId: string;
}

/** The tenant's users with these phone-system ids (manual users have none, G4). */
export async function usersByExternalId(db: Executor, tenantId: string, externalIds: string[]): Promise<KnownUser[]> {
  if (externalIds.length === 0) return [];
  const r = await sql<{ id: string; external_id: string }>`
    select id, external_id from users
    where tenant_id = ${tenantId} and external_id = any(${externalIds}::text[])`.execute(db);
  return r.rows.map((row) => ({ id: row.id, externalId: row.external_id }));
}

export interface LicenceInterval {
  userId: string;
  validFrom: Date;
  essential: boolean;
  agent: boolean;
  primaryGroupId: string | null;
}

/** Every licence change of these users, oldest first. */
export async function licenceHistory(db: Executor, tenantId: string, userIds: string[]): Promise<LicenceInterval[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('user_data_licences')
    .select(['user_id', 'valid_from', 'essential', 'agent', 'primary_group_id'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', 'in', userIds)
    .orderBy('user_id')
    .orderBy('valid_from')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    validFrom: new Date(r.valid_from),
    essential: r.essential,
    agent: r.agent,
    primaryGroupId: r.primary_group_id,
  }));
}

/** The tenant's queues by the phone system's id. */
export async function queuesByExternalId(
  db: Executor,
  tenantId: string,
  externalIds: string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('queues')
    .select(['id', 'external_id'])
    .where('tenant_id', '=', tenantId)
    .where('external_id', 'in', externalIds)
    .execute();
  return new Map(rows.map((r) => [r.external_id!, r.id]));
}

export interface CallRow {
  external_id: string;
  started_at: string;
  conversation_id: string | null;
  answered_at: string | null;
  ended_at: string | null;
  direction: string;
  disposition: string;
  from_number: string | null;
  from_name: string | null;
  to_number: string | null;
  to_name: string | null;
  queue_id: string | null;
  queue_external_id: string | null;
  wait_seconds: number;
  talk_seconds: number;
  recordings: unknown;
  participants: unknown;
}

export interface ParticipantRow {
  call_id: string;
  started_at: string;
  user_id: string;
  group_id: string | null;
  role: string;
  direction: string;
  disposition: string;
  queue_id: string | null;
  wait_seconds: number;
  talk_seconds: number;
  joined_at: string | null;
  left_at: string | null;
}

/** A backslash in JSON text that does not escape a quote or a backslash (control characters, lone surrogates). */
const OTHER_JSON_ESCAPE = /\\[^"\\]/;

/**
 * A PostgreSQL array literal of strings, numbers and nulls (`{"a","b\\"c",NULL,4}`): one string parameter, so the
 * driver sends it as is instead of encoding every element through its generic array path. JSON writes the same
 * literal (quotes and backslashes escaped by a backslash, `null` for NULL) unless a value holds a character JSON
 * escapes otherwise (`\n`, `\u0001`); then each element is escaped here.
 */
function arrayLiteral(values: ReadonlyArray<string | number | null | undefined>): string {
  const json = JSON.stringify(values);
  if (!OTHER_JSON_ESCAPE.test(json)) return `{${json.slice(1, -1)}}`;
  const parts = values.map((v) =>
    v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `"${v.replace(/["\\]/g, '\\$&')}"`,
  );
  return `{${parts.join(',')}}`;
}

/** The rows' values of one column, for `unnest` (one array parameter per column instead of a row each). */
const column = <R, K extends keyof R>(rows: readonly R[], key: K): string =>
  arrayLiteral(rows.map((r) => r[key] as string | number | null));
const jsonColumn = <R, K extends keyof R>(rows: readonly R[], key: K): string =>
  arrayLiteral(rows.map((r) => JSON.stringify(r[key])));

/**
 * Inserts calls, their modelled participants and their recordings in one statement; a call already stored (same id and
 * start) is skipped with its participants. Rows travel as one array per column, expanded by `unnest`: a batch of
 * 10,000 calls is one statement with a few dozen parameters, and the server parses no JSON for them. Returns the ids
 * of the calls stored now.
 */
export async function insertCalls(
  db: Executor,
  tenantId: string,
  calls: CallRow[],
  participants: ParticipantRow[],
  recordings: RecordingRow[],
): Promise<Set<string>> {
  if (calls.length === 0) return new Set();
  const c = <K extends keyof CallRow>(k: K) => column(calls, k);
  const p = <K extends keyof ParticipantRow>(k: K) => column(participants, k);
  const r = await sql<{ external_id: string }>`
    with ins as (
      insert into call_records (tenant_id, external_id, started_at, conversation_id, answered_at, ended_at, direction,
        disposition, from_number, from_name, to_number, to_name, queue_id, queue_external_id, wait_seconds, talk_seconds,
        recordings, participants)
      select ${tenantId}, r.external_id, r.started_at, r.conversation_id, r.answered_at, r.ended_at, r.direction,
        r.disposition, r.from_number, r.from_name, r.to_number, r.to_name, r.queue_id, r.queue_external_id,
        r.wait_seconds, r.talk_seconds, r.recordings::jsonb, r.participants::jsonb
      from unnest(${c('external_id')}::text[], ${c('started_at')}::timestamptz[], ${c('conversation_id')}::text[],
        ${c('answered_at')}::timestamptz[], ${c('ended_at')}::timestamptz[], ${c('direction')}::text[],
        ${c('disposition')}::text[], ${c('from_number')}::text[], ${c('from_name')}::text[], ${c('to_number')}::text[],
        ${c('to_name')}::text[], ${c('queue_id')}::text[], ${c('queue_external_id')}::text[],
        ${c('wait_seconds')}::int[], ${c('talk_seconds')}::int[], ${jsonColumn(calls, 'recordings')}::text[],
        ${jsonColumn(calls, 'participants')}::text[])
        as r(external_id, started_at, conversation_id, answered_at, ended_at, direction, disposition, from_number,
          from_name, to_number, to_name, queue_id, queue_external_id, wait_seconds, talk_seconds, recordings,
          participants)
      on conflict do nothing
      returning external_id, started_at, queue_id, direction, disposition, wait_seconds, talk_seconds
    ), parts as (
      insert into call_participants (tenant_id, started_at, call_id, user_id, group_id, role, direction, disposition,
        queue_id, wait_seconds, talk_seconds, joined_at, left_at)
      select ${tenantId}, p.started_at, p.call_id, p.user_id, p.group_id, p.role, p.direction, p.disposition,
        p.queue_id, p.wait_seconds, p.talk_seconds, p.joined_at, p.left_at
      from unnest(${p('call_id')}::text[], ${p('started_at')}::timestamptz[], ${p('user_id')}::text[],
        ${p('group_id')}::text[], ${p('role')}::text[], ${p('direction')}::text[], ${p('disposition')}::text[],
        ${p('queue_id')}::text[], ${p('wait_seconds')}::int[], ${p('talk_seconds')}::int[],
        ${p('joined_at')}::timestamptz[], ${p('left_at')}::timestamptz[])
        as p(call_id, started_at, user_id, group_id, role, direction, disposition, queue_id, wait_seconds,
          talk_seconds, joined_at, left_at)
      join ins on ins.external_id = p.call_id and ins.started_at = p.started_at
      on conflict do nothing
      returning user_id, group_id, started_at, queue_id, direction, disposition, wait_seconds, talk_seconds
    ), rollup as (${upsertRollup(tenantId)}
    ), producers as (
      insert into call_data_producers (tenant_id, month, licence, user_id)
      select distinct ${tenantId}, to_char(started_at at time zone 'UTC', 'YYYY-MM'), 'essential', user_id from parts
      order by 2, 4
      on conflict do nothing
    ), recs as (
      insert into call_recordings (tenant_id, started_at, call_id, recording_id, location, recording_started_at)
      select ${tenantId}, r.started_at, r.call_id, r.recording_id, r.location, r.recording_started_at
      from jsonb_to_recordset(${JSON.stringify(recordings)}::jsonb) as r(call_id text, started_at timestamptz,
        recording_id text, location text, recording_started_at timestamptz)
      join ins on ins.external_id = r.call_id and ins.started_at = r.started_at
      on conflict do nothing
    )
    select external_id from ins`.execute(db);
  return new Set(r.rows.map((row) => row.external_id));
}

/**
 * The rollup's share of a batch (one upsert for the batch): the calls stored now (`ins`) count once per call,
 * their modelled participants (`parts`) once per participant by group and by user, added to each hour's
 * figures. Only rows this statement inserted reach it, so a resent record never counts twice. Rows are
 * upserted in key order, so two batches of a tenant lock the rows they share in the same order. (The bench's
 * generated month goes through it too.)
 */
export function upsertRollup(tenantId: string) {
  return sql`
      insert into call_rollup as r (tenant_id, grain, hour, user_id, group_id, queue_id, direction, disposition, calls,
        answered, missed, abandoned, sum_wait, max_wait, sum_talk, max_talk)
      select ${tenantId}, grain, date_trunc('hour', started_at at time zone 'UTC') at time zone 'UTC' as hour, user_id,
        group_id, queue_id, direction, disposition, count(*), count(*) filter (where disposition = 'answered'),
        count(*) filter (where disposition in ('no_answer', 'busy')), count(*) filter (where disposition = 'abandoned'),
        sum(wait_seconds), max(wait_seconds), sum(talk_seconds), max(talk_seconds)
      from (
        select 'call' as grain, started_at, '' as user_id, '' as group_id, coalesce(queue_id, '') as queue_id,
          direction, disposition, wait_seconds, talk_seconds from ins
        union all
        select 'group', started_at, '', coalesce(group_id, ''), coalesce(queue_id, ''), direction, disposition,
          wait_seconds, talk_seconds from parts
        union all
        select 'user', started_at, user_id, coalesce(group_id, ''), coalesce(queue_id, ''), direction, disposition,
          wait_seconds, talk_seconds from parts
      ) x
      group by grain, hour, user_id, group_id, queue_id, direction, disposition
      order by grain, hour, user_id, group_id, queue_id, direction, disposition
      on conflict (tenant_id, grain, hour, user_id, group_id, queue_id, direction, disposition) do update set
        calls = r.calls + excluded.calls, answered = r.answered + excluded.answered,
        missed = r.missed + excluded.missed, abandoned = r.abandoned + excluded.abandoned,
        sum_wait = r.sum_wait + excluded.sum_wait, max_wait = greatest(r.max_wait, excluded.max_wait),
        sum_talk = r.sum_talk + excluded.sum_talk, max_talk = greatest(r.max_talk, excluded.max_talk)`;
}

export interface RecordingRow {
  call_id: string;
  started_at: string;
  recording_id: string;
  location: string;
  recording_started_at: string | null;
}

export interface AgentEventRow {
  external_id: string;
  at: string;
  user_id: string;
  type: string;
  queue_id: string | null;
  reason: string | null;
  state: string | null;
  conversation_id: string | null;
  caller_number: string | null;
}

/**
 * Inserts agent events, one array per column like calls; an event already stored (same id and time) is skipped.
 * Returns the ids stored now.
 */
export async function insertAgentEvents(db: Executor, tenantId: string, events: AgentEventRow[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const e = <K extends keyof AgentEventRow>(k: K) => column(events, k);
  const r = await sql<{ external_id: string }>`
    with ins as (
      insert into agent_events (tenant_id, external_id, at, user_id, type, queue_id, reason, state, conversation_id,
        caller_number)
      select ${tenantId}, e.external_id, e.at, e.user_id, e.type, e.queue_id, e.reason, e.state, e.conversation_id,
        e.caller_number
      from unnest(${e('external_id')}::text[], ${e('at')}::timestamptz[], ${e('user_id')}::text[], ${e('type')}::text[],
        ${e('queue_id')}::text[], ${e('reason')}::text[], ${e('state')}::text[], ${e('conversation_id')}::text[],
        ${e('caller_number')}::text[])
        as e(external_id, at, user_id, type, queue_id, reason, state, conversation_id, caller_number)
      on conflict do nothing
      returning external_id, at, user_id
    ), producers as (
      insert into call_data_producers (tenant_id, month, licence, user_id)
      select distinct ${tenantId}, to_char(at at time zone 'UTC', 'YYYY-MM'), 'agent', user_id from ins
      order by 2, 4
      on conflict do nothing
    )
    select external_id from ins`.execute(db);
  return new Set(r.rows.map((row) => row.external_id));
}

export async function findSettings(
  db: Executor,
  tenantId: string,
): Promise<{ retention_days: number; retention_max_days: number } | undefined> {
  return db
    .selectFrom('call_data_settings')
    .select(['retention_days', 'retention_max_days'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function upsertSettings(
  db: Executor,
  tenantId: string,
  s: { retention_days: number; retention_max_days: number },
): Promise<void> {
  await db
    .insertInto('call_data_settings')
    .values({ tenant_id: tenantId, ...s })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(s))
    .execute();
}

/** Every tenant with its retention (days; tenants without settings keep the default). */
export async function tenantRetentions(
  db: Executor,
  defaultDays: number,
): Promise<Array<{ id: string; days: number }>> {
  const rows = await db
    .selectFrom('tenants')
    .leftJoin('call_data_settings', 'call_data_settings.tenant_id', 'tenants.id')
    .select(['tenants.id', 'call_data_settings.retention_days'])
    .execute();
  return rows.map((r) => ({ id: r.id, days: r.retention_days ?? defaultDays }));
}
