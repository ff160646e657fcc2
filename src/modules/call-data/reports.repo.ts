import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ReportDimension } from './reports.schemas.js';
import { rollupPlan, type RollupGrain } from './report-rollup.js';

/** A period and the filters of a call report (ids are Switchboard's). */
export interface CallFilter {
  tenantId: string;
  from: Date;
  to: Date;
  direction?: string;
  disposition?: string;
  queue?: string;
  group?: string;
  user?: string;
  number?: string;
}

export interface FiguresRow {
  key: string | null;
  total: number;
  answered: number;
  missed: number;
  abandoned: number;
  avg_wait: number;
  max_wait: number;
  avg_talk: number;
  max_talk: number;
  is_total: boolean;
}

const and = (parts: RawBuilder<unknown>[]) => sql.join(parts, sql` and `);

/** The same call of the participants' table and the records' table (both partitioned on started_at). */
const sameCall = sql`p.tenant_id = c.tenant_id and p.started_at = c.started_at and p.call_id = c.external_id`;

/** Conditions on the calls' table (alias c); user and group through its modelled participants. */
function callConditions(f: CallFilter): RawBuilder<unknown> {
  const w = [sql`c.tenant_id = ${f.tenantId}`, sql`c.started_at >= ${f.from}`, sql`c.started_at < ${f.to}`];
  if (f.direction) w.push(sql`c.direction = ${f.direction}`);
  if (f.disposition) w.push(sql`c.disposition = ${f.disposition}`);
  if (f.queue) w.push(sql`c.queue_id = ${f.queue}`);
  if (f.number) w.push(sql`(c.from_number = ${f.number} or c.to_number = ${f.number})`);
  if (f.user) w.push(sql`exists (select 1 from call_participants p where ${sameCall} and p.user_id = ${f.user})`);
  if (f.group) w.push(sql`exists (select 1 from call_participants p where ${sameCall} and p.group_id = ${f.group})`);
  return and(w);
}

/** Conditions on the participants' table (alias p): one row per modelled user of a call. */
function participantConditions(f: CallFilter): RawBuilder<unknown> {
  const w = [sql`p.tenant_id = ${f.tenantId}`, sql`p.started_at >= ${f.from}`, sql`p.started_at < ${f.to}`];
  if (f.direction) w.push(sql`p.direction = ${f.direction}`);
  if (f.disposition) w.push(sql`p.disposition = ${f.disposition}`);
  if (f.queue) w.push(sql`p.queue_id = ${f.queue}`);
  if (f.user) w.push(sql`p.user_id = ${f.user}`);
  if (f.group) w.push(sql`p.group_id = ${f.group}`);
  if (f.number)
    w.push(
      sql`exists (select 1 from call_records c where ${sameCall} and (c.from_number = ${f.number} or c.to_number = ${f.number}))`,
    );
  return and(w);
}

/** Per group: counts, sums and maxima, from which averages and the totals row are derived without a second pass. */
const figures = (a: string) => sql`
  count(*)::int as total,
  count(*) filter (where ${sql.ref(`${a}.disposition`)} = 'answered')::int as answered,
  count(*) filter (where ${sql.ref(`${a}.disposition`)} in ('no_answer', 'busy'))::int as missed,
  count(*) filter (where ${sql.ref(`${a}.disposition`)} = 'abandoned')::int as abandoned,
  coalesce(sum(${sql.ref(`${a}.wait_seconds`)}), 0)::float8 as sum_wait,
  coalesce(max(${sql.ref(`${a}.wait_seconds`)}), 0)::int as max_wait,
  coalesce(sum(${sql.ref(`${a}.talk_seconds`)}), 0)::float8 as sum_talk,
  coalesce(max(${sql.ref(`${a}.talk_seconds`)}), 0)::int as max_talk`;

type SumsRow = Omit<FiguresRow, 'avg_wait' | 'avg_talk' | 'is_total'> & { sum_wait: number; sum_talk: number };

const withAverages = (r: SumsRow, isTotal: boolean): FiguresRow => ({
  key: r.key,
  total: r.total,
  answered: r.answered,
  missed: r.missed,
  abandoned: r.abandoned,
  avg_wait: r.total > 0 ? r.sum_wait / r.total : 0,
  max_wait: r.max_wait,
  avg_talk: r.total > 0 ? r.sum_talk / r.total : 0,
  max_talk: r.max_talk,
  is_total: isTotal,
});

