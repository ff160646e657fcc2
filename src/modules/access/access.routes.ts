import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import {
  AccessAnswer,
  type AnyCheckAnswer,
  CheckAnswerSchema,
  CheckBody,
  EffectiveConfigSchema,
  MinVersionQuery,
} from './access.schemas.js';
import type { AccessService } from './access.service.js';

export function registerAccessRoutes(app: Api, access: AccessService): void {
  const tags = ['Access'];
  app.get(
    '/v1/tenants/:t/users/:id/access',
    {
      schema: {
        tags,
        summary: 'Every capability with allowed, grantedBy and blockedBy (X1)',
        params: TenantItemParams,
        querystring: MinVersionQuery,
        response: { 200: AccessAnswer, ...errorResponses },
      },
    },
    async (req) => access.explain(contextOf(req), req.params.t, req.params.id, req.query.minVersion),
  );
  app.get(
    '/v1/tenants/:t/users/:id/config',
    {
      schema: {
        tags,
        summary: 'The effective configuration of a user',
        params: TenantItemParams,
        querystring: MinVersionQuery,
        response: { 200: EffectiveConfigSchema, ...errorResponses },
      },
    },
    async (req) => access.config(contextOf(req), req.params.t, req.params.id, req.query.minVersion),
  );
  app.post(
    '/v1/tenants/:t/check',
    {
      schema: {
        tags,
        summary: 'Check one or many {userId, capability, resource?} (X2); up to 1,000 per call',
        params: TenantParams,
        body: CheckBody,
        response: { 200: CheckAnswerSchema, ...errorResponses },
      },
    },
    // The answer's JSON text is built from the snapshot's explanations (the schema above documents it).
    async (req, reply) => {
      const json = await access.checkJson(contextOf(req), req.params.t, req.body);
      return reply.type('application/json; charset=utf-8').send(json as unknown as AnyCheckAnswer);
    },
  );
}
