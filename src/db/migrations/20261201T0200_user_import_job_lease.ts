import { sql, type Kysely } from 'kysely';

/**
 * CSV imports (P3): the node running an import holds a lease on its job and renews it while it runs;
 * a job still `running` whose lease ran out belongs to a node that stopped, and is marked `failed`
 * (`import_interrupted`) when read, instead of showing "running" for ever.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table user_import_jobs add column node_id text`.execute(db);
  await sql`alter table user_import_jobs add column lease_until timestamptz`.execute(db);
}
