import type { TenantAccess, UserAccess } from '../../access/types.js';
import { billableKeysOf, type BillableKey } from '../../catalog/licences.js';
import type { TenantRow } from '../../db/schema.js';
import { notFound } from '../../infra/errors.js';
import type { UnitOfWork } from '../../infra/unit-of-work.js';
import { loadTenantAccess } from '../access/access.repo.js';
import { findTenant } from '../tenants/tenants.repo.js';
import * as repo from './users.repo.js';

/** Versions taken from the change sequence at once by a unit of work that changes many users. */
const VERSION_BLOCK = 500;

/**
 * What the rules (C1-C9, G*, A*) need about one tenant, loaded once for many changes in one unit of
 * work (a CSV import) instead of once per change, and kept current by the changes it sees: the same
 * `validateUserChange` decides, only the reads are shared.
 *
 * It stays true for the whole transaction because of the locks it holds: the tenant row share-locked
 * (plan, role permissions, queues and profiles change under the update lock) and, once a change adds a
 * billable key, the tenant's licence-pool lock (C6), after which the counts are read and then only
 * this transaction changes them. Emails of users with website access (G2) are tracked here for the
 * changes of this unit of work; a concurrent writer is still caught by the `users_login_email` index.
 */
export class RulesState {
  private assigned: Record<BillableKey, number> | null = null;
  /** lower(email) → ids of users with website access (not removed) that sign in with it. */
  private readonly loginEmails = new Map<string, Set<string>>();
  /** Changes recorded since a mark, undone when a row is rolled back to its savepoint. */
  private readonly journal: Array<[UserAccess | null, UserAccess]> = [];
  private versions: number[] = [];

  private constructor(
    readonly tenantRow: TenantRow,
    readonly tenant: TenantAccess,
    readonly groupIds: ReadonlySet<string>,
    readonly workspaceIds: ReadonlySet<string>,
    emails: Array<{ id: string; email: string }>,
  ) {
    for (const e of emails) this.addLogin(e.email, e.id);
  }

  /** Locks the tenant (share) and reads what the rules need about it. */
  static async load(uow: UnitOfWork, tenantId: string): Promise<RulesState> {
    return RulesState.read(uow, tenantId, null);
  }

  /**
   * The state for the next unit of work of changes committed in parts (an import of only the valid
   * rows): the tenant locked and read again, as it may have changed between the parts; the login emails
   * carried over with the changes recorded so far (a concurrent writer's is caught by the
   * `users_login_email` index); the pool counts read again under the pool lock when next needed,
   * unless `keepCounts` (a dry run's parts are rolled back: the counts of the parts before live here only).
   */
  async resume(uow: UnitOfWork, keepCounts = false): Promise<RulesState> {
    const next = await RulesState.read(uow, this.tenant.id, this);
    if (keepCounts) next.assigned = this.assigned;
    return next;
  }

  private static async read(uow: UnitOfWork, tenantId: string, carried: RulesState | null): Promise<RulesState> {
    await uow.lockTenant(tenantId, 'share');
    const tenantRow = await findTenant(uow.tx, tenantId);
    if (!tenantRow) throw notFound('tenant');
    const [tenant, groups, workspaces, emails] = await Promise.all([
      loadTenantAccess(uow.tx, tenantRow),
      repo.tenantIds(uow.tx, 'groups', tenantId),
      repo.tenantIds(uow.tx, 'workspaces', tenantId),
      carried ? [] : repo.websiteLoginEmails(uow.tx, tenantId),
    ]);
    const state = new RulesState(tenantRow, tenant, groups, workspaces, emails);
    if (carried) for (const [email, ids] of carried.loginEmails) state.loginEmails.set(email, new Set(ids));
    return state;
  }

  /** C6: the assigned counts, read once under the pool lock (taken by the first change that adds a billable key). */
  async billableCounts(uow: UnitOfWork): Promise<Record<BillableKey, number>> {
    if (!this.assigned) {
      await uow.lockLicencePools(this.tenant.id);
      this.assigned = await repo.countBillable(uow.tx, this.tenant.id);
    }
    return this.assigned;
  }

  /** G2: another user than `userId` with website access signs in with this email. */
  emailTaken(email: string, userId: string): boolean {
    const ids = this.loginEmails.get(email.toLowerCase());
    return ids !== undefined && [...ids].some((id) => id !== userId);
  }

  /** The next user version, from a block taken from the change sequence (D3: all commit together). */
  async nextUserVersion(uow: UnitOfWork): Promise<number> {
    if (this.versions.length === 0) this.versions = await repo.takeVersions(uow.tx, VERSION_BLOCK);
    return this.versions.shift()!;
  }

  /** A change the rules allowed: the counts and emails follow it. */
  record(before: UserAccess | null, after: UserAccess): void {
    this.journal.push([before, after]);
    this.apply(before, after);
  }

  mark(): number {
    return this.journal.length;
  }

  /** Forgets the changes recorded since `mark` (their rows were rolled back). */
  undoTo(mark: number): void {
    while (this.journal.length > mark) {
      const [before, after] = this.journal.pop()!;
      this.apply(after, before);
    }
  }

  private apply(from: UserAccess | null, to: UserAccess | null): void {
    if (this.assigned) {
      for (const k of from ? billableKeysOf(from) : []) this.assigned[k] -= 1;
      for (const k of to ? billableKeysOf(to) : []) this.assigned[k] += 1;
    }
    const login = (u: UserAccess | null) =>
      u && u.email && u.status !== 'removed' && u.permissions.includes('website_access') ? u.email : null;
    const was = login(from);
    const now = login(to);
    const id = (to ?? from)!.id;
    if (was) this.loginEmails.get(was.toLowerCase())?.delete(id);
    if (now) this.addLogin(now, id);
  }

  private addLogin(email: string, id: string): void {
    const key = email.toLowerCase();
    const ids = this.loginEmails.get(key) ?? new Set<string>();
    ids.add(id);
    this.loginEmails.set(key, ids);
  }
}
