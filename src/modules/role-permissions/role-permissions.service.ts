import { LOCKED_ROLE_PERMISSIONS, type RolePermissions } from '../../catalog/role-permissions.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import { requireCapability } from '../access/actor-access.js';
import { findTenant, updateTenant } from '../tenants/tenants.repo.js';
import type { RolePermissionsAnswer } from './role-permissions.schemas.js';

/** Contact-center role permissions (seed 001, SPEC 5): per role for the whole tenant; only Contact Admins change them (C7). */
export class RolePermissionsService {
  constructor(private readonly deps: ServiceDeps) {}

  async get(ctx: RequestContext, tenantId: string): Promise<RolePermissionsAnswer> {
    await requireCapability(this.deps.db, ctx, tenantId, 'cc:admin', 'C7');
    const t = await findTenant(this.deps.db, tenantId);
    if (!t) throw notFound('tenant');
    return { ...t.role_permissions, version: Number(t.version) };
  }

  async put(
    ctx: RequestContext,
    tenantId: string,
    body: RolePermissions,
    ifMatch?: string,
  ): Promise<RolePermissionsAnswer> {
    await requireCapability(this.deps.db, ctx, tenantId, 'cc:admin', 'C7');
    for (const [role, key] of LOCKED_ROLE_PERMISSIONS) {
      if (!(body[role] as Record<string, boolean>)[key]) {
        throw new AppError('locked_setting', `${role}.${key} is always on and cannot be turned off`, {
          field: `/${role}/${key}`,
        });
      }
    }
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await findTenant(uow.tx, tenantId, true);
      if (!before) throw notFound('tenant');
      assertVersion(ifMatch, Number(before.version));
      const version = await uow.nextTenantVersion(tenantId);
      await updateTenant(uow.tx, tenantId, { role_permissions: JSON.stringify(body), version, updated_at: new Date() });
      uow.audit({
        tenantId,
        action: 'role_permissions.update',
        targetType: 'tenant',
        targetId: tenantId,
        before: before.role_permissions,
        after: body,
      });
      uow.publish({
        type: 'config',
        tenantId,
        userIds: null,
        version,
        delta: { previousVersion: Number(before.version), rolePermissions: body },
      });
      return { ...body, version };
    });
  }
}
