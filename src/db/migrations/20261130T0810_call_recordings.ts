import { sql, type Kysely } from 'kysely';

/**
 * The recordings index (issue 14): each recording of a stored call, with the phone system's id and
 * location, partitioned like the calls (by the call's start) so retention drops them together.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table call_recordings (
      tenant_id text not null,
      started_at timestamptz not null,
      call_id text not null,
      recording_id text not null,
      location text not null,
      recording_started_at timestamptz,
      primary key (tenant_id, started_at, call_id, recording_id)
    ) partition by range (started_at)`.execute(db);
  await sql`create index call_recordings_id on call_recordings (tenant_id, recording_id)`.execute(db);
}
