import { sql, type Kysely } from 'kysely';

/**
 * The calls rollup: per tenant and UTC hour, the figures of call reports (calls, answered, missed, abandoned,
 * sum and max of wait and talk) at three grains, kept by ingestion in the statement that stores the calls:
 *
 * - `call`: per queue, direction and disposition, one count per call (reports by queue, hour and day);
 * - `group`: per primary group at the time of the call, queue, direction and disposition, one count per
 *   modelled participant (reports by group);
 * - `user`: the same per user too (reports by user, and by group narrowed to a user).
 *
 * A dimension without a value (no queue, no primary group, the user of the coarser grains) is stored as ''
 * so the dimensions make a primary key. Retention deletes rows by the hour, as it deletes the calls.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table call_rollup (
      tenant_id text not null,
      grain text not null check (grain in ('call', 'group', 'user')),
      hour timestamptz not null,
      user_id text not null,
      group_id text not null,
      queue_id text not null,
      direction text not null,
      disposition text not null,
      calls integer not null,
      answered integer not null,
      missed integer not null,
      abandoned integer not null,
      sum_wait bigint not null,
      max_wait integer not null,
      sum_talk bigint not null,
      max_talk integer not null,
      primary key (tenant_id, grain, hour, user_id, group_id, queue_id, direction, disposition)
    )`.execute(db);
  const figures = sql`count(*), count(*) filter (where disposition = 'answered'),
    count(*) filter (where disposition in ('no_answer', 'busy')), count(*) filter (where disposition = 'abandoned'),
    sum(wait_seconds), max(wait_seconds), sum(talk_seconds), max(talk_seconds)`;
  const hour = sql`date_trunc('hour', started_at at time zone 'UTC') at time zone 'UTC'`;
  await sql`
    insert into call_rollup
    select tenant_id, 'call', ${hour}, '', '', coalesce(queue_id, ''), direction, disposition, ${figures}
    from call_records group by 1, 3, 6, 7, 8`.execute(db);
  await sql`
    insert into call_rollup
    select tenant_id, 'group', ${hour}, '', coalesce(group_id, ''), coalesce(queue_id, ''), direction, disposition,
      ${figures}
    from call_participants group by 1, 3, 5, 6, 7, 8`.execute(db);
  await sql`
    insert into call_rollup
    select tenant_id, 'user', ${hour}, user_id, coalesce(group_id, ''), coalesce(queue_id, ''), direction, disposition,
      ${figures}
    from call_participants group by 1, 3, 4, 5, 6, 7, 8`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table call_rollup`.execute(db);
}
