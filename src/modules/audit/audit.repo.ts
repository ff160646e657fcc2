import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AuditLogTable } from '../../db/schema.js';
import type { ChainedEntry } from '../../infra/audit-chain.js';

/** An entry as the API answers it: the chained entry, as stored. */
export type AuditEntry = ChainedEntry;

export interface AuditFilter {
  tenantId: string;
  target?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  /** Entries with an id below this one (newest first). */
  beforeId?: number;
  limit: number;
}

export async function listAudit(db: Executor, f: AuditFilter): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', f.tenantId);
  if (f.target) q = q.where('target_id', '=', f.target);
  if (f.actor) q = q.where('actor_id', '=', f.actor);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.from) q = q.where('at', '>=', new Date(f.from));
  if (f.to) q = q.where('at', '<', new Date(f.to));
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map(toEntry);
}

/** Reads a tenant's chain in order, a page at a time (for verification and export: chains grow large). */
export async function* readChain(db: Executor, tenantId: string, pageSize = 5000): AsyncGenerator<AuditEntry[]> {
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('chain', '=', tenantId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows.map(toEntry);
    after = Number(rows[rows.length - 1]!.seq);
  }
}

function toEntry(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: Number(r.id),
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    tenantId: r.tenant_id,
    actorType: r.actor_type,
    actorId: r.actor_id,
    credential: r.credential,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: r.before,
    after: r.after,
    requestId: r.request_id,
    ...(r.client_request_id !== null && { clientRequestId: r.client_request_id }),
    clientAddr: r.client_addr,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
