import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

interface LiveCallRow {
  conversation_id: string;
  /** The latest event's type: offered or missed (waiting), answered (talking). */
  type: string;
  /** ISO date-times (the row travels as JSON). */
  started_at: string;
  answered_at: string | null;
  /** The agents on the call: who answered it, their latest event on it (not wrap-up since). */
  agent_ids: string[] | null;
  caller_number: string | null;
}

interface LiveQueueRow {
  queue_id: string | null;
  waiting: number;
  in_progress: number;
  longest_wait_started: Date | null;
  /** The queue's oldest open conversations, at most `perQueue`, oldest first. */
  calls: LiveCallRow[];
}

/**
 * The conversations open now, from the agent event stream: a conversation offered in a queue and not yet
 * answered is waiting (for up to an hour), one answered is in progress (for up to four hours), until its
 * call record arrives (the phone system sends it when the call ends) or an agent starts wrap-up on it.
 * Columns: conversation_id, queue_id and type of its latest event, at (that event's time), first_at,
 * answered_at, agent_ids (who answered it and has not left it since), caller_number (the latest sent).
 * One pass over the window's events (no join back to them), so it stays linear without statistics.
 */
function openConversations(tenantId: string, now: Date, conversationId?: string) {
  return sql`
    with per_user as (
      select conversation_id, user_id, min(at) as first_at, min(at) filter (where type = 'answered') as answered_at,
        max(at) as last_at, (array_agg(type order by at desc, external_id desc))[1] as last_type,
        (array_agg(queue_id order by at desc, external_id desc))[1] as last_queue,
        (array_agg(caller_number order by at desc, external_id desc) filter (where caller_number is not null))[1]
          as caller_number
      from agent_events
      where tenant_id = ${tenantId} and conversation_id is not null
        ${conversationId === undefined ? sql`` : sql`and conversation_id = ${conversationId}`}
        and at >= ${now}::timestamptz - interval '4 hours' and at <= ${now}::timestamptz + interval '1 minute'
        and type in ('offered', 'answered', 'missed', 'wrap_up_start')
      group by conversation_id, user_id
    ), conv as (
      select conversation_id, min(first_at) as first_at, min(answered_at) as answered_at, max(last_at) as at,
        (array_agg(last_type order by last_at desc))[1] as type,
        (array_agg(last_queue order by last_at desc))[1] as queue_id,
        array_agg(user_id order by user_id) filter (where last_type = 'answered') as agent_ids,
        (array_agg(caller_number order by last_at desc) filter (where caller_number is not null))[1] as caller_number
      from per_user group by conversation_id
    )
    select * from conv c
    where (type = 'answered' or (type in ('offered', 'missed') and at >= ${now}::timestamptz - interval '1 hour'))
      and not exists (select 1 from call_records r where r.tenant_id = ${tenantId}
                        and r.started_at >= ${now}::timestamptz - interval '5 hours'
                        and r.conversation_id = c.conversation_id)`;
}

/**
 * Calls waiting and in progress per queue (the open conversations, counted), and the oldest `perQueue` of
 * each queue listed (a supervisor of one queue sees its calls however busy the others are): one pass for
 * both, and the listed calls stay bounded in memory.
 */
export async function liveQueues(db: Executor, tenantId: string, now: Date, perQueue: number): Promise<LiveQueueRow[]> {
  const r = await sql<LiveQueueRow>`
    with open as (${openConversations(tenantId, now)}),
    ranked as (
      select o.*, row_number() over (partition by o.queue_id order by o.first_at, o.conversation_id) as n from open o
    )
    select queue_id,
      count(*) filter (where type in ('offered', 'missed'))::int as waiting,
      count(*) filter (where type = 'answered')::int as in_progress,
      min(first_at) filter (where type in ('offered', 'missed')) as longest_wait_started,
      coalesce(json_agg(json_build_object('conversation_id', conversation_id, 'type', type, 'started_at', first_at,
          'answered_at', answered_at, 'agent_ids', agent_ids, 'caller_number', caller_number)
        order by first_at, conversation_id) filter (where n <= ${perQueue}), '[]') as calls
    from ranked group by queue_id order by queue_id`.execute(db);
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
    with open as (${openConversations(tenantId, now, conversationId)})
    select queue_id from open`.execute(db);
  return r.rows[0];
}
