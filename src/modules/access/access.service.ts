import { explainCapability, explainQueueCapability, explainUser } from '../../access/explain.js';
import type { EffectiveConfig } from '../../access/effective-config.js';
import { QUEUE_CAPABILITIES } from '../../catalog/capabilities.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { findTenant } from '../tenants/tenants.repo.js';
import { isSelfSession as isSelf, requireCapability } from './actor-access.js';
import { loadTenantAccess, loadUsersAccess } from './access.repo.js';
import { loadEffectiveConfigs } from './config-loader.js';
import type { AccessAnswer, CheckAnswer, CheckBody } from './access.schemas.js';

/** Access answers: explanations (X1), batch checks (X2) and effective configurations. */
export class AccessService {
  constructor(private readonly deps: ServiceDeps) {}

  async explain(ctx: RequestContext, tenantId: string, userId: string): Promise<AccessAnswer> {
    if (!isSelf(ctx, tenantId, userId))
      await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const tenantRow = await findTenant(this.deps.db, tenantId);
    if (!tenantRow) throw notFound('tenant');
    const [tenant, users] = await Promise.all([
      loadTenantAccess(this.deps.db, tenantRow),
      loadUsersAccess(this.deps.db, tenantId, [userId]),
    ]);
    const u = users.get(userId);
    if (!u) throw notFound('user');
    const queues: AccessAnswer['queues'] = {};
    for (const queueId of tenant.queues.keys()) {
      queues[queueId] = Object.fromEntries(
        QUEUE_CAPABILITIES.map((c) => [c, explainQueueCapability(u.access, tenant, c, queueId)]),
      );
    }
    return {
      userId,
      version: Math.max(Number(u.row.version), Number(tenantRow.version)),
      capabilities: explainUser(u.access, tenant),
      queues,
    };
  }

  async config(ctx: RequestContext, tenantId: string, userId: string): Promise<EffectiveConfig> {
    const self = isSelf(ctx, tenantId, userId);
    if (!self) await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const cfg = (await loadEffectiveConfigs(this.deps.db, this.deps.secrets, tenantId, [userId], self)).get(userId);
    if (!cfg) throw notFound('user');
    return cfg;
  }

  /** Up to 1,000 checks in one call; users are loaded once each. Unknown users answer not allowed (E4: no difference from other tenants'). */
  async check(ctx: RequestContext, tenantId: string, body: CheckBody): Promise<CheckAnswer> {
    const onlySelf = body.checks.every((c) => isSelf(ctx, tenantId, c.userId));
    if (!onlySelf) await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const tenantRow = await findTenant(this.deps.db, tenantId);
    if (!tenantRow) throw notFound('tenant');
    const [tenant, users] = await Promise.all([
      loadTenantAccess(this.deps.db, tenantRow),
      loadUsersAccess(
        this.deps.db,
        tenantId,
        body.checks.map((c) => c.userId),
      ),
    ]);
    const explained = new Map<string, ReturnType<typeof explainUser>>();
    return {
      results: body.checks.map((c) => {
        const u = users.get(c.userId);
        if (!u)
          return {
            allowed: false,
            grantedBy: [],
            blockedBy: [{ rule: 'E4', code: 'not_found', detail: `user ${c.userId} not found` }],
          };
        if (!c.resource && !c.capability.startsWith('queue:')) {
          let all = explained.get(c.userId);
          if (!all) explained.set(c.userId, (all = explainUser(u.access, tenant)));
          const d = all[c.capability];
          if (d) return d;
        }
        return explainCapability(u.access, tenant, c.capability, c.resource);
      }),
    };
  }
}
