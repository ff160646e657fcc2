import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { explainQueueCapability, explainUser } from '../../access/explain.js';
import type { EffectiveConfig } from '../../access/effective-config.js';
import { QUEUE_CAPABILITIES } from '../../catalog/capabilities.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { requireSnapshots } from '../snapshot/snapshot-store.js';
import { decisionJson, type Explained, type TenantSnapshot } from '../snapshot/tenant-snapshot.js';
import { isSelfSession as isSelf, requireCapability } from './actor-access.js';
import { loadEffectiveConfigs } from './config-loader.js';
import type { AccessAnswer, AnyCheckAnswer, CheckAnswer, CheckBody } from './access.schemas.js';

/** How long (ms) a batch decides before it yields to the event loop: a 1,000-check batch never holds it for long. */
const SLICE_MS = 0.25;

/**
 * Access answers: explanations (X1), batch checks (X2) and effective configurations, all from the
 * node's live snapshot of the tenant (warm answers never touch the database), each carrying the
 * version it was decided at and honouring a caller's `minVersion` (D7).
 */
export class AccessService {
  constructor(private readonly deps: ServiceDeps) {}

  private async snapshot(tenantId: string, minVersion?: number): Promise<TenantSnapshot> {
    const store = requireSnapshots(this.deps.db);
    const snap = store.current(tenantId, minVersion) ?? (await store.get(tenantId, minVersion));
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
   * only for the capability asked (remembered per user state by the snapshot), and not at all with
   * `explain: false`. Unknown users answer not allowed (E4: no difference from other tenants'). The
   * AuthZEN API asks through this method too.
   */
  async check(ctx: RequestContext, tenantId: string, body: CheckBody & { explain?: true }): Promise<CheckAnswer>;
  async check(ctx: RequestContext, tenantId: string, body: CheckBody): Promise<AnyCheckAnswer>;
  async check(ctx: RequestContext, tenantId: string, body: CheckBody): Promise<AnyCheckAnswer> {
    const { version, allowed, reasons } = await this.decide(ctx, tenantId, body);
    const results = new Array<AnyCheckAnswer['results'][number]>(allowed.length);
    for (let i = 0; i < allowed.length; i++) {
      const d = reasons?.[i]?.decision;
      results[i] = d
        ? { allowed: allowed[i] === 1, grantedBy: d.grantedBy, blockedBy: d.blockedBy }
        : { allowed: allowed[i] === 1 };
    }
    return { version, results };
  }

  /**
   * The same answer as `check`, as the JSON text of the wire form: built from the explanations' JSON
   * the snapshot keeps, so a batch is not serialised decision by decision.
   */
  async checkJson(ctx: RequestContext, tenantId: string, body: CheckBody): Promise<string> {
    const { version, allowed, reasons } = await this.decide(ctx, tenantId, body);
    const parts = new Array<string>(allowed.length);
    for (let i = 0; i < allowed.length; i++) {
      const r = reasons?.[i];
      const yes = allowed[i] === 1;
      // The bitsets and the explanations agree (a property test holds them together); were they ever
      // to differ, the answer keeps the bitsets' decision, as `check` does.
      parts[i] = r
        ? r.decision.allowed === yes
          ? r.json
          : decisionJson({ ...r.decision, allowed: yes })
        : yes
          ? ALLOWED
          : REFUSED;
    }
    // One join: the answer is written as one flat string, not a rope of a thousand pieces.
    return `{"version":${version},"results":[${parts.join(',')}]}`;
  }

  /**
   * The decisions of a batch as the bitsets give them, with their remembered explanations unless
   * `explain: false`: what `check` and `checkJson` (and the AuthZEN API's text) are written from.
   */
  async decide(ctx: RequestContext, tenantId: string, body: CheckBody): Promise<Decided> {
    // The provider may check in any tenant that exists: the snapshot below answers 404 for one that does not.
    if (ctx.actor.kind !== 'provider') {
      let onlySelf = true;
      for (const c of body.checks) if (!isSelf(ctx, tenantId, c.userId)) onlySelf = false;
      if (!onlySelf) await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    }
    const snap = await this.snapshot(tenantId, body.minVersion);
    const { version, users, compiled } = snap;
    const checks = body.checks;
    const n = checks.length;
    const allowed = new Uint8Array(n);
    const reasons: Explained[] | null = body.explain === false ? null : new Array<Explained>(n);
    let granted = 0;
    let sliceStart = performance.now();
    for (let i = 0; i < n; i++) {
      // Between slices a change may land: decisions only move forward, so each is at least `version`.
      if ((i & 31) === 31 && performance.now() - sliceStart > SLICE_MS) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
      const c = checks[i]!;
      const user = users.get(c.userId);
      if (!user) {
        if (reasons) reasons[i] = unknownUser(c.userId);
        continue;
      }
      // One key for the capability and resource: the bitsets decide on it, the memo remembers under it.
      const key = compiled.keyOf(c.capability, c.resource);
      if (snap.allows(user, key)) {
        allowed[i] = 1;
        granted++;
      }
      if (reasons) reasons[i] = snap.explain(user, c.capability, c.resource, key);
    }
    this.deps.metrics.decisions.inc({ allowed: 'true' }, granted);
    this.deps.metrics.decisions.inc({ allowed: 'false' }, n - granted);
    return { version, allowed, reasons };
  }
}

/** Decisions of one batch: allowed (1) or not per check, and their reasons unless `explain: false`. */
export interface Decided {
  version: number;
  allowed: Uint8Array;
  reasons: Explained[] | null;
}

const ALLOWED = '{"allowed":true}';
const REFUSED = '{"allowed":false}';

/** E4: a user the tenant does not have is not allowed, with the same answer as any other tenant's. */
function unknownUser(userId: string): Explained {
  const decision = {
    allowed: false,
    grantedBy: [],
    blockedBy: [{ rule: 'E4', code: 'not_found', detail: `user ${userId} not found` }],
  };
  return { decision, json: decisionJson(decision) };
}
