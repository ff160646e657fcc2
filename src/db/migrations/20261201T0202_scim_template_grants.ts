import { sql, type Kysely } from 'kysely';

/**
 * SCIM groups' access templates (P2): what a template gave each member (the permissions and licences
 * it added, the supervisor level and profile it set and what they were before), so that when the
 * member leaves the group exactly that is taken away, unless another group's template still gives it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scim_template_grants')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('grants', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('scim_template_grants_pk', ['group_id', 'user_id'])
    .execute();
  await sql`create index scim_template_grants_user on scim_template_grants (tenant_id, user_id)`.execute(db);
}
