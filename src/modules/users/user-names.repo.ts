import type { Executor } from '../../db/database.js';

/** What a person reads for a user: the display name and the email. */
export interface UserName {
  displayName: string;
  email: string | null;
}

/** The tenant's users among `ids` as they are now, for lists a person reads (audit, sessions). */
export async function userNames(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, UserName>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'email'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, { displayName: r.display_name, email: r.email }]));
}
