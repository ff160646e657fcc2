import { sql, type Kysely } from 'kysely';

/**
 * G2 (revised): the login email of users with website access is unique within a tenant, not across
 * tenants. A refusal across tenants told an admin of one organisation that an address was in use in
 * another; the same person may now have website access in several organisations and chooses one at
 * sign-in. Still case-insensitive and still an index, so a race between two saves is refused too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index users_login_email`.execute(db);
  await sql`create unique index users_login_email on users (tenant_id, lower(email))
            where status <> 'removed' and 'website_access' = any(permissions)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index users_login_email`.execute(db);
  await sql`create unique index users_login_email on users (lower(email))
            where status <> 'removed' and 'website_access' = any(permissions)`.execute(db);
}
