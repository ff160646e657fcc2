import { checkDial, extensionCandidate, type ChannelBlock } from '../../access/dial.js';
import { explainCapability } from '../../access/explain.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { loadTenantAccess, loadUsersAccess } from '../access/access.repo.js';
import { assertTenantScope, isSelfSession, requireCapability } from '../access/actor-access.js';
import { loadEffectiveConfigs } from '../access/config-loader.js';
import { findTenant } from '../tenants/tenants.repo.js';
import { tenantHasExtension } from './dial-check.repo.js';
import type { DialCheckAnswer, DialCheckBody } from './dial-check.schemas.js';

/** Dial checks for the platform (PBX) and for apps (SPEC F3, F5, I6). */
export class DialCheckService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Decides from the user's effective configuration, the same one the apps hold, so the PBX and the
   * app's local `canDial` agree. The one thing the app cannot know, whether the number is one of the
   * tenant's extensions (F5: internal), is one indexed lookup here. Who may ask: the provider, the
   * tenant's platform token (I6), the user about themself, or a user holding users:view.
   */
  async check(ctx: RequestContext, tenantId: string, body: DialCheckBody): Promise<DialCheckAnswer> {
    assertTenantScope(ctx, tenantId);
    const a = ctx.actor;
    if (a.kind === 'user' && !isSelfSession(ctx, tenantId, body.userId))
      await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const config = (await loadEffectiveConfigs(this.deps.db, this.deps.secrets, tenantId, [body.userId], false)).get(
      body.userId,
    );
    if (!config) throw notFound('user');
    const channelOn = body.channel === 'call' ? config.features.calls : config.features.sms;
    const block = channelOn
      ? undefined
      : await this.channelBlock(tenantId, body.userId, body.channel === 'call' ? 'telephony:call' : 'telephony:sms');
    const extension = extensionCandidate(body.number);
    const isExtension = extension !== null && (await tenantHasExtension(this.deps.db, tenantId, extension));
    const answer = checkDial(config.features, body.number, body.channel, { channelBlock: block, isExtension });
    this.deps.metrics.dialChecks.inc({ code: answer.code, allowed: String(answer.allowed) });
    return answer;
  }

  /** Why a closed channel is closed (G8 plan, G4 manual user, G13 inactive…), from the engine's explanation. */
  private async channelBlock(tenantId: string, userId: string, capability: string): Promise<ChannelBlock | undefined> {
    const tenantRow = await findTenant(this.deps.db, tenantId);
    const user = (await loadUsersAccess(this.deps.db, tenantId, [userId])).get(userId);
    if (!tenantRow || !user) return undefined;
    const decision = explainCapability(user.access, await loadTenantAccess(this.deps.db, tenantRow), capability);
    const first = decision.blockedBy[0];
    // No block but no grant: the admin set channels to exclude this one (F1).
    return first ? { code: first.code, rule: first.rule } : undefined;
  }
}
