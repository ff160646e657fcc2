import type { EffectiveConfig } from '../../access/effective-config.js';
import type { Preferences } from '../../access/types.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { findUser, updateUser } from '../users/users.repo.js';
import { requireTokenScope } from '../access/actor-access.js';
import { loadEffectiveConfigs } from '../access/config-loader.js';
import type { PreferencesAnswer, PreferencesPatch } from './me.schemas.js';

/** The signed-in user's own configuration and preferences (G9, G10). */
export class MeService {
  constructor(private readonly deps: ServiceDeps) {}

  /** GET /v1/me/config: the effective configuration, with SIP credentials (the user's own client). */
  async config(ctx: RequestContext): Promise<EffectiveConfig> {
    const me = userOf(ctx);
    await requireTokenScope(this.deps.db, ctx, ['users:view', 'users:edit']);
    const config = (await loadEffectiveConfigs(this.deps.db, this.deps.secrets, me.tenantId, [me.userId])).get(
      me.userId,
    );
    if (!config) throw notFound('user');
    return config;
  }

  /**
   * PATCH /v1/me/preferences. Preferences are stored as asked; they only restrict because the engine
   * ANDs them with plan and admin setting (G9, G10), so turning one on never turns on what the admin
   * or the plan turned off, and the effective value with its reason shows in /config and /access.
   * A real change bumps the user's version and pushes to every connected client (D2, F4). Last
   * write wins (no If-Match): two switches the user flips themself cannot conflict meaningfully.
   */
  async setPreferences(ctx: RequestContext, patch: PreferencesPatch): Promise<PreferencesAnswer> {
    const me = userOf(ctx);
    await requireTokenScope(this.deps.db, ctx, 'users:edit');
    const stored = await inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(me.tenantId, 'share');
      const row = await findUser(uow.tx, me.tenantId, me.userId, true);
      if (!row) throw notFound('user');
      if (row.status !== 'active') throw new AppError('account_inactive', `the user is ${row.status}`, { rule: 'G13' });
      const before = row.preferences;
      const after: Preferences = { ...before, ...patch };
      if (after.recording === before.recording && after.crmOverlay === before.crmOverlay) return after;
      const version = await uow.nextUserVersion(me.tenantId);
      await updateUser(uow.tx, me.tenantId, me.userId, {
        preferences: JSON.stringify(after),
        version,
        updated_at: new Date(),
      });
      uow.audit({
        tenantId: me.tenantId,
        action: 'user.preferences',
        targetType: 'user',
        targetId: me.userId,
        before: { preferences: before },
        after: { preferences: after },
      });
      uow.publish({ type: 'config', tenantId: me.tenantId, userIds: [me.userId], version });
      return after;
    });
    const config = await this.config(ctx);
    return { preferences: stored, version: config.version, config };
  }
}

/** Only a signed-in user has an own configuration; provider and platform tokens do not. */
function userOf(ctx: RequestContext): { tenantId: string; userId: string } {
  const a = ctx.actor;
  if (a.kind !== 'user') throw new AppError('forbidden', "this route is a user's own: sign in as a user");
  return { tenantId: a.tenantId, userId: a.id };
}
