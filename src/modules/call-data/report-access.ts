import { explainCapability, explainQueueCapability } from '../../access/explain.js';
import type { Block } from '../../access/types.js';
import type { Capability } from '../../catalog/capabilities.js';
import type { Executor } from '../../db/database.js';
import type { RequestContext } from '../../infra/context.js';
import { AppError, notFound } from '../../infra/errors.js';
import { assertTenantScope } from '../access/actor-access.js';
import { loadTenantAccess, loadUsersAccess } from '../access/access.repo.js';
import { findTenant } from '../tenants/tenants.repo.js';

/** Whether the actor may read some call data, and the reason when not. */
type Verdict = { allowed: true } | { allowed: false; rule: string; detail: string; reason?: string };

/**
 * Decides each capability for the request's actor. Call data is billable content (G15): a refusal
 * names the rule that blocks it as `/access` explains it ("needs Report Supervisor or a higher
 * supervisor level", rule G15). The provider sees every tenant's data; the phone system's platform
 * token sends data and reads none (I6); an API token only within its scopes (I5).
 */
export async function decideAll(
  db: Executor,
  ctx: RequestContext,
  tenantId: string,
  capabilities: readonly Capability[],
): Promise<Map<Capability, Verdict>> {
  assertTenantScope(ctx, tenantId);
  const a = ctx.actor;
  const all = (v: Verdict) => new Map(capabilities.map((c) => [c, v]));
  if (a.kind === 'platform')
    return all({ allowed: false, rule: 'I6', detail: 'a platform token sends call data and reads none' });
  const tenant = await findTenant(db, tenantId);
  if (!tenant) throw notFound('tenant');
  if (a.kind === 'provider') return all({ allowed: true });
  const me = (await loadUsersAccess(db, tenantId, [a.id])).get(a.id);
  if (!me) throw new AppError('unauthorized', 'the signed-in user no longer exists');
  const tenantAccess = await loadTenantAccess(db, tenant);
  return new Map(
    capabilities.map((c): [Capability, Verdict] => {
      if (a.scopes && !a.scopes.includes(c))
        return [c, { allowed: false, rule: 'I5', detail: `the API token's scopes do not include ${c}` }];
      const d = explainCapability(me.access, tenantAccess, c);
      if (d.allowed) return [c, { allowed: true }];
      const block: Block | undefined = d.blockedBy[0];
      return [
        c,
        block
          ? { allowed: false, rule: block.rule, detail: `${c}: ${block.detail}`, reason: block.code }
          : { allowed: false, rule: 'C1', detail: `this needs ${c}` },
      ];
    }),
  );
}

/** Refuses (403 with the blocking rule) unless the actor may use `capability` in the tenant. */
export async function requireAllowed(
  db: Executor,
  ctx: RequestContext,
  tenantId: string,
  capability: Capability,
): Promise<void> {
  const v = (await decideAll(db, ctx, tenantId, [capability])).get(capability)!;
  if (!v.allowed)
    throw new AppError('forbidden', v.detail, {
      rule: v.rule,
      extra: { capability, ...(v.reason && { reason: v.reason }) },
    });
}

/**
 * G11: the queues whose agent and queue data the actor reads — null for every queue (the provider, a
 * superuser, supervisors while `restrictToAssignedQueues` is off), otherwise the queues where
 * `queue:reports` holds for them: the queues they supervise (none when they supervise none).
 */
export async function queueScope(db: Executor, ctx: RequestContext, tenantId: string): Promise<string[] | null> {
  const a = ctx.actor;
  if (a.kind !== 'user') return null;
  const tenant = await findTenant(db, tenantId);
  if (!tenant) throw notFound('tenant');
  const me = (await loadUsersAccess(db, tenantId, [a.id])).get(a.id);
  if (!me) throw new AppError('unauthorized', 'the signed-in user no longer exists');
  const access = await loadTenantAccess(db, tenant);
  const queues = [...access.queues.keys()];
  const held = queues.filter((q) => explainQueueCapability(me.access, access, 'queue:reports', q).allowed);
  return held.length === queues.length ? null : held;
}