/** The totals row: every row belongs to exactly one group, so the groups add up to it. */
function totalOf(rows: SumsRow[]): SumsRow {
  const t: SumsRow = {
    key: null,
    total: 0,
    answered: 0,
    missed: 0,
    abandoned: 0,
    sum_wait: 0,
    max_wait: 0,
    sum_talk: 0,
    max_talk: 0,
  };
  for (const r of rows) {
    t.total += r.total;
    t.answered += r.answered;
    t.missed += r.missed;
    t.abandoned += r.abandoned;
    t.sum_wait += r.sum_wait;
    t.sum_talk += r.sum_talk;
    t.max_wait = Math.max(t.max_wait, r.max_wait);
    t.max_talk = Math.max(t.max_talk, r.max_talk);
  }
  return t;
}

/** The bucket of an hour or a day in the report's zone, of a time column. */
const bucketOf = (by: 'hour' | 'day', column: RawBuilder<unknown>, tz: string) =>
  by === 'hour'
    ? sql`to_char(date_trunc('hour', ${column} at time zone ${tz}), 'YYYY-MM-DD"T"HH24:00')`
    : sql`to_char(date_trunc('day', ${column} at time zone ${tz}), 'YYYY-MM-DD')`;

/** The report's figures from the stored calls (or their modelled participants), grouped by `by`. */
async function sumsFromCalls(db: Executor, f: CallFilter, by: ReportDimension, tz: string): Promise<SumsRow[]> {
  const perUser = by === 'user' || by === 'group';
  const a = perUser ? 'p' : 'c';
  const key =
    by === 'user'
      ? sql`p.user_id`
      : by === 'group'
        ? sql`p.group_id`
        : by === 'queue'
          ? sql`c.queue_id`
          : bucketOf(by, sql`c.started_at`, tz);
  const source = perUser ? sql`call_participants p` : sql`call_records c`;
  const where = perUser ? participantConditions(f) : callConditions(f);
  const r = await sql<SumsRow>`
    select key, ${figures('x')}
    from (select ${key} as key, ${sql.ref(`${a}.disposition`)}, ${sql.ref(`${a}.wait_seconds`)},
            ${sql.ref(`${a}.talk_seconds`)}
          from ${source} where ${where}) x
    group by key`.execute(db);
  return r.rows;
}

/** The same figures from the rollup's whole hours [from, to) at a grain. */
async function sumsFromRollup(
  db: Executor,
  f: CallFilter,
  by: ReportDimension,
  tz: string,
  grain: RollupGrain,
): Promise<SumsRow[]> {
  const key =
    by === 'user'
      ? sql`user_id`
      : by === 'group'
        ? sql`nullif(group_id, '')`
        : by === 'queue'
          ? sql`nullif(queue_id, '')`
          : bucketOf(by, sql`hour`, tz);
  const w = [sql`tenant_id = ${f.tenantId}`, sql`grain = ${grain}`, sql`hour >= ${f.from}`, sql`hour < ${f.to}`];
  if (f.direction) w.push(sql`direction = ${f.direction}`);
  if (f.disposition) w.push(sql`disposition = ${f.disposition}`);
  if (f.queue) w.push(sql`queue_id = ${f.queue}`);
  if (f.user) w.push(sql`user_id = ${f.user}`);
  if (f.group) w.push(sql`group_id = ${f.group}`);
  const r = await sql<SumsRow>`
    select ${key} as key, sum(calls)::int as total, sum(answered)::int as answered, sum(missed)::int as missed,
      sum(abandoned)::int as abandoned, sum(sum_wait)::float8 as sum_wait, max(max_wait)::int as max_wait,
      sum(sum_talk)::float8 as sum_talk, max(max_talk)::int as max_talk
    from call_rollup where ${and(w)}
    group by 1`.execute(db);
  return r.rows;
}

/** Groups of several parts of a period added up by key (each part's figures are sums and maxima). */
function mergeByKey(parts: SumsRow[][]): SumsRow[] {
  if (parts.length === 1) return parts[0]!;
  const byKey = new Map<string | null, SumsRow[]>();
  for (const row of parts.flat()) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
  return [...byKey.entries()].map(([key, rows]) => ({ ...totalOf(rows), key }));
}

/** Hour and day buckets first to last; other keys by most calls, then key (no key last). */
function compareRows(by: ReportDimension) {
  const byKey = (a: SumsRow, b: SumsRow) =>
    a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1;
  return by === 'hour' || by === 'day' ? byKey : (a: SumsRow, b: SumsRow) => b.total - a.total || byKey(a, b);
}

