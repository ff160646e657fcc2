import { Type } from '@sinclair/typebox';
import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import { usageCsv, type UsageService } from './usage.service.js';
import { TenantUsage, Usage, UsageOverviewQuery } from './usage.schemas.js';

export function registerUsageRoutes(app: Api, usage: UsageService): void {
  app.get(
    '/v1/usage',
    {
      schema: {
        tags: ['Usage'],
        summary: "Every tenant's licences against caps and seats (provider); ?format=csv for a spreadsheet",
        description:
          "A browser link (the portal's Usage CSV) authenticates with `?ticket=`: a single-use ticket from " +
          '`POST /v1/stream/tickets` with `{"resource": "/v1/usage"}`, asked for with the provider token.',
        querystring: UsageOverviewQuery,
        response: { 200: Type.Object({ items: Type.Array(TenantUsage) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const rows = await usage.all(contextOf(req));
      if (req.query.format !== 'csv') return { items: rows };
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="usage.csv"')
        .serializer((s: string) => s)
        .send(usageCsv(rows) as never);
    },
  );

  app.get(
    '/v1/tenants/:t/usage',
    {
      schema: {
        tags: ['Usage'],
        summary: 'Licence usage against caps, seats in use and peak (provider, or billing:edit holders)',
        params: TenantParams,
        response: { 200: Usage, ...errorResponses },
      },
    },
    async (req) => usage.tenant(contextOf(req), req.params.t),
  );
}
