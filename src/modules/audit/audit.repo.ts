import type { Selectable } from 'kysely';
import type { Executor, Tx } from '../../db/database.js';
import { groupBy } from '../../infra/collections.js';
import { sha256Hex } from '../../infra/crypto.js';
import type { AuditLogTable } from '../../db/schema.js';

/** One audit entry as services describe it (AU1); chaining and timestamps are added on append. */
export interface AuditInput {
  tenantId: string | null;
  actorType: string;
  actorId: string | null;
  credential: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
  requestId: string | null;
  clientAddr: string | null;
}

export interface AuditEntry extends AuditInput {
  id: number;
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);
const CHUNK = 500;

/** Stable JSON (sorted keys) so a hash can be recomputed by anyone auditing the chain. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/** The hash of an entry: SHA-256 over the previous hash and the entry's canonical content. */
export function hashEntry(prevHash: string, e: Omit<AuditEntry, 'id' | 'hash' | 'prevHash'>): string {
  return sha256Hex(prevHash + canonicalJson({ ...e, before: e.before ?? null, after: e.after ?? null }));
}

/**
 * Appends entries, chaining each to the previous one of its tenant's chain. The chain head row is
 * locked for the rest of the transaction, so concurrent writers of one tenant chain in commit order.
 */
export async function appendAudit(tx: Tx, entries: AuditInput[]): Promise<void> {
  const byChain = groupBy(entries, (e) => e.tenantId ?? '-');
  for (const [chain, list] of [...byChain].sort(([a], [b]) => a.localeCompare(b))) {
    await tx
      .insertInto('audit_heads')
      .values({ chain, seq: 0, hash: GENESIS })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const head = await tx
      .selectFrom('audit_heads')
      .select(['seq', 'hash'])
      .where('chain', '=', chain)
      .forUpdate()
      .executeTakeFirstOrThrow();
    let seq = Number(head.seq);
    let prev = head.hash;
    const at = new Date().toISOString();
    const rows = list.map((e) => {
      seq += 1;
      const content = { ...e, seq, at };
      const hash = hashEntry(prev, content);
      const row = {
        chain,
        seq,
        tenant_id: e.tenantId,
        at,
        actor_type: e.actorType,
        actor_id: e.actorId,
        credential: e.credential,
        action: e.action,
        target_type: e.targetType,
        target_id: e.targetId,
        before: e.before === undefined ? null : JSON.stringify(e.before),
        after: e.after === undefined ? null : JSON.stringify(e.after),
        request_id: e.requestId,
        client_addr: e.clientAddr,
        prev_hash: prev,
        hash,
      };
      prev = hash;
      return row;
    });
    for (let i = 0; i < rows.length; i += CHUNK)
      await tx
        .insertInto('audit_log')
        .values(rows.slice(i, i + CHUNK))
        .execute();
    await tx.updateTable('audit_heads').set({ seq, hash: prev }).where('chain', '=', chain).execute();
  }
}

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

/**
 * Recomputes the hashes of consecutive entries of a chain, starting after `prevHash` (the genesis
 * for the first page). Returns the seq of the first broken link (or null) and the last hash.
 */
export function verifyChain(entries: AuditEntry[], prevHash = GENESIS): { brokenAt: number | null; lastHash: string } {
  let prev = prevHash;
  for (const e of entries) {
    const { id: _id, hash, prevHash: linked, ...content } = e;
    if (linked !== prev || hashEntry(prev, content) !== hash) return { brokenAt: e.seq, lastHash: prev };
    prev = hash;
  }
  return { brokenAt: null, lastHash: prev };
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
    clientAddr: r.client_addr,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
