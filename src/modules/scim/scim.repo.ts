import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { SupervisorLevel } from '../../catalog/licences.js';
import type { ProfileAssignment } from '../../access/types.js';
import type { AccessTemplate, TemplateGrants, TemplateIssue } from '../../db/schema.js';
import { AppError } from '../../infra/errors.js';
import type { Multi, Scalar } from './scim.attributes.js';
import type { Filter } from './scim.filter.js';
import { NO_DOC, toSql } from './scim-filter.repo.js';

/** A SCIM user: the Switchboard user and what the identity provider keeps beside it. */
export interface ScimUserRow {
  id: string;
  tenant_id: string;
  source: 'platform' | 'manual';
  status: 'active' | 'suspended' | 'removed';
  display_name: string;
  email: string | null;
  group_ids: string[];
  primary_group_id: string | null;
  permissions: string[];
  licences: string[];
  supervisor_level: SupervisorLevel;
  profile: ProfileAssignment;
  version: number;
  user_name: string;
  external_id: string | null;
  resource: Record<string, unknown>;
  created_at: Date;
  modified_at: Date;
}

export interface ScimGroupRow {
  id: string;
  tenant_id: string;
  name: string;
  version: number;
  external_id: string | null;
  access_template: AccessTemplate | null;
  template_report: TemplateIssue[];
  created_at: Date;
  modified_at: Date;
}

const USER_SELECT = sql`u.id, u.tenant_id, u.source, u.status, u.display_name, u.email, u.group_ids, u.primary_group_id,
  u.permissions, u.licences, u.supervisor_level, u.profile, u.version,
  s.user_name, s.external_id, s.resource, s.created_at, greatest(s.updated_at, u.updated_at) as modified_at`;
const USER_FROM = sql`scim_users s join users u on u.id = s.user_id and u.tenant_id = s.tenant_id`;

function normaliseUser(r: ScimUserRow): ScimUserRow {
  return { ...r, version: Number(r.version), created_at: new Date(r.created_at), modified_at: new Date(r.modified_at) };
}

export async function listScimUsers(
  db: Executor,
  tenantId: string,
  opts: { filter?: Filter; attributes: Record<string, Scalar | Multi>; offset: number; limit: number },
): Promise<{ total: number; rows: ScimUserRow[] }> {
  const where = opts.filter ? toSql(opts.filter, { attributes: opts.attributes, doc: sql`s.resource` }) : sql`true`;
  const count = await sql<{
    n: string;
  }>`select count(*) as n from ${USER_FROM} where s.tenant_id = ${tenantId} and ${where}`.execute(db);
  const total = Number(count.rows[0]!.n);
  if (opts.limit === 0 || opts.offset >= total) return { total, rows: [] };
  const rows =
    await sql<ScimUserRow>`select ${USER_SELECT} from ${USER_FROM} where s.tenant_id = ${tenantId} and ${where}
    order by s.created_at, s.user_id offset ${opts.offset} limit ${opts.limit}`.execute(db);
  return { total, rows: rows.rows.map(normaliseUser) };
}

export async function findScimUser(db: Executor, tenantId: string, userId: string): Promise<ScimUserRow | undefined> {
  const r =
    await sql<ScimUserRow>`select ${USER_SELECT} from ${USER_FROM} where s.tenant_id = ${tenantId} and s.user_id = ${userId}`.execute(
      db,
    );
  return r.rows[0] && normaliseUser(r.rows[0]);
}

/** Whether another SCIM user of the tenant has this userName, without regard to case. */
export async function userNameTaken(
  db: Executor,
  tenantId: string,
  userName: string,
  exceptUserId?: string,
): Promise<boolean> {
  let q = db
    .selectFrom('scim_users')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where(sql`lower(user_name)`, '=', userName.toLowerCase());
  if (exceptUserId) q = q.where('user_id', '<>', exceptUserId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** P2: a platform user, not yet provisioned by SCIM, whose email (or the phone system's) is this one. */
export async function findLinkCandidate(db: Executor, tenantId: string, email: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('source', '=', 'platform')
    .where('status', '<>', 'removed')
    .where((eb) =>
      eb.or([
        eb(sql`lower(email)`, '=', email.toLowerCase()),
        eb(sql`lower(platform_email)`, '=', email.toLowerCase()),
      ]),
    )
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('scim_users').select('user_id').whereRef('scim_users.user_id', '=', 'users.id'))),
    )
    .orderBy('created_at')
    .executeTakeFirst();
  return row?.id;
}

export async function saveScimUser(
  db: Executor,
  row: {
    user_id: string;
    tenant_id: string;
    user_name: string;
    external_id: string | null;
    resource: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('scim_users')
    .values({ ...row, resource: JSON.stringify(row.resource) })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        user_name: row.user_name,
        external_id: row.external_id,
        resource: JSON.stringify(row.resource),
        updated_at: new Date(),
      }),
    )
    .execute()
    .catch((err: unknown) => {
      const e = err as { code?: string; message?: string };
      if (e.code === '23505' || e.message?.includes('scim_users_user_name')) throw userNameConflict(row.user_name);
      throw err;
    });
}

export function userNameConflict(userName: string): AppError {
  return new AppError('user_name_not_unique', `userName ${userName} is already taken in this tenant`, {
    rule: 'P2',
    field: '/userName',
    extra: { scimType: 'uniqueness' },
  });
}

export async function deleteScimUser(db: Executor, tenantId: string, userId: string): Promise<void> {
  await db.deleteFrom('scim_users').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
}

// Groups

