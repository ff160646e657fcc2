import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { explainCapability, explainQueueCapability, explainUser } from '../../access/explain.js';
import type { EffectiveConfig } from '../../access/effective-config.js';
import { QUEUE_CAPABILITIES } from '../../catalog/capabilities.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { requireSnapshots } from '../snapshot/snapshot-store.js';
import type { TenantSnapshot } from '../snapshot/tenant-snapshot.js';
import { isSelfSession as isSelf, requireCapability } from './actor-access.js';
import { loadEffectiveConfigs } from './config-loader.js';
import type { AccessAnswer, AnyCheckAnswer, CheckAnswer, CheckBody } from './access.schemas.js';

/** Checks decided between two yields to the event loop: a 1,000-check batch never holds it for long. */
const SLICE = 100;

/**
 * Access answers: explanations (X1), batch checks (X2) and effective configurations, all from the
 * node's live snapshot of the tenant (warm answers never touch the database), each carrying the
 * version it was decided at and honouring a caller's `minVersion` (D7).
 */
export class AccessService {
  constructor(private readonly deps: ServiceDeps) {}

  private async snapshot(tenantId: string, minVersion?: number): Promise<TenantSnapshot> {
    const snap = await requireSnapshots(this.deps.db).get(tenantId, minVersion);
    if (!snap) throw notFound('tenant');
    return snap;
  }

  async explain(ctx: RequestContext, tenantId: string, userId: string, minVersion?: number): Promise<AccessAnswer> {
    if (!isSelf(ctx, tenantId, userId))
      await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const snap = await this.snapshot(tenantId, minVersion);
    const user = snap.users.get(userId);
    if (!user) throw notFound('user');
    const queues: AccessAnswer['queues'] = {};
    for (const queueId of snap.tenant.queues.keys()) {
      queues[queueId] = Object.fromEntries(
        QUEUE_CAPABILITIES.map((c) => [c, explainQueueCapability(user.access, snap.tenant, c, queueId)]),
      );
    }
    return { userId, version: snap.userVersion(user), capabilities: explainUser(user.access, snap.tenant), queues };
  }

  async config(ctx: RequestContext, tenantId: string, userId: string, minVersion?: number): Promise<EffectiveConfig> {
    const self = isSelf(ctx, tenantId, userId);
    if (!self) await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    if (minVersion !== undefined) await this.snapshot(tenantId, minVersion);
    const cfg = (await loadEffectiveConfigs(this.deps.db, this.deps.secrets, tenantId, [userId], self)).get(userId);
    if (!cfg) throw notFound('user');
    return cfg;
  }

  /**
   * Up to 1,000 checks in one call (X2), decided from the compiled bitsets; reasons are explained
   * only for the capability asked, and not at all with `explain: false`. Unknown users answer not
   * allowed (E4: no difference from other tenants'). The AuthZEN API asks through this method too.
   */
  async check(ctx: RequestContext, tenantId: string, body: CheckBody & { explain?: true }): Promise<CheckAnswer>;
  async check(ctx: RequestContext, tenantId: string, body: CheckBody): Promise<AnyCheckAnswer>;
  async check(ctx: RequestContext, tenantId: string, body: CheckBody): Promise<AnyCheckAnswer> {
    const onlySelf = body.checks.every((c) => isSelf(ctx, tenantId, c.userId));
    if (!onlySelf) await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const snap = await this.snapshot(tenantId, body.minVersion);
    const version = snap.version;
    const explain = body.explain !== false;
    const results: AnyCheckAnswer['results'] = [];
    for (let i = 0; i < body.checks.length; i++) {
      // Between slices a change may land: decisions only move forward, so each is at least `version`.
      if (i > 0 && i % SLICE === 0) await yieldToLoop();
      const c = body.checks[i]!;
      const user = snap.users.get(c.userId);
      if (!user) {
        results.push(
          explain
            ? {
                allowed: false,
                grantedBy: [],
                blockedBy: [{ rule: 'E4', code: 'not_found', detail: `user ${c.userId} not found` }],
              }
            : { allowed: false },
        );
        continue;
      }
      const allowed = snap.compiled.check(c.userId, c.capability, c.resource);
      if (!explain) {
        results.push({ allowed });
        continue;
      }
      const { grantedBy, blockedBy } = explainCapability(user.access, snap.tenant, c.capability, c.resource);
      results.push({ allowed, grantedBy, blockedBy });
    }
    const granted = results.reduce((n, r) => n + (r.allowed ? 1 : 0), 0);
    this.deps.metrics.decisions.inc({ allowed: 'true' }, granted);
    this.deps.metrics.decisions.inc({ allowed: 'false' }, results.length - granted);
    return { version, results };
  }
}
