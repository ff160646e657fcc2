import { checkDial, extensionCandidate, type ChannelBlock } from '../../access/dial.js';
import { dialRestrictionOf } from '../../access/effective-config.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { assertTenantScope, isSelfSession, requireCapability } from '../access/actor-access.js';
import { requireSnapshots } from '../snapshot/snapshot-store.js';
import type { DialCheckAnswer, DialCheckBody } from './dial-check.schemas.js';

/** Dial checks for the platform (PBX) and for apps (SPEC F3, F5, I6). */
export class DialCheckService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The PBX's per-call question, answered from the node's live snapshot: the user's channels and
   * dial restriction (the same values as the effective configuration the apps hold, so the PBX and
   * the app's local `canDial` agree) and the tenant's extensions (F5: internal), each one lookup,
   * whatever the number of queues. Who may ask: the provider, the tenant's platform token (I6), the
   * user about themself, or a user holding users:view.
   */
  async check(ctx: RequestContext, tenantId: string, body: DialCheckBody): Promise<DialCheckAnswer> {
    assertTenantScope(ctx, tenantId);
    const a = ctx.actor;
    if (a.kind === 'user' && !isSelfSession(ctx, tenantId, body.userId))
      await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const store = requireSnapshots(this.deps.db);
    const snap = store.current(tenantId, body.minVersion) ?? (await store.get(tenantId, body.minVersion));
    const user = snap?.users.get(body.userId);
    if (!snap || !user) throw notFound('user');
    const capability = body.channel === 'call' ? 'telephony:call' : 'telephony:sms';
    const channelOn = snap.allows(user, snap.compiled.keyOf(capability));
    const policy = {
      calls: body.channel === 'call' && channelOn,
      sms: body.channel === 'sms' && channelOn,
      dialRestriction: dialRestrictionOf(user.access, snap.tenant),
    };
    // Why a closed channel is closed (G8 plan, G4 manual user, G13 inactive…); no block but no grant: F1.
    const block: ChannelBlock | undefined = channelOn
      ? undefined
      : snap.explain(user, capability).decision.blockedBy[0];
    const extension = extensionCandidate(body.number);
    const isExtension = extension !== null && snap.hasExtension(extension);
    const answer = checkDial(policy, body.number, body.channel, { channelBlock: block, isExtension });
    this.deps.metrics.dialChecks.inc({ code: answer.code, allowed: String(answer.allowed) });
    return { ...answer, version: snap.version };
  }
}
