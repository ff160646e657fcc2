import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

interface LiveQueueRow {
  queue_id: string | null;
  waiting: number;
  in_progress: number;
  longest_wait_started: Date | null;
}

/**
 * Calls waiting and in progress per queue, from the agent event stream: a conversation offered in a
 * queue and not yet answered is waiting (for up to an hour), one answered is in progress (for up to
 * four hours), until its call record arrives (the phone system sends it when the call ends) or an agent
 * starts wrap-up on it.
 */
export async function liveQueues(db: Executor, tenantId: string, now: Date): Promise<LiveQueueRow[]> {
  const r = await sql<LiveQueueRow>`
    with conv as (
      select distinct on (conversation_id) conversation_id, queue_id, type, at,
        min(at) over (partition by conversation_id) as first_at
      from agent_events
      where tenant_id = ${tenantId} and conversation_id is not null
        and at >= ${now}::timestamptz - interval '4 hours' and at <= ${now}::timestamptz + interval '1 minute'
        and type in ('offered', 'answered', 'missed', 'wrap_up_start')
      order by conversation_id, at desc
    ), open as (
      select * from conv c
      where type <> 'wrap_up_start'
        and not exists (select 1 from call_records r where r.tenant_id = ${tenantId}
                          and r.started_at >= ${now}::timestamptz - interval '5 hours'
                          and r.conversation_id = c.conversation_id)
    )
    select queue_id,
      count(*) filter (where type in ('offered', 'missed') and at >= ${now}::timestamptz - interval '1 hour')::int as waiting,
      count(*) filter (where type = 'answered')::int as in_progress,
      min(first_at) filter (where type in ('offered', 'missed') and at >= ${now}::timestamptz - interval '1 hour') as longest_wait_started
    from open group by queue_id order by queue_id`.execute(db);
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

/** The queue of a live conversation: the queue of its latest agent event of the last four hours. */
export async function conversationQueue(
  db: Executor,
  tenantId: string,
  conversationId: string,
): Promise<string | null> {
  const r = await sql<{ queue_id: string | null }>`
    select queue_id from agent_events
    where tenant_id = ${tenantId} and conversation_id = ${conversationId} and at >= now() - interval '4 hours'
    order by at desc limit 1`.execute(db);
  return r.rows[0]?.queue_id ?? null;
}
