import type { Licence, NamedPermission } from '../../catalog/index.js';
import { isDeepStrictEqual } from 'node:util';
import type { AccessTemplate, TemplateGrants, TemplateIssue } from '../../db/schema.js';
import { AppError } from '../../infra/errors.js';
import type { UnitOfWork } from '../../infra/unit-of-work.js';
import type { ActorPowers } from '../access/actor-access.js';
import type { UserPatch } from '../users/users.schemas.js';
import type { UsersService } from '../users/users.service.js';
import * as repo from './scim.repo.js';
import { scimInvalid } from './scim.resources.js';

/** The members of a SCIM group and what its access template gives them, as the token's creator. */
export class ScimMembers {
  constructor(private readonly users: UsersService) {}

  /** Adds and removes members (a template applied to who joins, withdrawn from who leaves). */
  async change(uow: UnitOfWork, powers: ActorPowers, tenantId: string, groupId: string, c: MemberChange) {
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
        const issue = await this.applyTemplate(uow, powers, tenantId, groupId, user, membership, group.access_template);
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
    const earlier = await repo.findTemplateGrants(uow.tx, {
      tenant_id: tenantId,
      group_id: groupId,
      user_id: before.id,
    });
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
    const grants = await repo.takeTemplateGrants(uow.tx, { tenant_id: tenantId, group_id: groupId, user_id: userId });
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
  async applyTemplate(
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

export interface MemberChange {
  set?: string[];
  add?: string[];
  remove?: string[];
  removeAll?: boolean;
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}
