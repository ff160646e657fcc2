import { ungrantable } from '../../access/actor-bounds.js';
import { CAPABILITY_BY_ID } from '../../catalog/capabilities.js';
import type { ProfileRow } from '../../db/schema.js';
import type { TenantDelta } from '../../infra/bus.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { decodeNameCursor, toPage } from '../../infra/paging.js';
import { inTransaction, type UnitOfWork } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import { requireCapability, type ActorPowers } from '../access/actor-access.js';
import { bumpTenantVersion } from '../queues/queues.repo.js';
import { findTenant } from '../tenants/tenants.repo.js';
import * as repo from './profiles.repo.js';
import type { Profile, ProfileCreate, ProfileDeleteQuery, ProfilePatch } from './profiles.schemas.js';

const present = (r: ProfileRow, holders: number): Profile => ({
  id: r.id,
  name: r.name,
  grants: r.grants,
  holders,
  version: Number(r.version),
  createdAt: new Date(r.created_at).toISOString(),
});

/** Grants must come from the profile matrix, and (C3) an actor bundles only what it holds itself (billable content aside, G15). */
function assertGrantable(powers: ActorPowers, grants: string[]): void {
  const foreign = grants.filter((g) => !CAPABILITY_BY_ID.get(g)?.profileGrantable);
  if (foreign.length)
    throw new AppError('validation_failed', `not in the profile matrix: ${foreign.join(', ')}`, { field: '/grants' });
  const missing = powers.all ? [] : ungrantable(powers.capabilities, grants);
  if (missing.length)
    throw new AppError('escalation_refused', `you cannot grant what you do not hold: ${missing.join(', ')}`, {
      rule: 'C3',
      field: '/grants',
    });
}

/** C9: editing a profile takes the removed grants from every holder; an actor takes away only what it could give. */
function assertRemovable(powers: ActorPowers, removed: string[]): void {
  const missing = powers.all ? [] : ungrantable(powers.capabilities, removed);
  if (missing.length)
    throw new AppError('removal_refused', `you can take away only what you could give: ${missing.join(', ')}`, {
      rule: 'C9',
      field: '/grants',
    });
}

