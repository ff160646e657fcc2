import { Type } from '@sinclair/typebox';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import { AppError } from '../../infra/errors.js';
import type { AuthService } from '../auth/auth.service.js';
import { LoginResult } from '../auth/auth.schemas.js';
import type { SessionsService } from './sessions.service.js';
import { SessionList, SessionListQuery, TenantUserParams } from './sessions.schemas.js';

const tags = ['Sessions'];

/** Live sessions of a tenant (the seat holders) and forced logout (I7, S3). */
export function registerSessionRoutes(app: Api, sessions: SessionsService, auth: AuthService): void {
  app.get(
    '/v1/tenants/:t/sessions',
    {
      schema: {
        tags,
        summary: 'Live sessions (seat holders)',
        params: TenantParams,
        querystring: SessionListQuery,
        response: { 200: SessionList, ...errorResponses },
      },
    },
    async (req) => ({ items: await sessions.list(contextOf(req), req.params.t, req.query.userId), nextCursor: null }),
  );

  app.delete(
    '/v1/tenants/:t/sessions/:id',
    {
      schema: {
        tags,
        summary: 'Forced logout of one session (users:edit)',
        params: TenantItemParams,
        response: { 204: { type: 'null' } as const, ...errorResponses },
      },
    },
    async (req, reply) => {
      await sessions.end(contextOf(req), req.params.t, req.params.id);
      return reply.status(204).send();
    },
  );

  app.delete(
    '/v1/tenants/:t/users/:u/sessions',
    {
      schema: {
        tags,
        summary: 'Forced logout of every session of a user (users:edit)',
        params: TenantUserParams,
        response: { 200: Type.Object({ ended: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => ({ ended: await sessions.endForUser(contextOf(req), req.params.t, req.params.u) }),
  );

  app.post(
    '/v1/tenants/:t/users/:u/sessions',
    {
      schema: {
        tags,
        summary: 'Provider support: open a seat-checked session for a user without their password (audited)',
        params: TenantUserParams,
        body: Type.Object(
          { audience: Type.Union([Type.Literal('portal'), Type.Literal('app')]) },
          { additionalProperties: false },
        ),
        response: { 201: LoginResult, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = contextOf(req);
      if (ctx.actor.kind !== 'provider')
        throw new AppError('provider_only', "opening a session for a user is the provider's alone");
      const s = await auth.openSessionFor(ctx, req.params.t, req.params.u, req.body.audience);
      return reply.status(201).send({
        token: s.token,
        sessionId: s.sessionId,
        userId: s.userId,
        tenantId: s.tenantId,
        expiresAt: s.expiresAt,
      });
    },
  );
}