/**
 * Calls of a period grouped by one dimension, with a totals row (`is_total`, summed from the groups: one
 * pass over the month, not a second grouping set). By user and group the rows count each modelled
 * participant (a call between two licensed users counts for both); by queue, hour and day they count calls.
 *
 * Read from the rollup whenever it can answer ({@link rollupPlan}): its whole hours from the rollup, the partial
 * hours at either end of the period from the calls. `source: 'calls'` reads only the calls (the rollup's
 * equivalence tests compare both).
 */
export async function callReport(
  db: Executor,
  f: CallFilter,
  by: ReportDimension,
  tz: string,
  source: 'auto' | 'calls' = 'auto',
): Promise<FiguresRow[]> {
  const plan = source === 'auto' ? rollupPlan(f, by, tz) : null;
  const parts: SumsRow[][] = [];
  if (!plan) parts.push(await sumsFromCalls(db, f, by, tz));
  else {
    parts.push(await sumsFromRollup(db, { ...f, from: plan.from, to: plan.to }, by, tz, plan.grain));
    if (f.from < plan.from) parts.push(await sumsFromCalls(db, { ...f, to: plan.from }, by, tz));
    if (plan.to < f.to) parts.push(await sumsFromCalls(db, { ...f, from: plan.to }, by, tz));
  }
  const rows = mergeByKey(parts).sort(compareRows(by));
  return rows.length > 0 ? [...rows.map((row) => withAverages(row, false)), withAverages(totalOf(rows), true)] : [];
}

export interface CallListRow {
  external_id: string;
  conversation_id: string | null;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  direction: string;
  disposition: string;
  from_number: string | null;
  from_name: string | null;
  to_number: string | null;
  to_name: string | null;
  queue_id: string | null;
  wait_seconds: number;
  talk_seconds: number;
  recordings: Array<{ id: string; location: string }>;
  modelled_for: string[];
}

/** The calls behind a report, newest first, keyset-paged by (start, id). */
export async function listCalls(
  db: Executor,
  f: CallFilter,
  after: [Date, string] | undefined,
  limit: number,
): Promise<CallListRow[]> {
  const r = await sql<CallListRow>`
    select c.external_id, c.conversation_id, c.started_at, c.answered_at, c.ended_at, c.direction, c.disposition,
      c.from_number, c.from_name, c.to_number, c.to_name, c.queue_id, c.wait_seconds, c.talk_seconds, c.recordings,
      array(select p.user_id from call_participants p where ${sameCall} order by p.user_id) as modelled_for
    from call_records c
    where ${callConditions(f)} ${after ? sql`and (c.started_at, c.external_id) < (${after[0]}, ${after[1]})` : sql``}
    order by c.started_at desc, c.external_id desc
    limit ${limit}`.execute(db);
  return r.rows;
}

interface AgentRow {
  user_id: string;
  offered: number;
  answered: number;
  missed: number;
}

/** A period of agent data, narrowed to some agents and queues (G11: the supervisor's queues and their agents). */
interface AgentFilter {
  tenantId: string;
  from: Date;
  to: Date;
  user?: string;
  queue?: string;
  users?: string[];
  queues?: string[];
}

/** Offered, answered and missed per agent over a period. */
export async function agentCounts(db: Executor, f: AgentFilter): Promise<AgentRow[]> {
  const r = await sql<AgentRow>`
    select user_id,
      count(*) filter (where type = 'offered')::int as offered,
      count(*) filter (where type = 'answered')::int as answered,
      count(*) filter (where type = 'missed')::int as missed
    from agent_events
    where ${and(agentConditions(f))}
    group by user_id`.execute(db);
  return r.rows;
}

function agentConditions(f: AgentFilter) {
  const w = [sql`tenant_id = ${f.tenantId}`, sql`at >= ${f.from}`, sql`at < ${f.to}`];
  if (f.user) w.push(sql`user_id = ${f.user}`);
  if (f.queue) w.push(sql`queue_id = ${f.queue}`);
  if (f.users) w.push(sql`user_id = any(${f.users}::text[])`);
  if (f.queues) w.push(sql`queue_id = any(${f.queues}::text[])`);
  return w;
}

/**
 * The agents of some queues (G11): those the phone system assigns to one of them, and those with agent
 * events in one of them over the period.
 */
export async function agentsOfQueues(
  db: Executor,
  f: { tenantId: string; from: Date; to: Date; queues: string[] },
): Promise<string[]> {
  const r = await sql<{ id: string }>`
    select id from users where tenant_id = ${f.tenantId} and acd_queue_ids && ${f.queues}::text[]
    union
    select distinct user_id from agent_events
    where tenant_id = ${f.tenantId} and at >= ${f.from} and at < ${f.to} and queue_id = any(${f.queues}::text[])`.execute(
    db,
  );
  return r.rows.map((row) => row.id);
}

