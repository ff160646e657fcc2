import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import { etag } from '../../infra/versioning.js';
import { User } from '../users/users.schemas.js';
import { ResetFieldBody, Snapshot, SnapshotQuery, SnapshotResult } from './platform.schemas.js';
import type { PlatformService } from './platform.service.js';

/** A snapshot of 100,000 users is tens of megabytes of JSON. */
const SNAPSHOT_BODY_LIMIT = 256 * 1024 * 1024;

export function registerPlatformRoutes(app: Api, platform: PlatformService): void {
  app.put(
    '/v1/tenants/:t/platform/snapshot',
    {
      bodyLimit: SNAPSHOT_BODY_LIMIT,
      schema: {
        tags: ['Platform sync'],
        summary: "Apply a full snapshot of the phone system's users and queues (P1); dryRun returns the diff",
        params: TenantParams,
        querystring: SnapshotQuery,
        body: Snapshot,
        response: { 200: SnapshotResult, ...errorResponses },
      },
    },
    async (req) => platform.applySnapshot(contextOf(req), req.params.t, req.body, req.query.dryRun ?? false),
  );
  app.post(
    '/v1/tenants/:t/users/:id/reset-field',
    {
      schema: {
        tags: ['Users'],
        summary:
          "Return a platform user's display name or email to the phone system's value, ending the portal's override (P4); If-Match for optimistic concurrency",
        params: TenantItemParams,
        body: ResetFieldBody,
        response: { 200: User, ...errorResponses },
      },
    },
    async (req, reply) => {
      const u = await platform.resetField(
        contextOf(req),
        req.params.t,
        req.params.id,
        req.body.field,
        req.headers['if-match'],
      );
      return reply.header('etag', etag(u.version)).send(u);
    },
  );
}
