import { Type } from '@sinclair/typebox';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import { CreatedPlatformToken, PlatformToken, PlatformTokenCreate } from './platform-tokens.schemas.js';
import type { PlatformTokensService } from './platform-tokens.service.js';

const tags = ['Tenants (provider)'];

/** `POST, GET /v1/tenants/{t}/platform-tokens`, `DELETE /v1/tenants/{t}/platform-tokens/{id}` (provider, I6). */
export function registerPlatformTokenRoutes(app: Api, tokens: PlatformTokensService): void {
  app.post(
    '/v1/tenants/:t/platform-tokens',
    {
      // The body is optional (API.md lists none): an absent one reads as `{}`.
      preValidation: async (req) => {
        req.body ??= {};
      },
      schema: {
        tags,
        summary: 'Issue a platform token for the PBX (shown once; platform sync and dial checks only, I6)',
        params: TenantParams,
        body: PlatformTokenCreate,
        response: { 201: CreatedPlatformToken, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await tokens.create(contextOf(req), req.params.t, req.body.name ?? null)),
  );

  app.get(
    '/v1/tenants/:t/platform-tokens',
    {
      schema: {
        tags,
        summary: 'Platform tokens of a tenant (never their secrets)',
        params: TenantParams,
        response: {
          200: Type.Object({ items: Type.Array(PlatformToken), nextCursor: Type.Null() }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({ items: await tokens.list(contextOf(req), req.params.t), nextCursor: null }),
  );

  app.delete(
    '/v1/tenants/:t/platform-tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a platform token',
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
