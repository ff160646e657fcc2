import { Type } from '@sinclair/typebox';
import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import { etag } from '../../infra/versioning.js';
import { ChangePreview } from './users-preview.schemas.js';
import { User, UserCreate, UserListQuery, UserPage, UserPatch } from './users.schemas.js';
import type { UsersService } from './users.service.js';

const PatchQuery = Type.Object({
  dryRun: Type.Optional(
    Type.Boolean({ default: false, description: 'answer with the preview of the change and write nothing' }),
  ),
});

export function registerUserRoutes(app: Api, users: UsersService): void {
  const tags = ['Users'];
  app.get(
    '/v1/tenants/:t/users',
    {
      schema: {
        tags,
        summary: 'A page of users, with search and filters',
        params: TenantParams,
        querystring: UserListQuery,
        response: { 200: UserPage, ...errorResponses },
      },
    },
    async (req) => users.list(contextOf(req), req.params.t, req.query),
  );
  app.post(
    '/v1/tenants/:t/users',
    {
      schema: {
        tags,
        summary: 'Create a manual (portal-only) user',
        params: TenantParams,
        body: UserCreate,
        response: { 201: User, ...errorResponses },
      },
    },
    async (req, reply) => {
      const u = await users.create(contextOf(req), req.params.t, req.body);
      return reply.status(201).header('etag', etag(u.version)).send(u);
    },
  );
  app.get(
    '/v1/tenants/:t/users/:id',
    {
      schema: { tags, summary: 'Read a user', params: TenantItemParams, response: { 200: User, ...errorResponses } },
    },
    async (req, reply) => {
      const u = await users.get(contextOf(req), req.params.t, req.params.id);
      return reply.header('etag', etag(u.version)).send(u);
    },
  );
  app.patch(
    '/v1/tenants/:t/users/:id',
    {
      schema: {
        tags,
        summary: 'Change a user: objects merge, arrays and sets replace; If-Match for optimistic concurrency (E3)',
        description:
          'With `dryRun=true` nothing is written: the answer is the preview of the change (as `POST …/users/{id}/preview`, If-Match still checked).',
        params: TenantItemParams,
        querystring: PatchQuery,
        body: UserPatch,
        response: { 200: Type.Union([User, ChangePreview]), ...errorResponses },
      },
    },
    async (req, reply) => {
      const ifMatch = req.headers['if-match'];
      if (req.query.dryRun) return users.preview(contextOf(req), req.params.t, req.params.id, req.body, ifMatch);
      const u = await users.patch(contextOf(req), req.params.t, req.params.id, req.body, ifMatch);
      return reply.header('etag', etag(u.version)).send(u);
    },
  );
  app.post(
    '/v1/tenants/:t/users/preview',
    {
      schema: {
        tags,
        summary:
          'Preview creating a user: the user after it, automatic assignment (A1, A2), the billable impact and every rule it breaks; nothing is written',
        params: TenantParams,
        body: UserPatch,
        response: { 200: ChangePreview, ...errorResponses },
      },
    },
    async (req) => users.preview(contextOf(req), req.params.t, null, req.body),
  );
  app.post(
    '/v1/tenants/:t/users/:id/preview',
    {
      schema: {
        tags,
        summary:
          'Preview a change (a PATCH body): the user after it, automatic assignment (A1, A2, A4), the billable impact and every rule it breaks; nothing is written',
        params: TenantItemParams,
        body: UserPatch,
        response: { 200: ChangePreview, ...errorResponses },
      },
    },
    async (req) => users.preview(contextOf(req), req.params.t, req.params.id, req.body),
  );
  app.delete(
    '/v1/tenants/:t/users/:id',
    {
      schema: {
        tags,
        summary: 'Delete a manual user (platform users: 409 platform_user)',
        params: TenantItemParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      await users.remove(contextOf(req), req.params.t, req.params.id, req.headers['if-match']);
      return reply.status(204).send();
    },
  );
}
