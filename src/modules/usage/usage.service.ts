import { BILLABLE_KEYS } from '../../catalog/licences.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { requireCapability } from '../access/actor-access.js';
import { countSeatHolders, countSeatHoldersByTenant } from '../sessions/sessions.repo.js';
import { findTenant } from '../tenants/tenants.repo.js';
import { countBillable, countBillableByTenant } from '../users/users.repo.js';
import { countDataProducers, listTenantsForUsage, seatHistory } from './usage.repo.js';
import type { TenantUsage, Usage } from './usage.schemas.js';

/** B1: licences against their caps and seats in use, for one tenant or (the provider) for all. */
export class UsageService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Each licence (one per supervisor level too) against its cap; seats in use, the peak and 24 hours of history. */
  async tenant(ctx: RequestContext, tenantId: string): Promise<Usage> {
    await requireCapability(this.deps.db, ctx, tenantId, 'billing:edit', 'B1');
    const tenant = await findTenant(this.deps.db, tenantId);
    if (!tenant) throw notFound('tenant');
    const [assigned, inUse, history, producers] = await Promise.all([
      countBillable(this.deps.db, tenantId),
      countSeatHolders(this.deps.db, tenantId),
      seatHistory(this.deps.db, tenantId, 24, 15),
      countDataProducers(this.deps.db, thisMonth(), tenantId),
    ]);
    const withData = producers.get(tenantId);
    return {
      licences: Object.fromEntries(
        BILLABLE_KEYS.map((k) => [
          k,
          { assigned: assigned[k], cap: tenant.licence_pools[k] ?? null, ...dataOf(k, withData) },
        ]),
      ),
      seats: { inUse, limit: tenant.seats, peak: Math.max(tenant.seats_peak, inUse), history },
    };
  }

  /** The provider's overview: every tenant's licences against caps and seats, in three queries. */
  async all(ctx: RequestContext): Promise<TenantUsage[]> {
    if (ctx.actor.kind !== 'provider')
      throw new AppError('provider_only', "the usage of all tenants is the provider's alone", { rule: 'B1' });
    const [tenants, assigned, seats, producers] = await Promise.all([
      listTenantsForUsage(this.deps.db),
      countBillableByTenant(this.deps.db),
      countSeatHoldersByTenant(this.deps.db),
      countDataProducers(this.deps.db, thisMonth()),
    ]);
    return tenants.map((t) => {
      const counts = assigned.get(t.id);
      const inUse = seats.get(t.id) ?? 0;
      return {
        tenantId: t.id,
        name: t.name,
        licences: Object.fromEntries(
          BILLABLE_KEYS.map((k) => [
            k,
            { assigned: counts?.[k] ?? 0, cap: t.licence_pools[k] ?? null, ...dataOf(k, producers.get(t.id)) },
          ]),
        ),
        seats: { inUse, limit: t.seats, peak: Math.max(t.seats_peak, inUse) },
      };
    });
  }
}

/** The current month, `YYYY-MM` in UTC (the month of usage's data counts). */
const thisMonth = () => new Date().toISOString().slice(0, 7);

/** B1: beside Essential and the Agent add-on, how many of the tenant's users produced data this month. */
function dataOf(key: string, producers: { essential: number; agent: number } | undefined): { withData?: number } {
  return dataLicence(key) ? { withData: producers?.[key] ?? 0 } : {};
}

/** The licences that store data (CD1): Essential (calls) and the Agent add-on (agent events). */
const dataLicence = (key: string): key is 'essential' | 'agent' => key === 'essential' || key === 'agent';

/** One row per tenant; a cap column is empty when the licence is unlimited. */
export function usageCsv(rows: TenantUsage[]): string {
  const cell = (v: string | number | null) =>
    v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
  const header = [
    'tenant_id',
    'name',
    ...BILLABLE_KEYS.flatMap((k) => [`${k}_assigned`, `${k}_cap`, ...(dataLicence(k) ? [`${k}_with_data`] : [])]),
    'seats_in_use',
    'seats_limit',
    'seats_peak',
  ];
  const lines = rows.map((r) =>
    [
      r.tenantId,
      r.name,
      ...BILLABLE_KEYS.flatMap((k) => [
        r.licences[k]!.assigned,
        r.licences[k]!.cap,
        ...(dataLicence(k) ? [r.licences[k]!.withData ?? 0] : []),
      ]),
      r.seats.inUse,
      r.seats.limit,
      r.seats.peak,
    ]
      .map(cell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
