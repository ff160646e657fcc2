import type { Insertable } from 'kysely';
import { isTenantAdmin, validateUserRemoval } from '../../access/actor-bounds.js';
import { applyAutomaticAssignments } from '../../access/automatic-assignment.js';
import { readOnlyFieldViolations, validateUserChange } from '../../access/change-rules.js';

import type { TenantAccess, UserAccess } from '../../access/types.js';
import { billableKeysOf } from '../../catalog/licences.js';
import type { TenantRow, UsersTable } from '../../db/schema.js';
import type { RequestContext } from '../../infra/context.js';
import { hashPassword } from '../../infra/crypto.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { groupBy } from '../../infra/collections.js';
import { newId } from '../../infra/ids.js';
import { decodeNameCursor, toPage } from '../../infra/paging.js';
import { inTransaction, type UnitOfWork } from '../../infra/unit-of-work.js';
import { assertVersion } from '../../infra/versioning.js';
import {
  actorPowers,
  forgetPowers,
  isSelfSession,
  requireCapability,
  type ActorPowers,
} from '../access/actor-access.js';
import { loadTenantAccess, loadUsersAccess } from '../access/access.repo.js';
import { issueInvitations } from '../auth/invitations.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import { applyPortalOverrides, type OverridableField } from '../platform/ownership.js';
import { endSessions } from '../sessions/sessions.repo.js';
import { findTenant } from '../tenants/tenants.repo.js';
import { accessColumns, defaultUserAccessFields, toUserAccess } from './users.mapping.js';
import { presentUser } from './users.present.js';
import type { RulesState } from './rules-state.js';
import { findPlanFeatures } from '../plans/plans.repo.js';
import * as repo from './users.repo.js';
import type { ChangePreview } from './users-preview.schemas.js';
import { isRefusal, previewOf, PREVIEWS, PreviewRun, refusedBeforeRules } from './users-preview.js';
import { endInvalidatedSessions, publishUserChange } from './users.effects.js';
import { mapUniqueViolation, mergePatch, refuse, toChangeActor } from './users.changes.js';
import type { User, UserCreate, UserListQuery, UserPage, UserPatch } from './users.schemas.js';

/** A new user the rules allowed, with the row that writes it (see `UsersService.planCreate`). */
export interface PlannedCreate {
  row: Insertable<UsersTable>;
  after: UserAccess;
  tenant: TenantAccess;
  version: number;
}
/** Users: manual users from the portal, platform users from sync; every change checked by the rules (C1-C9, G*, A*). */
export class UsersService {
  constructor(private readonly deps: ServiceDeps) {}

  private async tenantOrThrow(db: UnitOfWork['tx'] | ServiceDeps['db'], tenantId: string): Promise<TenantRow> {
    const t = await findTenant(db, tenantId);
    if (!t) throw notFound('tenant');
    return t;
  }

