import { sql, type Kysely } from 'kysely';

/**
 * Reports by user and by group read the calls rollup (`20261202T0300_call_rollup.ts`), so the participants'
 * indexes by (tenant, user, time) and (tenant, group, time) serve no query any more: the participants are
 * read by their call (the primary key: recordings, drill-downs, a user or group filter on per-call reports)
 * or over a period (the partial hours at the ends of a report, a report with a number filter), which the
 * primary key's (tenant, time) prefix serves. Each cost every ingested participant two index entries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists call_participants_user`.execute(db);
  await sql`drop index if exists call_participants_group`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index call_participants_user on call_participants (tenant_id, user_id, started_at)`.execute(db);
  await sql`create index call_participants_group on call_participants (tenant_id, group_id, started_at)`.execute(db);
}
