import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import { requireCapability } from '../access/actor-access.js';
import { SCIM_OWNED_USER_FIELDS } from '../platform/ownership.js';
import type { UserPatch } from '../users/users.schemas.js';
import type { UsersService } from '../users/users.service.js';
import { USER_FILTER_ATTRIBUTES } from './scim.attributes.js';

import { applyPatch, normalisePatch } from './scim.patch.js';
import * as repo from './scim.repo.js';
import { displayNameOf, emailOf, presentUser, project, readUser, type ScimWrite } from './scim.resources.js';
import { listOptions, listResponse, type ListQuery } from './scim.list.js';

type Json = Record<string, unknown>;

/**
 * SCIM 2.0 (P2): identity providers provision users (groups: `scim-groups.service.ts`). Every user
 * change goes through the users service inside this module's unit of work (rules as the token's
 * creator, audit, change events), and SCIM's own attributes are written in the same transaction.
 */
export class ScimService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly users: UsersService,
  ) {}

  /** Who may read the tenant's SCIM endpoints (the discovery documents too): `users:view` or `users:edit`. */
  async authorize(ctx: RequestContext, tenantId: string): Promise<void> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
  }

  async listUsers(ctx: RequestContext, tenantId: string, q: ListQuery, baseUrl: string) {
    await this.authorize(ctx, tenantId);
    const { page, options } = listOptions(q, USER_FILTER_ATTRIBUTES);
    const { total, rows } = await repo.listScimUsers(this.deps.db, tenantId, options);
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
  async replaceUser(w: ScimWrite) {
    const input = readUser(w.body);
    return this.changeUser(w, () => input);
  }

  /** PATCH: the operations (normalised from Entra's and Okta's dialects) apply to the current resource. */
  async patchUser(w: ScimWrite) {
    const ops = normalisePatch(w.body);
    return this.changeUser(w, (current) => {
      const { meta: _m, groups: _g, ...resource } = presentUser(current, w.baseUrl);
      // The display name the provider did not send is derived (name, userName), so a name change moves it.
      if (current.resource.displayName === undefined) delete resource.displayName;
      return readUser(applyPatch(resource, ops));
    });
  }

  private async changeUser(
    { ctx, tenantId, id, baseUrl, ifMatch }: ScimWrite,
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
}
