import { Type } from '@sinclair/typebox';
import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { notFound } from '../../infra/errors.js';
import { BILLABLE_KEYS } from '../../catalog/licences.js';
import { requireCapability } from '../access/actor-access.js';
import { countSeatHolders } from '../sessions/sessions.repo.js';
import { findTenant } from '../tenants/tenants.repo.js';
import { countBillable } from '../users/users.repo.js';
import { seatHistory } from './usage.repo.js';

const Usage = Type.Object({
  licences: Type.Record(Type.String(), Type.Object({ assigned: Type.Integer(), cap: Type.Union([Type.Integer(), Type.Null()]) })),
  seats: Type.Object({
    inUse: Type.Integer(), limit: Type.Union([Type.Integer(), Type.Null()]), peak: Type.Integer(),
    history: Type.Array(Type.Object({ at: Type.String(), inUse: Type.Integer() }), { description: 'seats in use over the last 24 hours, every 15 minutes' }),
  }),
}, { $id: 'Usage' });

/** B1: each licence (one per supervisor level too) against its cap, and seats in use with the peak. */
export async function readUsage(deps: ServiceDeps, ctx: RequestContext, tenantId: string) {
  await requireCapability(deps.db, ctx, tenantId, 'billing:edit', 'B1');
  const tenant = await findTenant(deps.db, tenantId);
  if (!tenant) throw notFound('tenant');
  const [assigned, inUse, history] = await Promise.all([
    countBillable(deps.db, tenantId), countSeatHolders(deps.db, tenantId), seatHistory(deps.db, tenantId, 24, 15),
  ]);
  return {
    licences: Object.fromEntries(BILLABLE_KEYS.map((k) => [k, { assigned: assigned[k], cap: tenant.licence_pools[k] ?? null }])),
    seats: { inUse, limit: tenant.seats, peak: Math.max(tenant.seats_peak, inUse), history },
  };
}

export function registerUsageRoutes(app: Api, deps: ServiceDeps): void {
  app.get('/v1/tenants/:t/usage', {
    schema: { tags: ['Usage'], summary: 'Licence usage against caps, seats in use and peak (provider, or billing:edit holders)', params: TenantParams, response: { 200: Usage, ...errorResponses } },
  }, async (req) => readUsage(deps, contextOf(req), req.params.t));
}
