import { Type } from '@sinclair/typebox';
import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { Cursor, errorResponses, Limit, Page, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import { etag } from '../../infra/versioning.js';
import { Named, NamedInput } from './named.schemas.js';
import type { NamedService } from './named.service.js';

/** `/v1/tenants/{t}/<path>` CRUD for one named kind (groups, workspaces). */
export function registerNamedRoutes(app: Api, path: string, tag: string, service: NamedService): void {
  const tags = [tag];
  const base = `/v1/tenants/:t/${path}`;
  app.get(base, { schema: { tags, params: TenantParams, querystring: Type.Object({ cursor: Cursor, limit: Limit }), response: { 200: Page(Named), ...errorResponses } } },
    async (req) => service.list(contextOf(req), req.params.t, { cursor: req.query.cursor, limit: req.query.limit ?? 50 }));
  app.post(base, { schema: { tags, params: TenantParams, body: NamedInput, response: { 201: Named, ...errorResponses } } },
    async (req, reply) => {
      const out = await service.create(contextOf(req), req.params.t, req.body);
      return reply.status(201).header('etag', etag(out.version)).send(out);
    });
  app.get(`${base}/:id`, { schema: { tags, params: TenantItemParams, response: { 200: Named, ...errorResponses } } },
    async (req, reply) => {
      const out = await service.get(contextOf(req), req.params.t, req.params.id);
      return reply.header('etag', etag(out.version)).send(out);
    });
  app.patch(`${base}/:id`, { schema: { tags, params: TenantItemParams, body: NamedInput, response: { 200: Named, ...errorResponses } } },
    async (req, reply) => {
      const out = await service.rename(contextOf(req), req.params.t, req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', etag(out.version)).send(out);
    });
  app.delete(`${base}/:id`, { schema: { tags, params: TenantItemParams, response: { 204: { type: 'null' }, ...errorResponses } } },
    async (req, reply) => {
      await service.remove(contextOf(req), req.params.t, req.params.id, req.headers['if-match']);
      return reply.status(204).send();
    });
}