  async list(ctx: RequestContext, tenantId: string, query: UserListQuery): Promise<UserPage> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const limit = query.limit ?? 50;
    const rows = await repo.listUsers(this.deps.db, {
      ...query,
      tenantId,
      limit: limit + 1,
      after: decodeNameCursor(query.cursor),
    });
    const platformIds = rows
      .slice(0, limit)
      .filter((r) => r.source === 'platform')
      .map((r) => r.id);
    const devices = groupBy(await repo.findDevices(this.deps.db, tenantId, platformIds), (d) => d.user_id);
    return toPage(
      rows,
      limit,
      (r) => [r.display_name, r.id],
      (page) => page.map((r) => presentUser(r, devices.get(r.id) ?? [])),
    );
  }

  async get(ctx: RequestContext, tenantId: string, userId: string): Promise<User> {
    if (!isSelfSession(ctx, tenantId, userId))
      await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const row = await repo.findUser(this.deps.db, tenantId, userId);
    if (!row) throw notFound('user');
    return presentUser(row, await repo.findDevices(this.deps.db, tenantId, [userId]));
  }

  async create(ctx: RequestContext, tenantId: string, input: UserCreate): Promise<User> {
    const powers = await actorPowers(this.deps.db, ctx, tenantId);
    this.refuseReadOnly(input);
    if (input.password !== undefined) assertPasswordAcceptable(input.password, { email: input.email });
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
    return inTransaction(this.deps, ctx, async (uow) => {
      const user = await this.createIn(uow, powers, tenantId, input, passwordHash);
      if (passwordHash === null) await this.invitePasswordless(uow, tenantId, [user]);
      return user;
    });
  }

  /**
   * I3: new users with website access and an email but no password are invited at once, in the
   * creating transaction (the mails leave through the outbox after commit). The API and CSV imports.
   */
  async invitePasswordless(uow: UnitOfWork, tenantId: string, created: User[]): Promise<void> {
    const invitees = created.flatMap((u) =>
      u.email && u.permissions.includes('website_access')
        ? [{ id: u.id, email: u.email, displayName: u.displayName }]
        : [],
    );
    if (invitees.length > 0) await issueInvitations(uow, this.deps.config, tenantId, invitees);
  }

  /** One create inside the caller's unit of work, so many (a CSV import) can share one transaction. */
  async createIn(
    uow: UnitOfWork,
    powers: ActorPowers,
    tenantId: string,
    input: UserCreate,
    passwordHash: string | null = null,
  ): Promise<User> {
    const plan = await this.planCreate(uow, powers, tenantId, input, passwordHash);
    const [user] = await this.writeCreates(uow, [plan]);
    return user!;
  }

  /**
   * A new user checked by the rules, not yet written: `createIn` writes it at once; a CSV import
   * writes a batch of them in one statement (`insertUsers`), then hands each row to `created`. With a
   * `state`, what the rules read about the tenant is shared by the many changes of one unit of work.
   */
  async planCreate(
    uow: UnitOfWork,
    powers: ActorPowers,
    tenantId: string,
    input: UserCreate,
    passwordHash: string | null,
    state?: RulesState,
  ): Promise<PlannedCreate> {
    this.refuseReadOnly(input);
    if (!state) await uow.lockTenant(tenantId, 'share');
    const id = newId('usr');
    const planFeatures =
      state?.tenant.planFeatures ?? (await findPlanFeatures(uow.tx, (await this.tenantOrThrow(uow.tx, tenantId)).plan));
    const blank: UserAccess = {
      id,
      source: 'manual',
      status: 'active',
      email: null,
      devices: [],
      ...defaultUserAccessFields(planFeatures),
    };
    const requested = mergePatch(blank, input);
    const { after, tenant } = await this.checkChange(uow, tenantId, powers, null, requested, state);
    const version = state ? await state.nextUserVersion(uow) : await uow.nextUserVersion(tenantId);
    const row: Insertable<UsersTable> = {
      id,
      tenant_id: tenantId,
      source: 'manual',
      external_id: null,
      display_name: input.displayName,
      extension: null,
      password_hash: passwordHash,
      acd_queue_ids: [],
      version,
      ...accessColumns(after),
    };
    return { row, after, tenant, version };
  }

  /** Writes planned users in one statement; each one's audit entry and change event join the unit of work. */
  async writeCreates(uow: UnitOfWork, plans: PlannedCreate[]): Promise<User[]> {
    const rows = await repo
      .insertUsers(
        uow.tx,
        plans.map((p) => p.row),
      )
      .catch(mapUniqueViolation);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return plans.map((plan) => {
      const user = presentUser(byId.get(plan.row.id)!, []);
      uow.audit({
        tenantId: plan.tenant.id,
        action: 'user.create',
        targetType: 'user',
        targetId: user.id,
        after: user,
      });
      publishUserChange(uow, plan.tenant, plan.after, plan.version);
      return user;
    });
  }

  async patch(
    ctx: RequestContext,
    tenantId: string,
    userId: string,
    input: UserPatch,
    ifMatch?: string,
    /** P4: fields to return to the phone system's value (POST …/users/{id}/reset-field). */
    resets: readonly OverridableField[] = [],
  ): Promise<User> {
    const powers = await actorPowers(this.deps.db, ctx, tenantId);
    this.refuseReadOnly(input);
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
    const user = await inTransaction(this.deps, ctx, (uow) =>
      this.patchIn(uow, powers, tenantId, userId, input, { ifMatch, resets, passwordHash }),
    );
    forgetPowers(ctx);
    return user;
  }

  /**
   * What a save of `input` would do, by the very code the save runs (`createIn` when `userId` is null,
   * else `patchIn`), stopped before it writes: the user after it, what automatic assignment adds, the
   * billable impact, and every rule it breaks. A refusal that comes before the rules (a read-only
   * field, a weak password, a removed platform field) is reported the same way, without the user.
   */
  async preview(
    ctx: RequestContext,
    tenantId: string,
    userId: string | null,
    input: UserPatch,
    /** `PATCH …?dryRun=true`: the save's If-Match is checked as the save would. */
    ifMatch?: string,
  ): Promise<ChangePreview> {
    const powers = await actorPowers(this.deps.db, ctx, tenantId);
    const run = new PreviewRun();
    try {
      if (input.password !== undefined && userId === null)
        assertPasswordAcceptable(input.password, { email: input.email ?? undefined });
      await inTransaction(this.deps, ctx, async (uow) => {
        PREVIEWS.set(uow, run);
        if (userId === null) await this.createIn(uow, powers, tenantId, { displayName: 'preview', ...input });
        else await this.patchIn(uow, powers, tenantId, userId, input, { ifMatch });
      });
    } catch (err) {
      if (err !== run && !(err instanceof AppError && isRefusal(err))) throw err;
      if (err instanceof AppError) return refusedBeforeRules(err);
    }
    return previewOf(run.decision!);
  }

  /** One change inside the caller's unit of work, so many (a CSV import) can share one transaction. */
  async patchIn(
    uow: UnitOfWork,
    powers: ActorPowers,
    tenantId: string,
    userId: string,
    input: UserPatch,
    opts: {
      ifMatch?: string | undefined;
      resets?: readonly OverridableField[];
      passwordHash?: string | undefined;
      /** What the rules read about the tenant, shared by the many changes of one unit of work (see `planCreate`). */
      state?: RulesState;
    } = {},
  ): Promise<User> {
    this.refuseReadOnly(input);
    const { ifMatch, resets = [], passwordHash, state } = opts;
    if (!state) await uow.lockTenant(tenantId, 'share');
    const row = await repo.findUser(uow.tx, tenantId, userId, true);
    if (!row) throw notFound('user');
    assertVersion(ifMatch, Number(row.version));
    // P4: a platform user's name and email are the phone system's with a portal override.
    const { patch, columns: overrides } = applyPortalOverrides(row, input, resets);
    if (patch.password !== undefined) assertPasswordAcceptable(patch.password, { email: patch.email ?? row.email });
    const devices = await repo.findDevices(uow.tx, tenantId, [userId]);
    const before = toUserAccess(row, devices);
    const requested = mergePatch(before, patch);
    const { after, tenant } = await this.checkChange(uow, tenantId, powers, before, requested, state);
    const version = state ? await state.nextUserVersion(uow) : await uow.nextUserVersion(tenantId);
    const updated = await repo
      .updateUser(uow.tx, tenantId, userId, {
        ...accessColumns(after),
        version,
        updated_at: new Date(),
        ...(patch.displayName !== undefined && { display_name: patch.displayName }),
        ...overrides,
        ...(passwordHash !== undefined && { password_hash: passwordHash }),
      })
      .catch(mapUniqueViolation);
    const result = presentUser(updated, devices);
    uow.audit({
      tenantId,
      action: 'user.update',
      targetType: 'user',
      targetId: userId,
      before: presentUser(row, devices),
      after: result,
    });
    publishUserChange(uow, tenant, after, version);
    await endInvalidatedSessions(uow, tenantId, before, after);
    return result;
  }

  async remove(ctx: RequestContext, tenantId: string, userId: string, ifMatch?: string): Promise<void> {
    const powers = await requireCapability(this.deps.db, ctx, tenantId, ['users:delete']);
    await inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'share');
      const row = await repo.findUser(uow.tx, tenantId, userId, true);
      if (!row) throw notFound('user');
      if (row.source === 'platform')
        throw new AppError('platform_user', 'platform users are removed by platform sync only', { rule: 'G13' });
      assertVersion(ifMatch, Number(row.version));
      const before = toUserAccess(row, []);
      const tenant = await loadTenantAccess(uow.tx, await this.tenantOrThrow(uow.tx, tenantId));
      // C9: no deleting a superior, nor taking away (by deleting) what the actor could not give; C4: not the last admin.
      const otherAdmins = isTenantAdmin(before, tenant) ? await this.countOtherAdmins(uow, tenant, before.id) : 1;
      const refusals = validateUserRemoval(toChangeActor(powers), before, tenant, otherAdmins);
      if (refusals.length > 0) refuse(refusals);
      const sessions = await endSessions(uow.tx, tenantId, { userIds: [userId] }, 'user_deleted');
      await repo.deleteUser(uow.tx, tenantId, userId);
      // Every node forgets the user (live snapshots, streams authorised by API tokens).
      uow.publish({ type: 'config', tenantId, userIds: [userId], version: await uow.nextUserVersion(tenantId) });
      uow.audit({
        tenantId,
        action: 'user.delete',
        targetType: 'user',
        targetId: userId,
        before: presentUser(row, []),
      });
      if (sessions.length)
        uow.publish({
          type: 'revoke',
          tenantId,
          sessionIds: sessions.map((s) => s.id),
          userIds: [userId],
          reason: 'user_deleted',
        });
    });
  }

  /** C5, P4, G10: fields a request may not name at all, refused before anything is loaded. */
  private refuseReadOnly(input: Record<string, unknown>): void {
    const named = new Set(Object.keys(input).filter((k) => input[k] !== undefined));
    const violations = readOnlyFieldViolations(named);
    if (violations.length > 0) refuse(violations);
  }

  /** Loads what the rules need, applies automatic assignment and refuses the change if any rule is broken. */
  async checkChange(
    uow: UnitOfWork,
    tenantId: string,
    powers: ActorPowers,
    before: UserAccess | null,
    requested: UserAccess,
    state?: RulesState,
  ) {
    const after = applyAutomaticAssignments(requested, before);
    const addsBillable = billableKeysOf(after).some((k) => !(before ? billableKeysOf(before) : []).includes(k));
    if (addsBillable && !state) await uow.lockLicencePools(tenantId);
    const tenantRow = state?.tenantRow ?? (await this.tenantOrThrow(uow.tx, tenantId));
    const tenant = state?.tenant ?? (await loadTenantAccess(uow.tx, tenantRow));
    const known = (ids: ReadonlySet<string>, wanted: string[]) => new Set(wanted.filter((id) => ids.has(id)));
    // A preview also weighs every option of the editor (optionAvailability): it needs the pools, the
    // email and the other admins whatever the draft changes.
    const previewing = PREVIEWS.has(uow);
    const [assigned, emailTaken, groupIds, workspaceIds, otherAdmins] = await Promise.all([
      !addsBillable && !previewing ? {} : state ? state.billableCounts(uow) : repo.countBillable(uow.tx, tenantId),
      !after.email || !(previewing || after.permissions.includes('website_access'))
        ? false
        : state
          ? state.emailTaken(after.email, after.id)
          : repo.emailTakenByWebsiteUser(uow.tx, tenantId, after.email, after.id),
      state ? known(state.groupIds, after.groups) : repo.existingIds(uow.tx, 'groups', tenantId, after.groups),
      state
        ? known(state.workspaceIds, Object.keys(after.workspaces))
        : repo.existingIds(uow.tx, 'workspaces', tenantId, Object.keys(after.workspaces)),
      // C4 needs the count only when this change would take an admin's powers away.
      before && isTenantAdmin(before, tenant) && (previewing || !isTenantAdmin(after, tenant))
        ? this.countOtherAdmins(uow, tenant, before.id)
        : Promise.resolve(1),
    ]);
    const actor = toChangeActor(powers);
    const changeCtx = {
      tenant,
      pools: { caps: tenantRow.licence_pools, assigned },
      emailTaken,
      otherAdmins,
      groupIds,
      workspaceIds,
    };
    const violations = validateUserChange(actor, before, after, changeCtx);
    PREVIEWS.get(uow)?.decided({ actor, before, requested, after, ctx: changeCtx, violations });
    if (violations.length > 0) refuse(violations);
    state?.record(before, after);
    return { after, tenant };
  }

  private async countOtherAdmins(uow: UnitOfWork, tenant: TenantAccess, exceptId: string): Promise<number> {
    const ids = await repo.adminCandidates(uow.tx, tenant.id, exceptId);
    const users = await loadUsersAccess(uow.tx, tenant.id, ids);
    return [...users.values()].filter(({ access }) => isTenantAdmin(access, tenant)).length;
  }
}
