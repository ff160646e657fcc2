import type { Executor } from '../../db/database.js';
import type { MailAttachment } from '../../infra/outbox.js';

export interface StoredMail {
  id: number;
  to: string;
  subject: string;
  text: string;
  attachments: MailAttachment[];
  createdAt: string;
}

/** Keeps one message in the dev mailbox. */
export async function storeMail(
  db: Executor,
  m: { to: string; subject: string; text: string; attachments?: MailAttachment[] },
): Promise<void> {
  await db
    .insertInto('dev_mailbox')
    .values({
      to_addr: m.to,
      subject: m.subject,
      body: m.text,
      attachments: m.attachments ? JSON.stringify(m.attachments) : null,
    })
    .execute();
}

/** Newest first, optionally for one recipient (case-insensitive). */
export async function listMail(db: Executor, opts: { to?: string; limit: number }): Promise<StoredMail[]> {
  let q = db.selectFrom('dev_mailbox').selectAll();
  if (opts.to) q = q.where((eb) => eb(eb.fn('lower', ['to_addr']), '=', opts.to!.toLowerCase()));
  const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    to: r.to_addr,
    subject: r.subject,
    text: r.body,
    attachments: (r.attachments as MailAttachment[] | null) ?? [],
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
