import type { RequestContext } from '../../infra/context.js';
import { generateToken, hashToken } from '../../infra/crypto.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { findTenant } from '../tenants/tenants.repo.js';
import * as repo from './platform-tokens.repo.js';
import type { PlatformToken } from './platform-tokens.schemas.js';

function present(r: repo.PlatformTokenRow): PlatformToken {
  return {
    id: r.id,
    name: r.name,
    createdAt: new Date(r.created_at).toISOString(),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
    lastUsedAddr: r.last_used_addr,
  };
}

function requireProvider(ctx: RequestContext): void {
  if (ctx.actor.kind !== 'provider')
    throw new AppError('provider_only', 'platform tokens are issued by the provider', { rule: 'I6' });
}

/**
 * Platform tokens (I6): issued per tenant by the provider for the PBX. They resolve to a `platform`
 * actor, which holds no user capability: only platform sync and dial checks accept it.
 */
export class PlatformTokensService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(ctx: RequestContext, tenantId: string, name: string | null): Promise<{ id: string; token: string }> {
    requireProvider(ctx);
    const token = generateToken('sbk');
    return inTransaction(this.deps, ctx, async (uow) => {
      if (!(await findTenant(uow.tx, tenantId))) throw notFound('tenant');
      const row = await repo.insertPlatformToken(uow.tx, {
        id: newId('ptk'),
        tenant_id: tenantId,
        token_hash: hashToken(token),
        name,
      });
      uow.audit({
        tenantId,
        action: 'platform_token.create',
        targetType: 'platform_token',
        targetId: row.id,
        after: present(row),
      });
      return { id: row.id, token };
    });
  }

  async list(ctx: RequestContext, tenantId: string): Promise<PlatformToken[]> {
    requireProvider(ctx);
    return (await repo.listPlatformTokens(this.deps.db, tenantId)).map(present);
  }

  async revoke(ctx: RequestContext, tenantId: string, id: string): Promise<void> {
    requireProvider(ctx);
    await inTransaction(this.deps, ctx, async (uow) => {
      const row = await repo.revokePlatformToken(uow.tx, tenantId, id);
      if (!row) throw notFound('platform token');
      // Every node drops the token from its cache of verified tokens (I6).
      uow.publish({ type: 'credential', tenantId, tokenIds: [id] });
      uow.audit({
        tenantId,
        action: 'platform_token.revoke',
        targetType: 'platform_token',
        targetId: id,
        before: present(row),
      });
    });
  }
}
