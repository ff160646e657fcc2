import { sql, type Kysely } from 'kysely';

/**
 * SCIM 2.0 (P2): what an identity provider provisions beside the Switchboard user or group it maps to.
 * A user is a SCIM resource while it has a `scim_users` row (deleting the user deletes it); `userName`
 * is unique per tenant without regard to case. A SCIM group is a Switchboard group with an optional
 * access template its members get.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scim_users')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('resource', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index scim_users_user_name on scim_users (tenant_id, lower(user_name))`.execute(db);
  await sql`create index scim_users_order on scim_users (tenant_id, created_at, user_id)`.execute(db);

  await db.schema
    .createTable('scim_groups')
    .addColumn('group_id', 'text', (c) => c.primaryKey().references('groups.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('external_id', 'text')
    .addColumn('access_template', 'jsonb')
    .addColumn('template_report', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index scim_groups_order on scim_groups (tenant_id, created_at, group_id)`.execute(db);
}
