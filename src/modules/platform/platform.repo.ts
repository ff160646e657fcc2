import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Insertable, Updateable } from 'kysely';
import type { ContactCenter, UserAccess } from '../../access/types.js';
import type { QueuesTable } from '../../db/schema.js';
import { accessColumns } from '../users/users.mapping.js';

/** SQL of platform sync: batched reads and writes, so a snapshot of 100,000 users costs a few hundred statements. */
const CHUNK = 1000;

export function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export async function loadPlatformUsers(db: Executor, tenantId: string) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'external_id',
      'display_name',
      'email',
      'extension',
      'status',
      'licences',
      'contact_center',
      'acd_queue_ids',
      'permissions',
      'platform_display_name',
      'platform_email',
      'display_name_overridden',
      'email_overridden',
    ])
    .where('tenant_id', '=', tenantId)
    .where('source', '=', 'platform')
    .execute();
}

/**
 * G2: which of these lower-cased emails this tenant's manual users with website access sign in with
 * (the tenant's platform users the sync plans itself). The scope is that of the `users_login_email`
 * unique index (per tenant) and of `emailTakenByWebsiteUser` (users.repo), so the sync refuses what
 * the index would and nothing another tenant holds.
 */
export async function websiteEmailsOutsideSync(db: Executor, tenantId: string, emails: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const part of chunks([...new Set(emails)])) {
    const rows = await db
      .selectFrom('users')
      .select(sql<string>`lower(email)`.as('email'))
      .where(sql<boolean>`lower(email) in (${sql.join(part)})`)
      .where('status', '<>', 'removed')
      .where(sql<boolean>`'website_access' = any(permissions)`)
      .where('tenant_id', '=', tenantId)
      .where('source', '<>', 'platform')
      .execute();
    found.push(...rows.map((r) => r.email));
  }
  return found;
}

export async function loadPlatformDevices(db: Executor, tenantId: string) {
  return db
    .selectFrom('devices')
    .innerJoin('users', 'users.id', 'devices.user_id')
    .select([
      'devices.id',
      'devices.user_id',
      'devices.external_id',
      'devices.name',
      'devices.kind',
      'devices.sip_secret',
    ])
    .where('devices.tenant_id', '=', tenantId)
    .where('users.source', '=', 'platform')
    .execute();
}

export interface UserWrite {
  id: string;
  external_id: string;
  display_name: string;
  email: string | null;
  extension: string | null;
  status: string;
  licences: string[];
  contact_center: ContactCenter;
  acd_queue_ids: string[];
  platform_display_name: string;
  platform_email: string | null;
}

/** One UPDATE per chunk, from a JSON recordset. */
export async function updateUsersBatch(
  db: Executor,
  tenantId: string,
  rows: UserWrite[],
  version: number,
): Promise<void> {
  for (const part of chunks(rows)) {
    const payload = JSON.stringify(part);
    await sql`update users u set display_name = v.display_name, email = v.email, extension = v.extension, status = v.status,
        licences = v.licences, contact_center = v.contact_center, acd_queue_ids = v.acd_queue_ids,
        platform_display_name = v.platform_display_name, platform_email = v.platform_email,
        version = ${version}, updated_at = now()
      from jsonb_to_recordset(${payload}::jsonb) as v(id text, display_name text, email text, extension text, status text,
        licences text[], contact_center jsonb, acd_queue_ids text[], platform_display_name text, platform_email text)
      where u.tenant_id = ${tenantId} and u.id = v.id`.execute(db);
  }
}

/** Removal (P1): the row and its history stay; licences, roles and access go. */
export async function removeUsersBatch(db: Executor, tenantId: string, ids: string[], version: number): Promise<void> {
  for (const part of chunks(ids)) {
    await db
      .updateTable('users')
      .set({
        status: 'removed',
        licences: [],
        supervisor_level: 'none',
        permissions: [],
        contact_center: JSON.stringify({ admin: false, queues: {} }),
        profile: JSON.stringify({ kind: 'none' }),
        uc_client: JSON.stringify({ desktop: false, softphone: { enabled: false, clients: [], deviceId: null } }),
        version,
        updated_at: new Date(),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', part)
      .execute();
  }
}

export interface DeviceWrite {
  id: string;
  tenant_id: string;
  user_id: string;
  external_id: string;
  name: string;
  kind: 'sip' | 'webrtc';
  sip_secret: string;
}

/**
 * Replaces the devices of these users. A device the plan gives to one of them may still be recorded
 * under a user who left the snapshot (removed users keep their rows): it is released first, so the
 * unique (tenant, external id) index never refuses a device that moved.
 */
export async function replaceDevices(
  db: Executor,
  tenantId: string,
  userIds: string[],
  devices: DeviceWrite[],
): Promise<void> {
  for (const part of chunks(userIds))
    await db.deleteFrom('devices').where('tenant_id', '=', tenantId).where('user_id', 'in', part).execute();
  for (const part of chunks(devices.map((d) => d.external_id)))
    await db.deleteFrom('devices').where('tenant_id', '=', tenantId).where('external_id', 'in', part).execute();
  for (const part of chunks(devices)) await db.insertInto('devices').values(part).execute();
}

export async function endSessionsOfUsers(db: Executor, tenantId: string, userIds: string[]): Promise<string[]> {
  const ended: string[] = [];
  for (const part of chunks(userIds)) {
    const rows = await db
      .updateTable('sessions')
      .set({ ended_at: sql`now()`, ended_reason: 'removed' })
      .where('tenant_id', '=', tenantId)
      .where('user_id', 'in', part)
      .where('ended_at', 'is', null)
      .returning('id')
      .execute();
    ended.push(...rows.map((r) => r.id));
  }
  return ended;
}

/** Every queue of the tenant (platform and manual), for matching the snapshot's queues. */
export async function listTenantQueues(db: Executor, tenantId: string) {
  return db.selectFrom('queues').selectAll().where('tenant_id', '=', tenantId).execute();
}

export async function insertSyncedQueue(db: Executor, row: Insertable<QueuesTable>): Promise<void> {
  await db.insertInto('queues').values(row).execute();
}

export async function updateSyncedQueue(
  db: Executor,
  tenantId: string,
  id: string,
  set: Updateable<QueuesTable>,
): Promise<void> {
  await db.updateTable('queues').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function deleteQueues(db: Executor, tenantId: string, ids: string[]): Promise<void> {
  if (ids.length) await db.deleteFrom('queues').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
}

/** A user the sync creates: the phone system's fields and the access state the engine starts it with. */
export interface UserCreate {
  id: string;
  tenantId: string;
  externalId: string;
  displayName: string;
  /** The phone system's display name and email (P4); the visible ones are `displayName` and `access.email`. */
  platformDisplayName: string;
  platformEmail: string | null;
  extension: string | null;
  acdQueueIds: string[];
  access: UserAccess;
}

/** One INSERT per chunk; the access columns come from the engine's shape, as for every other user write. */
export async function insertUsersBatch(db: Executor, users: UserCreate[], version: number): Promise<void> {
  for (const part of chunks(users)) {
    await db
      .insertInto('users')
      .values(
        part.map((u) => ({
          id: u.id,
          tenant_id: u.tenantId,
          source: u.access.source,
          external_id: u.externalId,
          display_name: u.displayName,
          platform_display_name: u.platformDisplayName,
          platform_email: u.platformEmail,
          password_hash: null,
          extension: u.extension,
          acd_queue_ids: u.acdQueueIds,
          version,
          ...accessColumns(u.access),
        })),
      )
      .execute();
  }
}
