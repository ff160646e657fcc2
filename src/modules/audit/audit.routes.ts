import { Readable } from 'node:stream';
import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import type { AuditService } from './audit.service.js';
import { AuditPage, AuditQuery, AuditVerification } from './audit.schemas.js';

/** AU1: the audit log, newest first, a verification of its hash chain and its export. No route edits it. */
export function registerAuditRoutes(app: Api, audit: AuditService): void {
  const tags = ['Audit'];
  app.get(
    '/v1/tenants/:t/audit',
    {
      schema: {
        tags,
        summary: 'Audit entries, newest first',
        params: TenantParams,
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errorResponses },
      },
    },
    async (req) => audit.list(contextOf(req), req.params.t, req.query),
  );
  app.get(
    '/v1/tenants/:t/audit/verify',
    {
      schema: {
        tags,
        summary: "Recompute the tenant's hash chain",
        params: TenantParams,
        response: { 200: AuditVerification, ...errorResponses },
      },
    },
    async (req) => audit.verify(contextOf(req), req.params.t),
  );
  app.get(
    '/v1/tenants/:t/audit/export',
    {
      schema: {
        tags,
        summary: 'The whole audit chain as NDJSON, oldest first, with its hashes (verifiable offline)',
        params: TenantParams,
        produces: ['application/x-ndjson'],
        response: { 200: { type: 'string', description: 'one entry per line' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const lines = await audit.export(contextOf(req), req.params.t);
      return reply
        .type('application/x-ndjson')
        .header(
          'content-disposition',
          `attachment; filename="audit-${req.params.t.replace(/[^A-Za-z0-9_-]/g, '_')}.ndjson"`,
        )
        .send(Readable.from(lines));
    },
  );
}
