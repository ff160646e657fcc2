import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import { etag } from '../../infra/versioning.js';
import type { RolePermissionsService } from './role-permissions.service.js';
import { RolePermissionsAnswer, RolePermissionsBody } from './role-permissions.schemas.js';

export function registerRolePermissionRoutes(app: Api, service: RolePermissionsService): void {
  const tags = ['Contact center'];
  app.get(
    '/v1/tenants/:t/role-permissions',
    {
      schema: {
        tags,
        summary: 'Role permissions (Organisation, Supervisor, Agent)',
        params: TenantParams,
        response: { 200: RolePermissionsAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await service.get(contextOf(req), req.params.t);
      return reply.header('etag', etag(out.version)).send(out);
    },
  );
  app.put(
    '/v1/tenants/:t/role-permissions',
    {
      schema: {
        tags,
        summary: 'Replace the role permissions (cc:admin, C7); viewQueueSettings stays on',
        params: TenantParams,
        body: RolePermissionsBody,
        response: { 200: RolePermissionsAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const out = await service.put(contextOf(req), req.params.t, req.body, req.headers['if-match']);
      return reply.header('etag', etag(out.version)).send(out);
    },
  );
}