const GROUP_SELECT = sql`g.id, g.tenant_id, g.name, g.version, sg.external_id, sg.access_template, sg.template_report,
  sg.created_at, greatest(sg.updated_at, sg.created_at) as modified_at`;
const GROUP_FROM = sql`scim_groups sg join groups g on g.id = sg.group_id and g.tenant_id = sg.tenant_id`;

function normaliseGroup(r: ScimGroupRow): ScimGroupRow {
  return { ...r, version: Number(r.version), created_at: new Date(r.created_at), modified_at: new Date(r.modified_at) };
}

export async function listScimGroups(
  db: Executor,
  tenantId: string,
  opts: { filter?: Filter; attributes: Record<string, Scalar | Multi>; offset: number; limit: number },
): Promise<{ total: number; rows: ScimGroupRow[] }> {
  const where = opts.filter ? toSql(opts.filter, { attributes: opts.attributes, doc: NO_DOC }) : sql`true`;
  const count = await sql<{
    n: string;
  }>`select count(*) as n from ${GROUP_FROM} where sg.tenant_id = ${tenantId} and ${where}`.execute(db);
  const total = Number(count.rows[0]!.n);
  if (opts.limit === 0 || opts.offset >= total) return { total, rows: [] };
  const rows =
    await sql<ScimGroupRow>`select ${GROUP_SELECT} from ${GROUP_FROM} where sg.tenant_id = ${tenantId} and ${where}
    order by sg.created_at, g.id offset ${opts.offset} limit ${opts.limit}`.execute(db);
  return { total, rows: rows.rows.map(normaliseGroup) };
}

export async function findScimGroup(
  db: Executor,
  tenantId: string,
  groupId: string,
  forUpdate = false,
): Promise<ScimGroupRow | undefined> {
  const lock = forUpdate ? sql` for update of sg` : sql``;
  const r =
    await sql<ScimGroupRow>`select ${GROUP_SELECT} from ${GROUP_FROM} where sg.tenant_id = ${tenantId} and sg.group_id = ${groupId}${lock}`.execute(
      db,
    );
  return r.rows[0] && normaliseGroup(r.rows[0]);
}

/** The SCIM users in each of the groups, in a stable order. */
export async function groupMembers(
  db: Executor,
  tenantId: string,
  groupIds: string[],
): Promise<Array<{ group_id: string; user_id: string; display_name: string }>> {
  if (groupIds.length === 0) return [];
  const r = await sql<{ group_id: string; user_id: string; display_name: string }>`
    select gid as group_id, u.id as user_id, u.display_name from users u
      join scim_users s on s.user_id = u.id, unnest(u.group_ids) gid
    where u.tenant_id = ${tenantId} and gid = any(${groupIds}::text[]) order by s.created_at, u.id`.execute(db);
  return r.rows;
}

/** Which of these ids are SCIM users of the tenant. */
export async function existingScimUsers(db: Executor, tenantId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('scim_users')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

export async function insertScimGroup(
  db: Executor,
  row: { group_id: string; tenant_id: string; external_id: string | null },
): Promise<void> {
  await db.insertInto('scim_groups').values(row).execute();
}

export async function updateScimGroup(
  db: Executor,
  tenantId: string,
  groupId: string,
  set: { external_id?: string | null; access_template?: AccessTemplate | null; template_report?: TemplateIssue[] },
): Promise<void> {
  await db
    .updateTable('scim_groups')
    .set({
      ...(set.external_id !== undefined && { external_id: set.external_id }),
      ...(set.access_template !== undefined && {
        access_template: set.access_template === null ? null : JSON.stringify(set.access_template),
      }),
      ...(set.template_report !== undefined && { template_report: JSON.stringify(set.template_report) }),
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('group_id', '=', groupId)
    .execute();
}

/** One member's row of a group's template grants, by its key (the tenant in every WHERE). */
export interface TemplateMember {
  tenant_id: string;
  group_id: string;
  user_id: string;
}

/** What a group's template gave a member (none: it gave nothing, or the member joined before it was recorded). */
export async function findTemplateGrants(db: Executor, member: TemplateMember): Promise<TemplateGrants | undefined> {
  const row = await db
    .selectFrom('scim_template_grants')
    .select('grants')
    .where((eb) => eb.and({ ...member }))
    .executeTakeFirst();
  return row?.grants;
}

export async function saveTemplateGrants(
  db: Executor,
  row: TemplateMember & { grants: TemplateGrants },
): Promise<void> {
  const grants = JSON.stringify(row.grants);
  await db
    .insertInto('scim_template_grants')
    .values({ ...row, grants })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doUpdateSet({ grants }))
    .execute();
}

/** Forgets what a group's template gave a member (who leaves it), answering it. */
export async function takeTemplateGrants(db: Executor, member: TemplateMember): Promise<TemplateGrants | undefined> {
  const row = await db
    .deleteFrom('scim_template_grants')
    .where((eb) => eb.and({ ...member }))
    .returning('grants')
    .executeTakeFirst();
  return row?.grants;
}

/** The access templates of those of these groups that are SCIM groups with one. */
export async function templatesOf(db: Executor, tenantId: string, groupIds: string[]): Promise<AccessTemplate[]> {
  if (groupIds.length === 0) return [];
  const rows = await db
    .selectFrom('scim_groups')
    .select('access_template')
    .where('tenant_id', '=', tenantId)
    .where('group_id', 'in', groupIds)
    .where('access_template', 'is not', null)
    .execute();
  return rows.map((r) => r.access_template!);
}
