import { Type, type Static } from '@sinclair/typebox';
import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { BILLABLE_KEYS } from '../../catalog/licences.js';
import { requireCapability } from '../access/actor-access.js';
import { countSeatHolders, countSeatHoldersByTenant } from '../sessions/sessions.repo.js';
import { findTenant } from '../tenants/tenants.repo.js';
import { countBillable, countBillableByTenant } from '../users/users.repo.js';
import { seatHistory } from './usage.repo.js';

const Usage = Type.Object(
  {
    licences: Type.Record(
      Type.String(),
      Type.Object({ assigned: Type.Integer(), cap: Type.Union([Type.Integer(), Type.Null()]) }),
    ),
    seats: Type.Object({
      inUse: Type.Integer(),
      limit: Type.Union([Type.Integer(), Type.Null()]),
      peak: Type.Integer(),
      history: Type.Array(Type.Object({ at: Type.String(), inUse: Type.Integer() }), {
        description: 'seats in use over the last 24 hours, every 15 minutes',
      }),
    }),
  },
  { $id: 'Usage' },
);

/** B1: each licence (one per supervisor level too) against its cap, and seats in use with the peak. */
export async function readUsage(deps: ServiceDeps, ctx: RequestContext, tenantId: string) {
  await requireCapability(deps.db, ctx, tenantId, 'billing:edit', 'B1');
  const tenant = await findTenant(deps.db, tenantId);
  if (!tenant) throw notFound('tenant');
  const [assigned, inUse, history] = await Promise.all([
    countBillable(deps.db, tenantId),
    countSeatHolders(deps.db, tenantId),
    seatHistory(deps.db, tenantId, 24, 15),
  ]);
  return {
    licences: Object.fromEntries(
      BILLABLE_KEYS.map((k) => [k, { assigned: assigned[k], cap: tenant.licence_pools[k] ?? null }]),
    ),
    seats: { inUse, limit: tenant.seats, peak: Math.max(tenant.seats_peak, inUse), history },
  };
}

const TenantUsage = Type.Object({
  tenantId: Type.String(),
  name: Type.String(),
  licences: Type.Record(
    Type.String(),
    Type.Object({ assigned: Type.Integer(), cap: Type.Union([Type.Integer(), Type.Null()]) }),
  ),
  seats: Type.Object({ inUse: Type.Integer(), limit: Type.Union([Type.Integer(), Type.Null()]), peak: Type.Integer() }),
});
type TenantUsage = Static<typeof TenantUsage>;

/** B1: the provider's overview, every tenant's licences against caps and seats, in three queries. */
export async function readAllUsage(deps: ServiceDeps, ctx: RequestContext): Promise<TenantUsage[]> {
  if (ctx.actor.kind !== 'provider')
    throw new AppError('provider_only', "the usage of all tenants is the provider's alone", { rule: 'B1' });
  const [tenants, assigned, seats] = await Promise.all([
    deps.db
      .selectFrom('tenants')
      .select(['id', 'name', 'licence_pools', 'seats', 'seats_peak'])
      .orderBy('name')
      .orderBy('id')
      .execute(),
    countBillableByTenant(deps.db),
    countSeatHoldersByTenant(deps.db),
  ]);
  return tenants.map((t) => {
    const counts = assigned.get(t.id);
    const inUse = seats.get(t.id) ?? 0;
    return {
      tenantId: t.id,
      name: t.name,
      licences: Object.fromEntries(
        BILLABLE_KEYS.map((k) => [k, { assigned: counts?.[k] ?? 0, cap: t.licence_pools[k] ?? null }]),
      ),
      seats: { inUse, limit: t.seats, peak: Math.max(t.seats_peak, inUse) },
    };
  });
}

/** One row per tenant; a cap column is empty when the licence is unlimited. */
export function usageCsv(rows: TenantUsage[]): string {
  const cell = (v: string | number | null) =>
    v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
  const header = [
    'tenant_id',
    'name',
    ...BILLABLE_KEYS.flatMap((k) => [`${k}_assigned`, `${k}_cap`]),
    'seats_in_use',
    'seats_limit',
    'seats_peak',
  ];
  const lines = rows.map((r) =>
    [
      r.tenantId,
      r.name,
      ...BILLABLE_KEYS.flatMap((k) => [r.licences[k]!.assigned, r.licences[k]!.cap]),
      r.seats.inUse,
      r.seats.limit,
      r.seats.peak,
    ]
      .map(cell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

export function registerUsageRoutes(app: Api, deps: ServiceDeps): void {
  app.get(
    '/v1/usage',
    {
      schema: {
        tags: ['Usage'],
        summary: "Every tenant's licences against caps and seats (provider); ?format=csv for a spreadsheet",
        querystring: Type.Object(
          { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(TenantUsage) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const rows = await readAllUsage(deps, contextOf(req));
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
    async (req) => readUsage(deps, contextOf(req), req.params.t),
  );
}
