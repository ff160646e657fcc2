import { Type } from '@sinclair/typebox';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import type { FastifyRequest } from 'fastify';
import type { Api } from '../../http/types.js';
import type { Actor } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { auditStandalone } from '../auth/auth.repo.js';
import { recordTokenUse } from './api-tokens.repo.js';
import { ApiToken, ApiTokenCreate, CreatedApiToken } from './api-tokens.schemas.js';
import type { ApiTokensService } from './api-tokens.service.js';

const tags = ['API tokens'];

/** `GET, POST /v1/tenants/{t}/api-tokens`, `DELETE /v1/tenants/{t}/api-tokens/{id}` (I5). */
export function registerApiTokenRoutes(app: Api, tokens: ApiTokensService): void {
  app.get(
    '/v1/tenants/:t/api-tokens',
    {
      schema: {
        tags,
        summary: 'API tokens of the tenant (never their secrets)',
        params: TenantParams,
        response: { 200: Type.Object({ items: Type.Array(ApiToken), nextCursor: Type.Null() }), ...errorResponses },
      },
    },
    async (req) => ({ items: await tokens.list(contextOf(req), req.params.t), nextCursor: null }),
  );

  app.post(
    '/v1/tenants/:t/api-tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token acting as you, scoped to capabilities you hold (shown once)',
        params: TenantParams,
        body: ApiTokenCreate,
        response: { 201: CreatedApiToken, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tokens.create(contextOf(req), req.params.t, req.body)),
  );

  app.delete(
    '/v1/tenants/:t/api-tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API token',
        params: TenantItemParams,
        response: { 204: { type: 'null' } as const, ...errorResponses },
      },
    },
    async (req, reply) => {
      await tokens.revoke(contextOf(req), req.params.t, req.params.id);
      return reply.status(204).send();
    },
  );
}

/**
 * Token use is recorded (last use, I5) and audited with the client address (issue #4 item 8): at
 * most once a minute per token, so a busy integration does not write an audit entry per request.
 */
export function registerTokenUseAudit(app: Api, deps: ServiceDeps): void {
  /** When this node last recorded each token's use: the record is once a minute, so most requests skip it. */
  const recorded = new Map<string, number>();
  // Callback style: on the hot paths (the PBX's dial checks) a promise per hook per request shows.
  app.addHook('onRequest', (req, _reply, done) => {
    noteUse(req);
    done();
  });
  function noteUse(req: FastifyRequest): void {
    const a = req.actor;
    if (!a || a.kind === 'provider') return;
    // A use recorded lately is the common case (the PBX's every call): answered before anything else.
    const now = Date.now();
    if (now - (recorded.get(a.credential) ?? 0) < TOKEN_USE_EVERY_MS) return;
    const m = /^(api_token|platform_token):(.+)$/.exec(a.credential);
    if (!m) return;
    if (recorded.size >= 10_000) recorded.clear();
    recorded.set(a.credential, now);
    // In the background: the request (a PBX's dial check) never waits for this write.
    void recordUse(deps, req, a, m[1] as 'api_token' | 'platform_token', m[2]!).catch((err: unknown) =>
      req.log.warn({ err }, 'recording a token use failed'),
    );
  }
}

/** How often one node records a token's use; the database keeps it once a minute across nodes. */
const TOKEN_USE_EVERY_MS = 60_000;

async function recordUse(
  deps: ServiceDeps,
  req: FastifyRequest,
  a: Exclude<Actor, { kind: 'provider' }>,
  kind: 'api_token' | 'platform_token',
  id: string,
): Promise<void> {
  if (!(await recordTokenUse(deps.db, kind === 'api_token' ? 'api_tokens' : 'platform_tokens', id, req.ip ?? null)))
    return;
  await auditStandalone(deps.db, [
    {
      tenantId: a.tenantId,
      actorType: a.kind,
      actorId: a.id,
      credential: a.credential,
      action: `${kind}.use`,
      targetType: kind,
      targetId: id,
      after: { method: req.method, path: req.routeOptions.url ?? req.url },
      requestId: req.id,
      clientAddr: req.ip ?? null,
    },
  ]);
}
