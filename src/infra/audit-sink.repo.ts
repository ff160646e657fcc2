import type { Tx } from '../db/database.js';
import { GENESIS, hashEntry, type AuditInput } from './audit-chain.js';
import { groupBy } from './collections.js';

const CHUNK = 500;

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
        client_request_id: e.clientRequestId ?? null,
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
