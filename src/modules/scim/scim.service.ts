import type { Licence, NamedPermission } from '../../catalog/index.js';
import { isDeepStrictEqual } from 'node:util';
import type { AccessTemplate, TemplateGrants, TemplateIssue } from '../../db/schema.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { inTransaction, type UnitOfWork } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import { requireCapability, type ActorPowers } from '../access/actor-access.js';
import { insertNamed, renameNamed } from '../directory/named.repo.js';
import { GROUPS, NamedService } from '../directory/named.service.js';
import { SCIM_OWNED_USER_FIELDS } from '../platform/ownership.js';
import type { UserPatch } from '../users/users.schemas.js';
import type { UsersService } from '../users/users.service.js';
import { GROUP_FILTER_ATTRIBUTES, USER_FILTER_ATTRIBUTES } from './scim.attributes.js';
import { MAX_RESULTS } from './scim.discovery.js';
import { parseFilter } from './scim.filter.js';
import { applyPatch, normalisePatch, type PatchOp } from './scim.patch.js';
import * as repo from './scim.repo.js';
import {
  displayNameOf,
  emailOf,
  LIST_RESPONSE,
  presentGroup,
  presentUser,
  project,
  readGroup,
  readMembers,
  readUser,
  scimInvalid,
} from './scim.resources.js';

type Json = Record<string, unknown>;

export interface ListQuery {
  filter?: string;
  startIndex?: number;
  count?: number;
  attributes?: string;
  excludedAttributes?: string;
}

/** RFC 7644 §3.4.2.4: startIndex below 1 is 1; count below 0 is 0; at most MAX_RESULTS per page. */
function paging(q: ListQuery): { offset: number; limit: number; startIndex: number } {
  const startIndex = Math.max(1, Math.trunc(q.startIndex ?? 1));
  const limit = Math.min(MAX_RESULTS, Math.max(0, Math.trunc(q.count ?? 100)));
  return { offset: startIndex - 1, limit, startIndex };
}

function listResponse(total: number, startIndex: number, resources: Json[]) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/**
 * SCIM 2.0 (P2): identity providers provision users and groups. Every user change goes through the
 * users service inside this module's unit of work (rules as the token's creator, audit, change
 * events), and SCIM's own attributes are written in the same transaction.
 */
export class ScimService {
  private readonly groups: NamedService;
  constructor(
    private readonly deps: ServiceDeps,
    private readonly users: UsersService,
  ) {
    this.groups = new NamedService(deps, GROUPS);
  }

