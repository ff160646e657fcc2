import { sql, type Insertable } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { UsersTable } from '../../src/db/schema.js';
import { generateToken, hashToken } from '../../src/infra/crypto.js';
import { newId } from '../../src/infra/ids.js';
import { snapshotsOf } from '../../src/modules/snapshot/snapshot-store.js';
import { accessColumns, defaultUserAccessFields } from '../../src/modules/users/users.mapping.js';

/**
 * Rows written straight into the database, for tests whose subject is not how the rows got there:
 * platform users (platform sync carries no passwords) and live sessions (without the login flow).
 */

/** Active platform users with Essential and the SPEC defaults; `overrides` per user set any column. Returns their ids. */
export async function insertPlatformUsers(
  db: Db,
  tenantId: string,
  overrides: Array<Partial<Insertable<UsersTable>>>,
): Promise<string[]> {
  const v = await sql<{ v: number }>`select nextval('change_seq')::int8 as v`.execute(db);
  const version = Number(v.rows[0]!.v);
  const rows = overrides.map((o, i): Insertable<UsersTable> => {
    const id = newId('usr');
    return {
      id,
      tenant_id: tenantId,
      source: 'platform',
      external_id: id,
      display_name: `User ${i}`,
      password_hash: null,
      extension: String(1000 + i),
      acd_queue_ids: [],
      version,
      ...accessColumns({
        id,
        source: 'platform',
        status: 'active',
        email: null,
        devices: [],
        ...defaultUserAccessFields(),
        licences: ['essential'],
      }),
      ...o,
    };
  });
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('users')
      .values(rows.slice(i, i + 200))
      .execute();
  // Written past the services, so past the change bus: the node's live snapshot reloads the tenant.
  snapshotsOf(db)?.invalidate(tenantId);
  return rows.map((r) => r.id);
}

/** One platform user (see insertPlatformUsers). */
export async function insertPlatformUser(
  db: Db,
  tenantId: string,
  overrides: Partial<Insertable<UsersTable>> = {},
): Promise<string> {
  return (await insertPlatformUsers(db, tenantId, [overrides]))[0]!;
}

/** A live session for the user; returns its bearer token (`sbs_…`) and id. */
export async function insertSession(
  db: Db,
  tenantId: string,
  userId: string,
  audience: 'app' | 'portal' = 'app',
): Promise<{ token: string; sessionId: string }> {
  const token = generateToken('sbs');
  const sessionId = newId('ses');
  await db
    .insertInto('sessions')
    .values({
      id: sessionId,
      tenant_id: tenantId,
      user_id: userId,
      token_hash: hashToken(token),
      audience,
      client_addr: null,
    })
    .execute();
  return { token, sessionId };
}
