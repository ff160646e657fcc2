import type { Tx } from '../db/database.js';
import type { OutboxEntry } from './outbox.js';

/** Writes the unit of work's outbox rows, in the same transaction as the change. */
export async function writeOutbox(tx: Tx, entries: OutboxEntry[]): Promise<void> {
  await tx
    .insertInto('outbox')
    .values(
      entries.map((e) => ({
        tenant_id: e.tenantId,
        type: e.kind,
        payload: JSON.stringify(e.payload),
        message_id: e.kind === 'event' ? e.payload.messageId : null,
      })),
    )
    .execute();
}
