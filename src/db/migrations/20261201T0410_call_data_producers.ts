import { sql, type Kysely } from 'kysely';

/**
 * Usage follows data (issue 14, B1): per tenant and month, the users whose calls were modelled (Essential)
 * or whose agent events were stored (Agent add-on). Kept by ingestion in the statement that stores the
 * data, so usage reads a few rows instead of counting a month of calls.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table call_data_producers (
      tenant_id text not null,
      month text not null,
      licence text not null check (licence in ('essential', 'agent')),
      user_id text not null,
      primary key (tenant_id, month, licence, user_id)
    )`.execute(db);
  await sql`
    insert into call_data_producers (tenant_id, month, licence, user_id)
    select distinct tenant_id, to_char(started_at at time zone 'UTC', 'YYYY-MM'), 'essential', user_id
    from call_participants
    union
    select distinct tenant_id, to_char(at at time zone 'UTC', 'YYYY-MM'), 'agent', user_id from agent_events`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table call_data_producers`.execute(db);
}