interface StateRow {
  user_id: string;
  state: string;
  reason: string | null;
  seconds: number;
}

/** How long state-changing events put each agent in each state (and pause reason) within the period. */
const STATE_OF = sql`case type
  when 'login' then 'available' when 'unpause' then 'available' when 'wrap_up_end' then 'available'
  when 'pause' then 'paused' when 'wrap_up_start' then 'wrap_up' when 'logout' then 'logged_out'
  else coalesce(state, 'unknown') end`;

/**
 * Seconds per state and pause reason: each state-changing event lasts until the agent's next one (or
 * the end of the period, or now); the state an agent was in when the period began counts from its start
 * (looked up to 31 days back).
 */
export async function agentStates(db: Executor, f: AgentFilter): Promise<StateRow[]> {
  const users = sql.join(
    [
      sql``,
      ...(f.user ? [sql`user_id = ${f.user}`] : []),
      ...(f.users ? [sql`user_id = any(${f.users}::text[])`] : []),
    ],
    sql` and `,
  );
  const changes = sql`type in ('login', 'logout', 'pause', 'unpause', 'wrap_up_start', 'wrap_up_end', 'state_change')`;
  const r = await sql<StateRow>`
    with ev as (
      select user_id, at, external_id, ${STATE_OF} as state, case when type = 'pause' then coalesce(reason, '') end as reason
      from agent_events
      where tenant_id = ${f.tenantId} and at >= ${f.from} and at < ${f.to} and ${changes} ${users}
      union all
      select * from (
        select distinct on (user_id) user_id, ${f.from}::timestamptz as at, external_id, ${STATE_OF} as state,
          case when type = 'pause' then coalesce(reason, '') end as reason
        from agent_events
        where tenant_id = ${f.tenantId} and at < ${f.from} and at >= ${f.from}::timestamptz - interval '31 days'
          and ${changes} ${users}
        order by user_id, at desc, external_id desc) before_period
    ), spans as (
      select user_id, state, reason,
        extract(epoch from coalesce(lead(at) over (partition by user_id order by at, external_id), least(${f.to}::timestamptz, now())) - at) as seconds
      from ev
    )
    select user_id, state, reason, sum(greatest(seconds, 0))::float8 as seconds
    from spans where state <> 'logged_out'
    group by user_id, state, reason`.execute(db);
  return r.rows;
}

export interface QueueRow {
  queue_id: string | null;
  offered: number;
  answered: number;
  within: number;
  abandoned: number;
  missed: number;
  avg_wait: number;
  max_wait: number;
}

/** Per queue: calls offered, answered (within the service level too), abandoned, missed; waits. */
export async function queueReport(
  db: Executor,
  f: { tenantId: string; from: Date; to: Date; queue?: string; queues?: string[] },
  serviceLevelSeconds: number,
): Promise<QueueRow[]> {
  const r = await sql<QueueRow>`
    select queue_id, count(*)::int as offered,
      count(*) filter (where disposition = 'answered')::int as answered,
      count(*) filter (where disposition = 'answered' and wait_seconds <= ${serviceLevelSeconds})::int as within,
      count(*) filter (where disposition = 'abandoned')::int as abandoned,
      count(*) filter (where disposition in ('no_answer', 'busy'))::int as missed,
      coalesce(avg(wait_seconds), 0)::float8 as avg_wait, coalesce(max(wait_seconds), 0)::int as max_wait
    from call_records
    where tenant_id = ${f.tenantId} and started_at >= ${f.from} and started_at < ${f.to}
      and queue_external_id is not null ${f.queue ? sql`and queue_id = ${f.queue}` : sql``}
      ${f.queues ? sql`and queue_id = any(${f.queues}::text[])` : sql``}
    group by queue_id order by offered desc`.execute(db);
  return r.rows;
}

/** Display names of users, groups and queues, for report labels. */
export async function labels(
  db: Executor,
  tenantId: string,
  table: 'users' | 'groups' | 'queues',
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const col = table === 'users' ? sql`display_name` : sql`name`;
  const r = await sql<{ id: string; label: string }>`
    select id, ${col} as label from ${sql.table(table)} where tenant_id = ${tenantId} and id = any(${ids}::text[])`.execute(
    db,
  );
  return new Map(r.rows.map((row) => [row.id, row.label]));
}
