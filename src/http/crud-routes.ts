import { Type, type TObject, type TSchema, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Api } from './types.js';
import { contextOf } from './authenticate.js';
import { Cursor, errorResponses, Limit, Page, TenantItemParams, TenantParams } from './common-schemas.js';
import type { RequestContext } from '../infra/context.js';
import { etag } from '../infra/versioning.js';

/** What a tenant-scoped collection's service offers; the routes stay thin around it. */
export interface CrudService<Item extends { version: number }, Create, Patch, DeleteQuery = Record<string, never>> {
  list(
    ctx: RequestContext,
    tenantId: string,
    opts: { cursor?: string; limit: number },
  ): Promise<{ items: Item[]; nextCursor: string | null }>;
  get(ctx: RequestContext, tenantId: string, id: string): Promise<Item>;
  create(ctx: RequestContext, tenantId: string, input: Create): Promise<Item>;
  patch(ctx: RequestContext, tenantId: string, id: string, input: Patch, ifMatch?: string): Promise<Item>;
  remove(ctx: RequestContext, tenantId: string, id: string, ifMatch?: string, query?: DeleteQuery): Promise<void>;
}

export interface CrudSchemas<I extends TSchema, C extends TSchema, P extends TSchema, D extends TObject> {
  item: I;
  create: C;
  patch: P;
  deleteQuery?: D;
}

/** `GET, POST /v1/tenants/{t}/<path>` and `GET, PATCH, DELETE /v1/tenants/{t}/<path>/{id}`, with ETags (E3). */
export function registerCrudRoutes<I extends TSchema, C extends TSchema, P extends TSchema, D extends TObject>(
  app: Api,
  path: string,
  tag: string,
  schemas: CrudSchemas<I, C, P, D>,
  service: CrudService<Static<I> & { version: number }, Static<C>, Static<P>, Static<D>>,
): void {
  // Generic over its schemas, so it registers on the untyped instance; the schemas still validate and serialise.
  const r = app as unknown as FastifyInstance;
  type Req = FastifyRequest<{
    Params: { t: string; id: string };
    Querystring: { cursor?: string; limit?: number };
    Body: unknown;
    Headers: { 'if-match'?: string };
  }>;
  const tags = [tag];
  const base = `/v1/tenants/:t/${path}`;
  r.get(
    base,
    {
      schema: {
        tags,
        summary: `List ${path}`,
        params: TenantParams,
        querystring: Type.Object({ cursor: Cursor, limit: Limit }),
        response: { 200: Page(schemas.item), ...errorResponses },
      },
    },
    async (req: Req) =>
      service.list(contextOf(req), req.params.t, { cursor: req.query.cursor, limit: req.query.limit ?? 50 }),
  );
  r.post(
    base,
    {
      schema: {
        tags,
        summary: `Create in ${path}`,
        params: TenantParams,
        body: schemas.create,
        response: { 201: schemas.item, ...errorResponses },
      },
    },
    async (req: Req, reply) => {
      const out = await service.create(contextOf(req), req.params.t, req.body);
      return reply.status(201).header('etag', etag(out.version)).send(out);
    },
  );
  r.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Read one of ${path}`,
        params: TenantItemParams,
        response: { 200: schemas.item, ...errorResponses },
      },
    },
    async (req: Req, reply) => {
      const out = await service.get(contextOf(req), req.params.t, req.params.id);
      return reply.header('etag', etag(out.version)).send(out);
    },
  );
  r.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Change one of ${path} (If-Match for optimistic concurrency)`,
        params: TenantItemParams,
        body: schemas.patch,
        response: { 200: schemas.item, ...errorResponses },
      },
    },
    async (req: Req, reply) => {
      const out = await service.patch(contextOf(req), req.params.t, req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', etag(out.version)).send(out);
    },
  );
  r.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Delete one of ${path}`,
        params: TenantItemParams,
        ...(schemas.deleteQuery ? { querystring: schemas.deleteQuery } : {}),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req: Req, reply) => {
      await service.remove(contextOf(req), req.params.t, req.params.id, req.headers['if-match'], req.query);
      return reply.status(204).send();
    },
  );
}
