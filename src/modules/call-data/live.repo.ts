import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

interface LiveQueueRow {
  queue_id: string | null;
  waiting: number;
  in_progress: number;
  longest_wait_started: Date | null;
}

/**
 * The conversations open now, from the agent event stream: a conversation offered in a queue and not yet
 * answered is waiting (for up to an hour), one answered is in progress (for up to four hours), until its
 * call record arrives (the phone system sends it when the call ends) or an agent starts wrap-up on it.
 * Columns: conversation_id, queue_id, type (its latest event's), at, first_at.
 */
function openConversations(tenantId: string, now: Date) {
  return sql`
    with conv as (
      select distinct on (conversation_id) conversation_id, queue_id, type, at,
        min(at) over (partition by conversation_id) as first_at
      from agent_events
      where tenant_id = ${tenantId} and conversation_id is not null
        and at >= ${now}::timestamptz - interval '4 hours' and at <= ${now}::timestamptz + interval '1 minute'
        and type in ('offered', 'answered', 'missed', 'wrap_up_start')
      order by conversation_id, at desc, external_id desc
    )
    select * from conv c
    where (type = 'answered' or (type in ('offered', 'missed') and at >= ${now}::timestamptz - interval '1 hour'))
      and not exists (select 1 from call_records r where r.tenant_id = ${tenantId}
                        and r.started_at >= ${now}::timestamptz - interval '5 hours'
                        and r.conversation_id = c.conversation_id)`;
}

/** Calls waiting and in progress per queue (the open conversations, counted). */
export async function liveQueues(db: Executor, tenantId: string, now: Date): Promise<LiveQueueRow[]> {
  const r = await sql<LiveQueueRow>`
    with open as (${openConversations(tenantId, now)})
    select queue_id,
      count(*) filter (where type in ('offered', 'missed'))::int as waiting,
      count(*) filter (where type = 'answered')::int as in_progress,
      min(first_at) filter (where type in ('offered', 'missed')) as longest_wait_started
    from open group by queue_id order by queue_id`.execute(db);
  return r.rows;
}

export interface LiveCallRow {
  conversation_id: string;
  queue_id: string | null;
  /** The latest event's type: offered or missed (waiting), answered (talking). */
  type: string;
  started_at: Date;
  answered_at: Date | null;
  /** The agents on the call: who answered it and has not started wrap-up on it since. */
  agent_ids: string[] | null;
  caller_number: string | null;
}

/**
 * The calls in progress, oldest first, at most `perQueue` of each queue (a supervisor of one queue sees
 * its calls however busy the others are) and `limit` in all: the snapshot stays bounded in memory.
 */
export async function liveCalls(
  db: Executor,
  tenantId: string,
  now: Date,
  perQueue: number,
  limit: number,
): Promise<LiveCallRow[]> {
  const r = await sql<LiveCallRow>`
    with open as (${openConversations(tenantId, now)}),
    shown as (
      select * from (
        select o.*, row_number() over (partition by o.queue_id order by o.first_at, o.conversation_id) as n from open o
      ) x where n <= ${perQueue}
      order by first_at, conversation_id limit ${limit}
    ),
    ev as (
      select e.conversation_id, e.user_id, e.type, e.at, e.external_id, e.caller_number from agent_events e
      where e.tenant_id = ${tenantId} and e.conversation_id in (select conversation_id from shown)
        and e.at >= ${now}::timestamptz - interval '4 hours' and e.at <= ${now}::timestamptz + interval '1 minute'
    ),
    per_agent as (
      select distinct on (conversation_id, user_id) conversation_id, user_id, type from ev
      where type in ('answered', 'wrap_up_start')
      order by conversation_id, user_id, at desc, external_id desc
    ),
    agents as (
      select conversation_id, array_agg(user_id order by user_id) as agent_ids from per_agent
      where type = 'answered' group by conversation_id
    ),
    facts as (
      select conversation_id, min(at) filter (where type = 'answered') as answered_at,
        (array_agg(caller_number order by at desc, external_id desc) filter (where caller_number is not null))[1]
          as caller_number
      from ev group by conversation_id
    )
    select s.conversation_id, s.queue_id, s.type, s.first_at as started_at, f.answered_at, a.agent_ids, f.caller_number
    from shown s left join facts f on f.conversation_id = s.conversation_id
    left join agents a on a.conversation_id = s.conversation_id
    order by s.first_at, s.conversation_id`.execute(db);
  return r.rows;
}

interface AgentStateRow {
  user_id: string;
  state: string;
  reason: string | null;
  since: Date;
  queue_ids: string[] | null;
  /** The queues the phone system assigns the agent to. */
  assigned_queue_ids: string[] | null;
}

/** Each agent's current state: the last state-changing event of the last day, "on_call" while a call is answered. */
export async function agentStatesNow(db: Executor, tenantId: string, now: Date): Promise<AgentStateRow[]> {
  const r = await sql<AgentStateRow>`
    with recent as (
      select * from agent_events
      where tenant_id = ${tenantId} and at >= ${now}::timestamptz - interval '1 day'
    ), last_state as (
      select distinct on (user_id) user_id, at, type, state, reason from recent
      where type in ('login', 'logout', 'pause', 'unpause', 'wrap_up_start', 'wrap_up_end', 'state_change', 'answered')
      order by user_id, at desc, external_id desc
    ), queues as (
      select user_id, array_agg(distinct queue_id) filter (where queue_id is not null) as queue_ids
      from recent group by user_id
    )
    select s.user_id, s.at as since,
      case s.type
        when 'login' then 'available' when 'unpause' then 'available' when 'wrap_up_end' then 'available'
        when 'pause' then 'paused' when 'wrap_up_start' then 'wrap_up' when 'logout' then 'logged_out'
        when 'answered' then 'on_call' else coalesce(s.state, 'unknown') end as state,
      case when s.type = 'pause' then s.reason end as reason,
      q.queue_ids, u.acd_queue_ids as assigned_queue_ids
    from last_state s left join queues q on q.user_id = s.user_id
    left join users u on u.tenant_id = ${tenantId} and u.id = s.user_id`.execute(db);
  return r.rows;
}

/** A call in progress (an open conversation, as the live snapshot shows it) and its queue, or undefined. */
export async function liveCall(
  db: Executor,
  tenantId: string,
  conversationId: string,
  now: Date,
): Promise<{ queue_id: string | null } | undefined> {
  const r = await sql<{ queue_id: string | null }>`
    with open as (${openConversations(tenantId, now)})
    select queue_id from open where conversation_id = ${conversationId}`.execute(db);
  return r.rows[0];
}
