import { sql, type Kysely } from 'kysely';

/**
 * P4, one owner per field: a platform user's display name and email belong to the phone system with
 * a portal override. The phone system's values are kept beside the visible ones, with a flag per
 * field that says the portal overrode it: a sync updates the phone system's value, and the visible
 * one only while it is not overridden; a reset copies the phone system's value back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('platform_display_name', 'text')
    .addColumn('platform_email', 'text')
    .addColumn('display_name_overridden', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('email_overridden', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // Until now every sync wrote the visible values: they are the phone system's.
  await sql`update users set platform_display_name = display_name, platform_email = email
            where source = 'platform'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .dropColumn('platform_display_name')
    .dropColumn('platform_email')
    .dropColumn('display_name_overridden')
    .dropColumn('email_overridden')
    .execute();
}
