import { sql, type Kysely } from 'kysely';

/**
 * Tenant session policies (S3): each session carries the lapse it was opened under (the tenant's app
 * lapse or portal idle time, in seconds), so the live-session predicate stays one row's arithmetic.
 * Null on sessions opened before this migration, or by a node of the previous release during a
 * rolling upgrade: those keep the built-in defaults (app 90 s, portal 30 min).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sessions add column lapse_seconds integer`.execute(db);
}
