import { Type } from '@sinclair/typebox';
import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { Cursor, errorResponses, Limit, Page, TenantParams } from '../../http/common-schemas.js';
import { etag } from '../../infra/versioning.js';
import { Tenant, TenantChanged, TenantCreate, TenantDeleted, TenantPatch } from './tenants.schemas.js';
import type { TenantsService } from './tenants.service.js';

export function registerTenantRoutes(app: Api, tenants: TenantsService): void {
  const tags = ['Tenants (provider)'];
  app.post(
    '/v1/tenants',
    { schema: { tags, summary: 'Create a tenant', body: TenantCreate, response: { 201: Tenant, ...errorResponses } } },
    async (req, reply) => {
      const t = await tenants.create(contextOf(req), req.body);
      return reply.status(201).header('etag', etag(t.version)).send(t);
    },
  );
  app.get(
    '/v1/tenants',
    {
      schema: {
        tags,
        summary: 'List tenants',
        querystring: Type.Object({ cursor: Cursor, limit: Limit }),
        response: { 200: Page(Tenant), ...errorResponses },
      },
    },
    async (req) => tenants.list(contextOf(req), { cursor: req.query.cursor, limit: req.query.limit ?? 50 }),
  );
  app.get(
    '/v1/tenants/:t',
    { schema: { tags, summary: 'Read a tenant', params: TenantParams, response: { 200: Tenant, ...errorResponses } } },
    async (req, reply) => {
      const t = await tenants.get(contextOf(req), req.params.t);
      return reply.header('etag', etag(t.version)).send(t);
    },
  );
  app.patch(
    '/v1/tenants/:t',
    {
      schema: {
        tags,
        summary:
          'Change a tenant (plan, pools, seats and policies: provider only, C8); lowering seats or a licence cap below use is saved with warnings (S5); dryRun=true writes nothing',
        params: TenantParams,
        querystring: Type.Object(
          {
            dryRun: Type.Optional(
              Type.Boolean({ description: 'answer the tenant and warnings after the change; write nothing' }),
            ),
          },
          { additionalProperties: false },
        ),
        body: TenantPatch,
        response: { 200: TenantChanged, ...errorResponses },
      },
    },
    async (req, reply) => {
      const t = await tenants.patch(contextOf(req), req.params.t, req.body, req.headers['if-match'], {
        dryRun: req.query.dryRun === true,
      });
      return reply.header('etag', etag(t.version)).send(t);
    },
  );
  for (const [action, summary] of [
    [
      'suspend',
      'Suspend a tenant (provider only): its sessions end, sign-ins and tokens are refused (tenant_suspended), data is kept',
    ],
    ['resume', 'Resume a suspended tenant (provider only): sign-ins and tokens work again'],
  ] as const) {
    app.post(
      `/v1/tenants/:t/${action}`,
      { schema: { tags, summary, params: TenantParams, response: { 200: Tenant, ...errorResponses } } },
      async (req, reply) => {
        const ctx = contextOf(req);
        const t =
          action === 'suspend' ? await tenants.suspend(ctx, req.params.t) : await tenants.resume(ctx, req.params.t);
        return reply.header('etag', etag(t.version)).send(t);
      },
    );
  }
  app.delete(
    '/v1/tenants/:t',
    {
      schema: {
        tags,
        summary:
          'Delete a suspended tenant and all its data in one transaction (provider only); an active tenant answers 409 tenant_not_suspended',
        params: TenantParams,
        response: { 200: TenantDeleted, ...errorResponses },
      },
    },
    async (req) => tenants.delete(contextOf(req), req.params.t),
  );
}
