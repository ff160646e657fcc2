import type { AccessTemplate, TemplateIssue } from '../../db/schema.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { inTransaction, type UnitOfWork } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import { requireCapability } from '../access/actor-access.js';
import { insertNamed, renameNamed } from '../directory/named.repo.js';
import { GROUPS, NamedService } from '../directory/named.service.js';
import type { UsersService } from '../users/users.service.js';
import { GROUP_FILTER_ATTRIBUTES } from './scim.attributes.js';

import { normalisePatch, type PatchOp } from './scim.patch.js';
import * as repo from './scim.repo.js';
import { presentGroup, project, readGroup, readMembers, scimInvalid, type ScimWrite } from './scim.resources.js';
import { listOptions, listResponse, type ListQuery } from './scim.list.js';
import { ScimMembers, type MemberChange } from './scim-members.js';

type Json = Record<string, unknown>;

/**
 * SCIM 2.0 (P2): identity providers provision groups, their members and the access template a
 * group gives its members. Membership changes go through the users service inside this service's
 * unit of work (`scim-members.ts`), as the token's creator.
 */
export class ScimGroupsService {
  private readonly groups: NamedService;
  private readonly members: ScimMembers;
  constructor(
    private readonly deps: ServiceDeps,
    users: UsersService,
  ) {
    this.groups = new NamedService(deps, GROUPS);
    this.members = new ScimMembers(users);
  }

  async listGroups(ctx: RequestContext, tenantId: string, q: ListQuery, baseUrl: string) {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const { page, options } = listOptions(q, GROUP_FILTER_ATTRIBUTES);
    const { total, rows } = await repo.listScimGroups(this.deps.db, tenantId, options);
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
      if (input.members?.length) await this.members.change(uow, powers, tenantId, id, { add: input.members });
      return this.loadGroup(uow.tx, tenantId, id, baseUrl);
    });
  }

  async replaceGroup(w: ScimWrite) {
    const input = readGroup(w.body);
    return this.changeGroup(w, () => ({
      displayName: input.displayName,
      externalId: input.externalId,
      ...(input.members !== undefined && { members: { set: input.members } }),
    }));
  }

  /** PATCH of a group: displayName, externalId, and members added, removed (by value array or `members[value eq "…"]`) or replaced. */
  async patchGroup(w: ScimWrite) {
    const ops = normalisePatch(w.body);
    return this.changeGroup(w, (row) => groupChange(row, ops));
  }

  private async changeGroup(
    { ctx, tenantId, id, baseUrl, ifMatch }: ScimWrite,
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
      if (c.members) await this.members.change(uow, powers, tenantId, id, c.members);
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
          const issue = await this.members.applyTemplate(uow, powers, tenantId, id, user, {}, template);
          if (issue) issues.push(issue);
        }
        await repo.updateScimGroup(uow.tx, tenantId, id, { template_report: issues });
      }
      return this.loadGroup(uow.tx, tenantId, id, baseUrl);
    });
  }
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