  /** Who may read the tenant's SCIM endpoints (the discovery documents too): `users:view` or `users:edit`. */
  async authorize(ctx: RequestContext, tenantId: string): Promise<void> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
  }

  async listUsers(ctx: RequestContext, tenantId: string, q: ListQuery, baseUrl: string) {
    await this.authorize(ctx, tenantId);
    const page = paging(q);
    const { total, rows } = await repo.listScimUsers(this.deps.db, tenantId, {
      ...(q.filter !== undefined && { filter: parseFilter(q.filter) }),
      attributes: USER_FILTER_ATTRIBUTES,
      offset: page.offset,
      limit: page.limit,
    });
    const resources = rows.map((r) => project(presentUser(r, baseUrl), q.attributes, q.excludedAttributes));
    return listResponse(total, page.startIndex, resources);
  }

  async getUser(ctx: RequestContext, tenantId: string, id: string, baseUrl: string): Promise<Json> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const row = await repo.findScimUser(this.deps.db, tenantId, id);
    if (!row) throw notFound('user');
    return presentUser(row, baseUrl);
  }

  /** Creates a user, or links the platform user with the same email (P2). */
  async createUser(ctx: RequestContext, tenantId: string, body: unknown, baseUrl: string): Promise<Json> {
    const input = readUser(body);
    const powers = await requireCapability(this.deps.db, ctx, tenantId, 'users:create');
    return inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'share');
      if (await repo.userNameTaken(uow.tx, tenantId, input.userName)) throw repo.userNameConflict(input.userName);
      const email = emailOf(input.userName, input.resource);
      const displayName = displayNameOf(input.userName, input.resource);
      const status = input.active ? 'active' : 'suspended';
      const linkTo = email ? await repo.findLinkCandidate(uow.tx, tenantId, email) : undefined;
      let userId: string;
      if (linkTo) {
        await this.users.patchIn(uow, powers, tenantId, linkTo, { displayName, email, status });
        userId = linkTo;
      } else {
        userId = (await this.users.createIn(uow, powers, tenantId, { displayName, email, status })).id;
      }
      await repo.saveScimUser(uow.tx, {
        user_id: userId,
        tenant_id: tenantId,
        user_name: input.userName,
        external_id: input.externalId,
        resource: input.resource,
      });
      uow.audit({
        tenantId,
        action: linkTo ? 'scim.user.link' : 'scim.user.create',
        targetType: 'user',
        targetId: userId,
        after: { userName: input.userName, externalId: input.externalId, resource: input.resource },
      });
      return presentUser((await repo.findScimUser(uow.tx, tenantId, userId))!, baseUrl);
    });
  }

  /** PUT: the resource is replaced (its Switchboard fields through the users service). */
  async replaceUser(
    ctx: RequestContext,
    tenantId: string,
    id: string,
    body: unknown,
    baseUrl: string,
    ifMatch?: string,
  ) {
    const input = readUser(body);
    return this.changeUser(ctx, tenantId, id, baseUrl, ifMatch, () => input);
  }

  /** PATCH: the operations (normalised from Entra's and Okta's dialects) apply to the current resource. */
  async patchUser(ctx: RequestContext, tenantId: string, id: string, body: unknown, baseUrl: string, ifMatch?: string) {
    const ops = normalisePatch(body);
    return this.changeUser(ctx, tenantId, id, baseUrl, ifMatch, (current) => {
      const { meta: _m, groups: _g, ...resource } = presentUser(current, baseUrl);
      // The display name the provider did not send is derived (name, userName), so a name change moves it.
      if (current.resource.displayName === undefined) delete resource.displayName;
      return readUser(applyPatch(resource, ops));
    });
  }

  private async changeUser(
    ctx: RequestContext,
    tenantId: string,
    id: string,
    baseUrl: string,
    ifMatch: string | undefined,
    next: (current: repo.ScimUserRow) => ReturnType<typeof readUser>,
  ): Promise<Json> {
    const powers = await requireCapability(this.deps.db, ctx, tenantId, 'users:edit');
    return inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'share');
      const row = await repo.findScimUser(uow.tx, tenantId, id);
      if (!row) throw notFound('user');
      assertVersion(ifMatch, row.version);
      const input = next(row);
      if (
        input.userName.toLowerCase() !== row.user_name.toLowerCase() &&
        (await repo.userNameTaken(uow.tx, tenantId, input.userName, id))
      )
        throw repo.userNameConflict(input.userName);
      const patch: UserPatch = {};
      const displayName = displayNameOf(input.userName, input.resource);
      if (displayName !== row.display_name) patch.displayName = displayName;
      const email = emailOf(input.userName, input.resource);
      if (email !== row.email) patch.email = email;
      const status = input.active ? 'active' : 'suspended';
      if (row.status !== 'removed' && status !== row.status) patch.status = status;
      // P4: SCIM writes only the fields it owns.
      const owned = Object.fromEntries(
        Object.entries(patch).filter(([f]) => (SCIM_OWNED_USER_FIELDS as readonly string[]).includes(f)),
      );
      if (Object.keys(owned).length > 0) await this.users.patchIn(uow, powers, tenantId, id, owned);
      await repo.saveScimUser(uow.tx, {
        user_id: id,
        tenant_id: tenantId,
        user_name: input.userName,
        external_id: input.externalId,
        resource: input.resource,
      });
      uow.audit({
        tenantId,
        action: 'scim.user.update',
        targetType: 'user',
        targetId: id,
        before: { userName: row.user_name, externalId: row.external_id, resource: row.resource },
        after: { userName: input.userName, externalId: input.externalId, resource: input.resource },
      });
      return presentUser((await repo.findScimUser(uow.tx, tenantId, id))!, baseUrl);
    });
  }

  /**
   * DELETE: a manual user is removed (by the users service's rules, C4 and C9 included); a platform
   * user is the phone system's, so it is suspended and stops being a SCIM resource (P2, P4).
   */
  async deleteUser(ctx: RequestContext, tenantId: string, id: string): Promise<void> {
    const row = await repo.findScimUser(this.deps.db, tenantId, id);
    if (!row) {
      await requireCapability(this.deps.db, ctx, tenantId, ['users:delete', 'users:edit']);
      throw notFound('user');
    }
    if (row.source === 'manual') return this.users.remove(ctx, tenantId, id);
    const powers = await requireCapability(this.deps.db, ctx, tenantId, 'users:edit');
    await inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'share');
      if (row.status === 'active') await this.users.patchIn(uow, powers, tenantId, id, { status: 'suspended' });
      await repo.deleteScimUser(uow.tx, tenantId, id);
      uow.audit({
        tenantId,
        action: 'scim.user.unlink',
        targetType: 'user',
        targetId: id,
        before: { userName: row.user_name, externalId: row.external_id, resource: row.resource },
      });
    });
  }

  // Groups

  async listGroups(ctx: RequestContext, tenantId: string, q: ListQuery, baseUrl: string) {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const page = paging(q);
    const { total, rows } = await repo.listScimGroups(this.deps.db, tenantId, {
      ...(q.filter !== undefined && { filter: parseFilter(q.filter) }),
      attributes: GROUP_FILTER_ATTRIBUTES,
      offset: page.offset,
      limit: page.limit,
    });
    const excludesMembers = (q.excludedAttributes ?? '')
      .toLowerCase()
      .split(',')
      .map((s) => s.trim())
      .includes('members');
    const members = excludesMembers
      ? []
      : await repo.groupMembers(
          this.deps.db,
          tenantId,
          rows.map((r) => r.id),
        );
    const resources = rows.map((r) =>
      project(
        presentGroup(
          r,
          members.filter((m) => m.group_id === r.id),
          baseUrl,
        ),
        q.attributes,
        q.excludedAttributes,
      ),
    );
    return listResponse(total, page.startIndex, resources);
  }

  async getGroup(ctx: RequestContext, tenantId: string, id: string, baseUrl: string, q: ListQuery = {}): Promise<Json> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    return project(await this.loadGroup(this.deps.db, tenantId, id, baseUrl), q.attributes, q.excludedAttributes);
  }

  private async loadGroup(db: ServiceDeps['db'] | UnitOfWork['tx'], tenantId: string, id: string, baseUrl: string) {
    const row = await repo.findScimGroup(db, tenantId, id);
    if (!row) throw notFound('group');
    return presentGroup(row, await repo.groupMembers(db, tenantId, [id]), baseUrl);
  }

  async createGroup(ctx: RequestContext, tenantId: string, body: unknown, baseUrl: string): Promise<Json> {
    const input = readGroup(body);
    const powers = await requireCapability(this.deps.db, ctx, tenantId, 'groups:create');
    return inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'share');
      const id = newId('grp');
      await insertNamed(uow.tx, 'groups', {
        id,
        tenant_id: tenantId,
        name: input.displayName,
        version: await uow.nextVersion(),
      });
      await repo.insertScimGroup(uow.tx, { group_id: id, tenant_id: tenantId, external_id: input.externalId });
      uow.audit({
        tenantId,
        action: 'group.create',
        targetType: 'group',
        targetId: id,
        after: { name: input.displayName, externalId: input.externalId },
      });
      if (input.members?.length) await this.changeMembers(uow, powers, tenantId, id, { add: input.members });
      return this.loadGroup(uow.tx, tenantId, id, baseUrl);
    });
  }

  async replaceGroup(
    ctx: RequestContext,
    tenantId: string,
    id: string,
    body: unknown,
    baseUrl: string,
    ifMatch?: string,
  ) {
    const input = readGroup(body);
    return this.changeGroup(ctx, tenantId, id, baseUrl, ifMatch, () => ({
      displayName: input.displayName,
      externalId: input.externalId,
      ...(input.members !== undefined && { members: { set: input.members } }),
    }));
  }

  /** PATCH of a group: displayName, externalId, and members added, removed (by value array or `members[value eq "…"]`) or replaced. */
  async patchGroup(
    ctx: RequestContext,
    tenantId: string,
    id: string,
    body: unknown,
    baseUrl: string,
    ifMatch?: string,
  ) {
    const ops = normalisePatch(body);
    return this.changeGroup(ctx, tenantId, id, baseUrl, ifMatch, (row) => groupChange(row, ops));
  }

  private async changeGroup(
    ctx: RequestContext,
    tenantId: string,
    id: string,
    baseUrl: string,
    ifMatch: string | undefined,
    change: (row: repo.ScimGroupRow) => GroupChange,
  ): Promise<Json> {
    const powers = await requireCapability(this.deps.db, ctx, tenantId, 'groups:edit');
    return inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'share');
      const row = await repo.findScimGroup(uow.tx, tenantId, id, true);
      if (!row) throw notFound('group');
      assertVersion(ifMatch, row.version);
      const c = change(row);
      if (c.displayName !== undefined && c.displayName !== row.name) {
        await renameNamed(uow.tx, 'groups', tenantId, id, c.displayName, await uow.nextVersion());
      }
      if (c.externalId !== undefined && c.externalId !== row.external_id)
        await repo.updateScimGroup(uow.tx, tenantId, id, { external_id: c.externalId });
      if (c.displayName !== undefined || c.externalId !== undefined)
        uow.audit({
          tenantId,
          action: 'group.update',
          targetType: 'group',
          targetId: id,
          before: { name: row.name, externalId: row.external_id },
          after: {
            name: c.displayName ?? row.name,
            externalId: c.externalId === undefined ? row.external_id : c.externalId,
          },
        });
      if (c.members) await this.changeMembers(uow, powers, tenantId, id, c.members);
      return this.loadGroup(uow.tx, tenantId, id, baseUrl);
    });
  }

  async deleteGroup(ctx: RequestContext, tenantId: string, id: string): Promise<void> {
    await requireCapability(this.deps.db, ctx, tenantId, 'groups:delete');
    if (!(await repo.findScimGroup(this.deps.db, tenantId, id))) throw notFound('group');
    await this.groups.remove(ctx, tenantId, id);
  }

  /** Sets (or clears, with null) a SCIM group's access template and applies it to its members now. */
  async setAccessTemplate(
    ctx: RequestContext,
    tenantId: string,
    id: string,
    template: AccessTemplate | null,
    baseUrl: string,
  ) {
    const powers = await requireCapability(this.deps.db, ctx, tenantId, 'groups:edit');
    return inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'share');
      const row = await repo.findScimGroup(uow.tx, tenantId, id, true);
      if (!row) throw notFound('group');
      await repo.updateScimGroup(uow.tx, tenantId, id, { access_template: template, template_report: [] });
      uow.audit({
        tenantId,
        action: 'group.access_template',
        targetType: 'group',
        targetId: id,
        before: row.access_template,
        after: template,
      });
      if (template) {
        const members = await repo.groupMembers(uow.tx, tenantId, [id]);
        const issues: TemplateIssue[] = [];
        for (const m of members) {
          const user = (await repo.findScimUser(uow.tx, tenantId, m.user_id))!;
          const issue = await this.applyWithTemplate(uow, powers, tenantId, id, user, {}, template);
          if (issue) issues.push(issue);
        }
        await repo.updateScimGroup(uow.tx, tenantId, id, { template_report: issues });
      }
      return this.loadGroup(uow.tx, tenantId, id, baseUrl);
    });
  }

  private async changeMembers(
    uow: UnitOfWork,
    powers: ActorPowers,
    tenantId: string,
    groupId: string,
    c: MemberChange,
  ) {
    const current = new Set((await repo.groupMembers(uow.tx, tenantId, [groupId])).map((m) => m.user_id));
    const target = c.set ? new Set(c.set) : new Set(current);
    if (c.removeAll) target.clear();
    for (const u of c.add ?? []) target.add(u);
    for (const u of c.remove ?? []) target.delete(u);
    const added = [...target].filter((u) => !current.has(u));
    const removed = [...current].filter((u) => !target.has(u));
    const known = await repo.existingScimUsers(uow.tx, tenantId, added);
    const unknown = added.find((u) => !known.has(u));
    if (unknown) throw scimInvalid(`member ${unknown} is not a user of this tenant`, '/members');
    const group = (await repo.findScimGroup(uow.tx, tenantId, groupId))!;
    const issues: TemplateIssue[] = [];
    for (const userId of added) {
      const user = (await repo.findScimUser(uow.tx, tenantId, userId))!;
      const membership: UserPatch = { groups: [...user.group_ids, groupId] };
      if (!group.access_template) await this.users.patchIn(uow, powers, tenantId, userId, membership);
      else {
        const issue = await this.applyWithTemplate(
          uow,
          powers,
          tenantId,
          groupId,
          user,
          membership,
          group.access_template,
        );
        if (issue) issues.push(issue);
      }
    }
    for (const userId of removed) {
      const issue = await this.leave(uow, powers, tenantId, groupId, userId);
      if (issue) issues.push(issue);
    }
    if (group.access_template && (added.length > 0 || issues.length > 0))
      await repo.updateScimGroup(uow.tx, tenantId, groupId, { template_report: issues });
  }

  /** Records what a template's patch gave the member beyond what they had (added to what it gave before). */
  private async recordGrants(
    uow: UnitOfWork,
    tenantId: string,
    groupId: string,
    before: repo.ScimUserRow,
    patch: UserPatch,
  ): Promise<void> {
    const earlier = await repo.findTemplateGrants(uow.tx, tenantId, groupId, before.id);
    const level = patch.supervisorLevel;
    const profile = patch.profile;
    const grants: TemplateGrants = {
      permissions: union(
        earlier?.permissions ?? [],
        (patch.permissions ?? []).filter((p) => !before.permissions.includes(p)),
      ),
      licences: union(
        earlier?.licences ?? [],
        (patch.licences ?? []).filter((l) => !before.licences.includes(l)),
      ),
    };
    if (earlier?.supervisorLevel)
      grants.supervisorLevel = { ...earlier.supervisorLevel, to: level ?? earlier.supervisorLevel.to };
    else if (level && level !== before.supervisor_level)
      grants.supervisorLevel = { to: level, from: before.supervisor_level };
    if (earlier?.profile) grants.profile = { ...earlier.profile, to: profile ?? earlier.profile.to };
    else if (profile && !isDeepStrictEqual(profile, before.profile))
      grants.profile = { to: profile, from: before.profile };
    const gave = grants.permissions.length + grants.licences.length > 0 || grants.supervisorLevel || grants.profile;
    if (gave)
      await repo.saveTemplateGrants(uow.tx, { tenant_id: tenantId, group_id: groupId, user_id: before.id, grants });
  }

  /**
   * A member leaves a group: what the group's template gave them (recorded when it was applied) is
   * taken away unless another group they stay in still gives it by its template; a supervisor level
   * or profile the template set returns to what it was (or to another template's). Every rule
   * applies, as the token's creator; should one refuse the taking away (C9: the creator may not take
   * away what they could not give), the member only leaves the group and the refusal is reported.
   */
  private async leave(
    uow: UnitOfWork,
    powers: ActorPowers,
    tenantId: string,
    groupId: string,
    userId: string,
  ): Promise<TemplateIssue | null> {
    const user = (await repo.findScimUser(uow.tx, tenantId, userId))!;
    const groups = user.group_ids.filter((g) => g !== groupId);
    const membership: UserPatch = { groups, ...(user.primary_group_id === groupId && { primaryGroup: null }) };
    const grants = await repo.takeTemplateGrants(uow.tx, tenantId, groupId, userId);
    if (!grants) {
      await this.users.patchIn(uow, powers, tenantId, userId, membership);
      return null;
    }
    const withdrawal = { ...membership, ...withdrawn(user, grants, await repo.templatesOf(uow.tx, tenantId, groups)) };
    try {
      await this.users.patchIn(uow, powers, tenantId, userId, withdrawal);
      return null;
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.code === 'not_found') throw err;
      await this.users.patchIn(uow, powers, tenantId, userId, membership);
      return {
        userId,
        code: err.code,
        ...(err.rule && { rule: err.rule }),
        detail: `left the group, but what its template gave was not taken away: ${err.message}`,
        applied: 'membership',
      };
    }
  }

  /**
   * A member gets the template with every rule, as the token's creator: the whole template, else
   * (when a rule refuses it, e.g. a licence pool is used up, C6) the template without its licences,
   * else only the membership. What it did not get is reported, never forced (pools are never exceeded).
   */
  private async applyWithTemplate(
    uow: UnitOfWork,
    powers: ActorPowers,
    tenantId: string,
    groupId: string,
    user: repo.ScimUserRow,
    membership: UserPatch,
    t: AccessTemplate,
  ): Promise<TemplateIssue | null> {
    const withoutLicences: UserPatch = {
      ...membership,
      ...(t.permissions && { permissions: union(user.permissions as NamedPermission[], t.permissions) }),
      ...(t.supervisorLevel && { supervisorLevel: t.supervisorLevel }),
      ...(t.profile && { profile: t.profile }),
    };
    const full: UserPatch = {
      ...withoutLicences,
      ...(t.licences && { licences: union(user.licences as Licence[], t.licences) }),
    };
    const attempts: Array<[UserPatch, TemplateIssue['applied'] | null]> = [
      [full, null],
      ...(t.licences ? [[withoutLicences, 'without_licences'] as [UserPatch, TemplateIssue['applied']]] : []),
      [membership, 'membership'],
    ];
    let first: AppError | null = null;
    for (const [patch, applied] of attempts) {
      try {
        if (Object.keys(patch).length > 0) await this.users.patchIn(uow, powers, tenantId, user.id, patch);
        if (applied !== 'membership') await this.recordGrants(uow, tenantId, groupId, user, patch);
        return applied && first
          ? {
              userId: user.id,
              code: first.code,
              ...(first.rule && { rule: first.rule }),
              detail: first.message,
              applied,
            }
          : null;
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.code === 'not_found') throw err;
        first ??= err;
      }
    }
    throw first!;
  }
}

