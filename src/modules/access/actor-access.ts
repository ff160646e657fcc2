import type { Capability } from '../../catalog/capabilities.js';
import { explainUser } from '../../access/explain.js';
import type { Executor } from '../../db/database.js';
import type { RequestContext } from '../../infra/context.js';
import { AppError, notFound } from '../../infra/errors.js';
import { findTenant } from '../tenants/tenants.repo.js';
import { loadTenantAccess, loadUsersAccess } from './access.repo.js';
import type { UserAccess } from '../../access/types.js';
import { snapshotsOf, type SnapshotStore } from '../snapshot/snapshot-store.js';

/** What an actor may do in a tenant: the provider everything; a user their allowed capabilities (narrowed by token scopes). */
export interface ActorPowers {
  all: boolean;
  superuser: boolean;
  capabilities: ReadonlySet<string>;
  has(capability: string): boolean;
}

const cache = new WeakMap<RequestContext, Map<string, ActorPowers>>();

const ALL: ActorPowers = { all: true, superuser: true, capabilities: new Set(), has: () => true };

/** Another tenant's resources are not found (E4): a non-provider actor only sees its own tenant. */
export function assertTenantScope(ctx: RequestContext, tenantId: string): void {
  const a = ctx.actor;
  if (a.kind !== 'provider' && a.tenantId !== tenantId) throw notFound('tenant');
}

export async function actorPowers(db: Executor, ctx: RequestContext, tenantId: string): Promise<ActorPowers> {
  assertTenantScope(ctx, tenantId);
  const a = ctx.actor;
  if (a.kind === 'platform') return { all: false, superuser: false, capabilities: new Set(), has: () => false };
  let perCtx = cache.get(ctx);
  const hit = perCtx?.get(tenantId);
  if (hit) return hit;
  const store = snapshotsOf(db);
  const powers = store ? await powersFromSnapshot(store, ctx, tenantId) : await powersFromRows(db, ctx, tenantId);
  if (!perCtx) cache.set(ctx, (perCtx = new Map<string, ActorPowers>()));
  perCtx.set(tenantId, powers);
  return powers;
}

/** The actor's powers from the node's live snapshot: no database read once the tenant is warm. */
async function powersFromSnapshot(store: SnapshotStore, ctx: RequestContext, tenantId: string): Promise<ActorPowers> {
  // The provider may act in every tenant, but only in one that exists: a write to a missing tenant is
  // a 404 here, never a foreign-key error later (E4).
  const snap = store.current(tenantId) ?? (await store.get(tenantId));
  if (!snap) throw notFound('tenant');
  const a = ctx.actor;
  if (a.kind !== 'user') return ALL;
  const me = snap.users.get(a.id);
  if (!me) throw new AppError('unauthorized', 'the signed-in user no longer exists');
  return userPowers(me.access, snap.compiled.allowedCapabilities(a.id), a.scopes);
}

/** A user's powers: their allowed capabilities, narrowed to a token's scopes (one object a request, no closures). */
class UserPowers implements ActorPowers {
  readonly all = false;
  readonly superuser: boolean;
  readonly capabilities: ReadonlySet<string>;

  constructor(me: UserAccess, allowed: string[], scopes: readonly string[] | undefined) {
    this.superuser = me.profile.kind === 'superuser' && me.status === 'active' && !scopes;
    const set = new Set<string>();
    for (const c of allowed) if (!scopes || scopes.includes(c)) set.add(c);
    this.capabilities = set;
  }

  has(capability: string): boolean {
    return this.capabilities.has(capability);
  }
}

function userPowers(me: UserAccess, allowed: string[], scopes: readonly string[] | undefined): ActorPowers {
  return new UserPowers(me, allowed, scopes);
}

async function powersFromRows(db: Executor, ctx: RequestContext, tenantId: string): Promise<ActorPowers> {
  const a = ctx.actor;
  const tenant = await findTenant(db, tenantId);
  if (!tenant) throw notFound('tenant');
  if (a.kind !== 'user') return ALL;
  const users = await loadUsersAccess(db, tenantId, [a.id]);
  const me = users.get(a.id);
  if (!me) throw new AppError('unauthorized', 'the signed-in user no longer exists');
  const decisions = explainUser(me.access, await loadTenantAccess(db, tenant));
  const allowed = Object.entries(decisions)
    .filter(([, d]) => d.allowed)
    .map(([c]) => c);
  return userPowers(me.access, allowed, a.scopes);
}

/** Refuses unless the actor holds one of `capabilities` (403 `forbidden`, with the rule that asks for it). */
export async function requireCapability(
  db: Executor,
  ctx: RequestContext,
  tenantId: string,
  capabilities: Capability | Capability[],
  rule = 'C1',
): Promise<ActorPowers> {
  const powers = await actorPowers(db, ctx, tenantId);
  const list = Array.isArray(capabilities) ? capabilities : [capabilities];
  if (!list.some((c) => powers.has(c))) {
    throw new AppError('forbidden', `this needs ${list.join(' or ')}`, { rule });
  }
  return powers;
}

/** Forgets cached powers after the actor's own access changed within the request. */
export function forgetPowers(ctx: RequestContext): void {
  cache.delete(ctx);
}

/**
 * I5: what a signed-in user may do about themself without any capability (read their own record,
 * access, configuration and tenant summary, set their preferences, check or dial-check themself) is
 * a session's privilege. An API token does exactly its scopes, so it is never "self": about its
 * creator it needs the capability it would need about anyone.
 */
export function isSelfSession(ctx: RequestContext, tenantId: string, userId: string): boolean {
  const a = ctx.actor;
  return a.kind === 'user' && !a.scopes && a.tenantId === tenantId && a.id === userId;
}

/** I5: refuses an API token unless its scopes (still held by its creator) include one of `capabilities`. */
export async function requireTokenScope(
  db: Executor,
  ctx: RequestContext,
  capabilities: Capability | Capability[],
): Promise<void> {
  const a = ctx.actor;
  if (a.kind === 'user' && a.scopes) await requireCapability(db, ctx, a.tenantId, capabilities, 'I5');
}
