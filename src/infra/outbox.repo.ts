import type { Tx } from '../db/database.js';
import type { OutboxEntry } from './outbox.js';

/** Writes the unit of work's outbox rows, in the same transaction as the change. */
export async function writeOutbox(tx: Tx, entries: OutboxEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += CHUNK) await writeChunk(tx, entries.slice(i, i + CHUNK));
}

/** Rows per insert: a large platform sync writes many events, and one statement has a parameter limit. */
const CHUNK = 1000;

async function writeChunk(tx: Tx, entries: OutboxEntry[]): Promise<void> {
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