/** What a leaving member loses: what the template gave, less what another of their groups' templates gives. */
function withdrawn(user: repo.ScimUserRow, g: TemplateGrants, others: AccessTemplate[]): UserPatch {
  const patch: UserPatch = {};
  const permissions = g.permissions.filter((p) => !others.some((t) => t.permissions?.includes(p)));
  if (permissions.some((p) => user.permissions.includes(p)))
    patch.permissions = (user.permissions as NamedPermission[]).filter((p) => !permissions.includes(p));
  const licences = g.licences.filter((l) => !others.some((t) => t.licences?.includes(l)));
  if (licences.some((l) => user.licences.includes(l)))
    patch.licences = (user.licences as Licence[]).filter((l) => !licences.includes(l));
  if (g.supervisorLevel && user.supervisor_level === g.supervisorLevel.to) {
    const level = others.find((t) => t.supervisorLevel)?.supervisorLevel ?? g.supervisorLevel.from;
    if (level !== user.supervisor_level) patch.supervisorLevel = level;
  }
  if (g.profile && isDeepStrictEqual(user.profile, g.profile.to)) {
    const profile = others.find((t) => t.profile)?.profile ?? g.profile.from;
    if (!isDeepStrictEqual(profile, user.profile)) patch.profile = profile;
  }
  return patch;
}

