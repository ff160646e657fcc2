import { sql, type Kysely } from 'kysely';

/**
 * Dial checks (F5) ask, per call, whether the dialled number is one of the tenant's extensions: an
 * index on (tenant, extension) keeps that one lookup, however many users the tenant has.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index users_tenant_extension on users (tenant_id, extension) where extension is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index users_tenant_extension`.execute(db);
}
