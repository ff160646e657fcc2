import type { Insertable, Selectable, Updateable } from 'kysely';
import type { PlanFeature } from '../../catalog/plans.js';
import type { Executor } from '../../db/database.js';
import type { PlansTable } from '../../db/schema.js';

export type PlanRow = Selectable<PlansTable>;

/** Every plan, built-in ones first, then the provider's by key. */
export async function listPlans(db: Executor): Promise<PlanRow[]> {
  return db.selectFrom('plans').selectAll().orderBy('builtin', 'desc').orderBy('key').execute();
}

export async function findPlan(db: Executor, key: string, forUpdate = false): Promise<PlanRow | undefined> {
  let q = db.selectFrom('plans').selectAll().where('key', '=', key);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The features of a plan (empty for a key no plan has, which the foreign key of `tenants.plan` prevents). */
export async function findPlanFeatures(db: Executor, key: string): Promise<PlanFeature[]> {
  const row = await db.selectFrom('plans').select('features').where('key', '=', key).executeTakeFirst();
  return row?.features ?? [];
}

export async function insertPlan(db: Executor, row: Insertable<PlansTable>): Promise<PlanRow> {
  return db.insertInto('plans').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updatePlan(db: Executor, key: string, set: Updateable<PlansTable>): Promise<PlanRow> {
  return db.updateTable('plans').set(set).where('key', '=', key).returningAll().executeTakeFirstOrThrow();
}

/** Ids of the tenants on a plan, in id order (a plan change reaches each of them). */
export async function listTenantIdsOnPlan(db: Executor, key: string): Promise<string[]> {
  const rows = await db.selectFrom('tenants').select('id').where('plan', '=', key).orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** How many tenants each plan has (plans without tenants are absent). */
export async function countTenantsByPlan(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('tenants')
    .select(['plan', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('plan')
    .execute();
  return new Map(rows.map((r) => [r.plan, Number(r.n)]));
}