interface MemberChange {
  set?: string[];
  add?: string[];
  remove?: string[];
  removeAll?: boolean;
}

interface GroupChange {
  displayName?: string;
  externalId?: string | null;
  members?: MemberChange;
}

const MEMBER_FILTER = /^members\[\s*value\s+eq\s+"([^"]+)"\s*\]$/i;

/** A group PATCH as one change: its displayName, externalId and member additions and removals. */
function groupChange(row: repo.ScimGroupRow, ops: PatchOp[]): GroupChange {
  const c: GroupChange = {};
  const members: MemberChange = {};
  for (const [i, op] of ops.entries()) {
    const path = (op.path ?? '').toLowerCase();
    const at = `/Operations/${i}`;
    if (path === 'displayname') {
      if (op.op === 'remove' || typeof op.value !== 'string' || op.value.trim() === '')
        throw scimInvalid('displayName must be a non-empty string', `${at}/value`);
      c.displayName = op.value.trim();
    } else if (path === 'externalid') {
      if (op.op !== 'remove' && typeof op.value !== 'string')
        throw scimInvalid('externalId must be a string', `${at}/value`);
      c.externalId = op.op === 'remove' ? null : (op.value as string);
    } else if (path === 'members') {
      const ids = op.op === 'remove' ? [] : (readMembers(op.value) ?? []);
      if (op.op === 'remove') {
        members.removeAll = true;
        members.add = [];
      } else if (op.op === 'replace') {
        members.set = ids;
        members.add = [];
        members.remove = [];
        members.removeAll = false;
      } else members.add = [...(members.add ?? []), ...ids];
    } else if (MEMBER_FILTER.test(op.path ?? '') && op.op === 'remove') {
      const id = MEMBER_FILTER.exec(op.path!)![1]!;
      members.remove = [...(members.remove ?? []), id];
      members.add = (members.add ?? []).filter((u) => u !== id);
    } else {
      throw scimInvalid(`${op.path ?? '(no path)'} cannot be changed on a group`, `${at}/path`, 'invalidPath');
    }
  }
  if (row && Object.keys(members).length > 0) c.members = members;
  return c;
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}
