import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { LAPSE_SECONDS } from '../sessions/sessions.repo.js';

/**
 * Seats in use over the last `hours`, one point per `stepMinutes`, derived from the sessions
 * themselves (a session holds its seat from creation until it ends or lapses), so no sampler is needed.
 */
export async function seatHistory(
  db: Executor,
  tenantId: string,
  hours: number,
  stepMinutes: number,
): Promise<Array<{ at: string; inUse: number }>> {
  const r = await sql<{ at: Date; in_use: number }>`
    select g.at, count(distinct s.user_id)::int as in_use
    from generate_series(now() - make_interval(hours => ${hours}::int), now(), make_interval(mins => ${stepMinutes}::int)) as g(at)
    left join sessions s on s.tenant_id = ${tenantId} and s.created_at <= g.at
      and coalesce(s.ended_at, s.last_seen_at + coalesce(s.lapse_seconds, case s.audience when 'app' then ${LAPSE_SECONDS.app}::int else ${LAPSE_SECONDS.portal}::int end) * interval '1 second') > g.at
    group by g.at order by g.at`.execute(db);
  return r.rows.map((row) => ({ at: new Date(row.at).toISOString(), inUse: Number(row.in_use) }));
}

/** Every tenant's name, pools and seats, for the provider's overview (B1). */
export async function listTenantsForUsage(db: Executor) {
  return db
    .selectFrom('tenants')
    .select(['id', 'name', 'licence_pools', 'seats', 'seats_peak'])
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** Users who produced modelled data in a month (`YYYY-MM`, UTC), per data licence; for one tenant or all. */
export async function countDataProducers(
  db: Executor,
  month: string,
  tenantId?: string,
): Promise<Map<string, { essential: number; agent: number }>> {
  const r = await sql<{ tenant_id: string; essential: number; agent: number }>`
    select tenant_id, count(*) filter (where licence = 'essential')::int as essential,
      count(*) filter (where licence = 'agent')::int as agent
    from call_data_producers where month = ${month} ${tenantId ? sql`and tenant_id = ${tenantId}` : sql``}
    group by tenant_id`.execute(db);
  return new Map(r.rows.map((row) => [row.tenant_id, { essential: row.essential, agent: row.agent }]));
}
