import { Type } from '@sinclair/typebox';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import { etag } from '../../infra/versioning.js';
import { Plan, PlanCreate, PlanParams, PlanPatch } from './plans.schemas.js';
import type { PlansService } from './plans.service.js';

const tags = ['Plans'];

/** `GET, POST /v1/plans`, `GET, PATCH /v1/plans/{plan}` (SPEC 7: the provider defines plans; a tenant reads its own). */
export function registerPlanRoutes(app: Api, plans: PlansService): void {
  app.get(
    '/v1/plans',
    {
      schema: {
        tags,
        summary: "Plans: every plan for the provider, the tenant's own plan for its users and API tokens",
        response: { 200: Type.Object({ items: Type.Array(Plan), nextCursor: Type.Null() }), ...errorResponses },
      },
    },
    async (req) => ({ items: await plans.list(contextOf(req)), nextCursor: null }),
  );
  app.post(
    '/v1/plans',
    {
      schema: {
        tags,
        summary: 'Define a plan (provider only): a key, a name and its features',
        body: PlanCreate,
        response: { 201: Plan, ...errorResponses },
      },
    },
    async (req, reply) => {
      const plan = await plans.create(contextOf(req), req.body);
      return reply.status(201).header('etag', etag(plan.version)).send(plan);
    },
  );
  app.get(
    '/v1/plans/:plan',
    { schema: { tags, summary: 'Read a plan', params: PlanParams, response: { 200: Plan, ...errorResponses } } },
    async (req, reply) => {
      const plan = await plans.get(contextOf(req), req.params.plan);
      return reply.header('etag', etag(plan.version)).send(plan);
    },
  );
  app.patch(
    '/v1/plans/:plan',
    {
      schema: {
        tags,
        summary:
          "Change a provider's plan (name, features); every tenant on it gets the change at once (D2). Built-in plans are read-only (plan_builtin)",
        params: PlanParams,
        body: PlanPatch,
        response: { 200: Plan, ...errorResponses },
      },
    },
    async (req, reply) => {
      const plan = await plans.patch(contextOf(req), req.params.plan, req.body, req.headers['if-match']);
      return reply.header('etag', etag(plan.version)).send(plan);
    },
  );
}
