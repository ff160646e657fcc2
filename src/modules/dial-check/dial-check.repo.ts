import type { Executor } from '../../db/database.js';

/**
 * Whether `extension` is the extension of one of the tenant's users (F5: an internal call). One
 * lookup on the index `users_tenant_extension` (tenant, extension), never a scan of the tenant's
 * users. Removed users' extensions no longer ring anywhere, so they do not count; suspended users
 * keep theirs on the phone system, so calling them stays an internal call.
 */
export async function tenantHasExtension(db: Executor, tenantId: string, extension: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('extension', '=', extension)
    .where('status', '<>', 'removed')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