/** Permission profiles (seed 003): tenant-defined bundles of module actions; editing one changes every holder at once. */
export class ProfilesService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, tenantId: string, opts: { cursor?: string; limit: number }) {
    await requireCapability(this.deps.db, ctx, tenantId, ['profiles:view', 'profiles:edit', 'users:edit']);
    const rows = await repo.listProfiles(this.deps.db, tenantId, {
      limit: opts.limit + 1,
      after: decodeNameCursor(opts.cursor),
    });
    const holders = await repo.countHolders(
      this.deps.db,
      tenantId,
      rows.slice(0, opts.limit).map((p) => p.id),
    );
    return toPage(
      rows,
      opts.limit,
      (r) => [r.name, r.id],
      (page) => page.map((p) => present(p, holders.get(p.id) ?? 0)),
    );
  }

  async get(ctx: RequestContext, tenantId: string, id: string): Promise<Profile> {
    await requireCapability(this.deps.db, ctx, tenantId, ['profiles:view', 'profiles:edit', 'users:edit']);
    const row = await repo.findProfile(this.deps.db, tenantId, id);
    if (!row) throw notFound('profile');
    return present(row, (await repo.countHolders(this.deps.db, tenantId, [id])).get(id) ?? 0);
  }

  async create(ctx: RequestContext, tenantId: string, input: ProfileCreate): Promise<Profile> {
    const powers = await requireCapability(this.deps.db, ctx, tenantId, ['profiles:create', 'profiles:edit'], 'C7');
    assertGrantable(powers, input.grants);
    return inTransaction(this.deps, ctx, async (uow) => {
      const version = await uow.nextTenantVersion(tenantId);
      const delta = await profileDelta(uow, tenantId);
      const row = await repo.insertProfile(uow.tx, {
        id: newId('prf'),
        tenant_id: tenantId,
        name: input.name,
        grants: input.grants,
        version,
      });
      await bumpTenantVersion(uow.tx, tenantId, version);
      // No configuration changes; nodes' snapshots do (from the profile the event carries).
      uow.publish({ type: 'tenant', tenantId, version, delta: delta(row) });
      const out = present(row, 0);
      uow.audit({ tenantId, action: 'profile.create', targetType: 'profile', targetId: row.id, after: out });
      return out;
    });
  }

  async patch(
    ctx: RequestContext,
    tenantId: string,
    id: string,
    patch: ProfilePatch,
    ifMatch?: string,
  ): Promise<Profile> {
    const powers = await requireCapability(this.deps.db, ctx, tenantId, 'profiles:edit', 'C7');
    if (patch.grants) assertGrantable(powers, patch.grants);
    return inTransaction(this.deps, ctx, async (uow) => {
      const before = await repo.findProfile(uow.tx, tenantId, id, true);
      if (!before) throw notFound('profile');
      assertVersion(ifMatch, Number(before.version));
      const grants = patch.grants;
      if (grants)
        assertRemovable(
          powers,
          before.grants.filter((g) => !grants.includes(g)),
        );
      const version = await uow.nextTenantVersion(tenantId);
      const delta = await profileDelta(uow, tenantId);
      const row = await repo.updateProfile(uow.tx, tenantId, id, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.grants && { grants: patch.grants }),
        version,
      });
      const holders = (await repo.countHolders(uow.tx, tenantId, [id])).get(id) ?? 0;
      const out = present(row, holders);
      uow.audit({
        tenantId,
        action: 'profile.update',
        targetType: 'profile',
        targetId: id,
        before: present(before, holders),
        after: out,
      });
      // The tenant version covers profiles; with holders, every one of them changes at once (D2).
      await bumpTenantVersion(uow.tx, tenantId, version);
      if (patch.grants && holders > 0)
        uow.publish({ type: 'config', tenantId, userIds: null, version, delta: delta(row) });
      else uow.publish({ type: 'tenant', tenantId, version, delta: delta(row) }); // no configuration changes
      return out;
    });
  }

  /** Refused while users hold the profile, unless `moveTo` names another profile or `none`. */
  async remove(
    ctx: RequestContext,
    tenantId: string,
    id: string,
    ifMatch?: string,
    query: ProfileDeleteQuery = {},
  ): Promise<void> {
    const powers = await requireCapability(this.deps.db, ctx, tenantId, ['profiles:delete', 'profiles:edit'], 'C7');
    await inTransaction(this.deps, ctx, async (uow) => {
      const before = await repo.findProfile(uow.tx, tenantId, id, true);
      if (!before) throw notFound('profile');
      assertVersion(ifMatch, Number(before.version));
      const holders = (await repo.countHolders(uow.tx, tenantId, [id])).get(id) ?? 0;
      let moved: string[] = [];
      const version = await uow.nextTenantVersion(tenantId);
      if (holders > 0) {
        if (!query.moveTo) {
          throw new AppError(
            'profile_in_use',
            `${holders} user(s) hold this profile; move them to another profile or to none (?moveTo=<profile id>|none)`,
            { rule: 'C7', extra: { holders } },
          );
        }
        // C9: moving the holders away takes this profile's grants from them.
        assertRemovable(powers, before.grants);
        const target = query.moveTo === 'none' ? null : query.moveTo;
        if (target === id)
          throw new AppError('validation_failed', 'move holders to a different profile', { field: '/moveTo' });
        if (target) {
          const to = await repo.findProfile(uow.tx, tenantId, target);
          if (!to) throw new AppError('validation_failed', `profile ${target} does not exist`, { field: '/moveTo' });
          assertGrantable(powers, to.grants);
        }
        moved = await repo.moveHolders(uow.tx, tenantId, id, target, version);
      }
      await repo.deleteProfile(uow.tx, tenantId, id);
      await bumpTenantVersion(uow.tx, tenantId, version);
      uow.audit({
        tenantId,
        action: 'profile.delete',
        targetType: 'profile',
        targetId: id,
        before: { ...present(before, holders), movedTo: query.moveTo ?? null },
      });
      if (moved.length) uow.publish({ type: 'config', tenantId, userIds: moved, version });
    });
  }
}

/**
 * The bus event's account of a profile written in this unit of work (created or edited), so nodes
 * recompile the tenant from memory: read after the tenant is locked, before its version is bumped.
 */
async function profileDelta(uow: UnitOfWork, tenantId: string): Promise<(row: ProfileRow) => TenantDelta> {
  const tenant = await findTenant(uow.tx, tenantId);
  const previousVersion = Number(tenant?.version ?? 0);
  return (row) => ({ previousVersion, profile: { id: row.id, name: row.name, grants: row.grants } });
}
