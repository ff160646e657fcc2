import { isCapability } from '../../catalog/capabilities.js';
import type { RequestContext } from '../../infra/context.js';
import { generateToken, hashToken } from '../../infra/crypto.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { requireCapability } from '../access/actor-access.js';
import * as repo from './api-tokens.repo.js';
import type { ApiToken, ApiTokenCreate, CreatedApiToken } from './api-tokens.schemas.js';

function present(r: repo.ApiTokenRow): ApiToken {
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    id: r.id,
    name: r.name,
    userId: r.user_id,
    scopes: r.scopes,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at),
    lastUsedAt: iso(r.last_used_at),
    lastUsedAddr: r.last_used_addr,
  };
}

/** API tokens (I5): named, scoped to a subset of the creator's capabilities, optionally expiring, shown once. */
export class ApiTokensService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(ctx: RequestContext, tenantId: string, input: ApiTokenCreate): Promise<CreatedApiToken> {
    const powers = await requireCapability(this.deps.db, ctx, tenantId, 'api_tokens:create', 'I5');
    if (ctx.actor.kind !== 'user')
      throw new AppError('forbidden', 'API tokens act as a user: create them signed in as that user', { rule: 'I5' });
    input.scopes.forEach((s, i) => {
      if (!isCapability(s))
        throw new AppError('validation_failed', `unknown capability ${s}`, { field: `/scopes/${i}` });
    });
    // C3: a token can never do more than its creator (a token's scopes also never exceed the token used to create it).
    const beyond = input.scopes.filter((s) => !powers.has(s));
    if (beyond.length) {
      throw new AppError('escalation_refused', `you do not hold ${beyond.join(', ')}, so a token of yours cannot`, {
        rule: 'C3',
        field: '/scopes',
        extra: { missing: beyond },
      });
    }
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now())
      throw new AppError('validation_failed', 'expiresAt must be in the future', { field: '/expiresAt' });
    const userId = ctx.actor.id;
    const token = generateToken('sbt');
    return inTransaction(this.deps, ctx, async (uow) => {
      const row = await repo.insertApiToken(uow.tx, {
        id: newId('tok'),
        tenant_id: tenantId,
        user_id: userId,
        name: input.name,
        scopes: input.scopes,
        token_hash: hashToken(token),
        expires_at: expiresAt,
      });
      const out = present(row);
      uow.audit({ tenantId, action: 'api_token.create', targetType: 'api_token', targetId: row.id, after: out });
      return { ...out, token };
    });
  }

  async list(ctx: RequestContext, tenantId: string): Promise<ApiToken[]> {
    await requireCapability(
      this.deps.db,
      ctx,
      tenantId,
      ['api_tokens:view', 'api_tokens:create', 'api_tokens:delete'],
      'I5',
    );
    return (await repo.listApiTokens(this.deps.db, tenantId)).map(present);
  }

  async revoke(ctx: RequestContext, tenantId: string, id: string): Promise<void> {
    await requireCapability(this.deps.db, ctx, tenantId, 'api_tokens:delete', 'I5');
    await inTransaction(this.deps, ctx, async (uow) => {
      const row = await repo.revokeApiToken(uow.tx, tenantId, id);
      if (!row) throw notFound('API token');
      uow.audit({ tenantId, action: 'api_token.revoke', targetType: 'api_token', targetId: id, before: present(row) });
      // Every node drops the token from its cache of verified tokens at once.
      uow.publish({ type: 'credential', tenantId, tokenIds: [id] });
    });
  }
}
