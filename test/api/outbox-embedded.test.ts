import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { ImportJob } from '../../src/contract/index.js';
import { serverSuite } from '../support/api.js';
import { describeEachDatabase, PROVIDER_TOKEN } from '../support/server.js';

/**
 * I3, W1: an import that invites many users leaves their mails in the outbox; the dispatcher sends
 * them without holding up the node's other work. The embedded database answers in the same turn of
 * the event loop, so a dispatcher that claimed again on each answer would drain the whole outbox
 * before any request got a turn: it waits for the event loop between claims.
 */
describeEachDatabase('outbox: invitations of a large import (I3)', (kind) => {
  const { a, server } = serverSuite(kind);

  const pendingMails = async (domain: string) =>
    Number(
      (
        await sql<{
          n: number | string;
        }>`select count(*) as n from outbox where type = 'mail' and dispatched_at is null and payload->>'to' like ${`%@${domain}`}`.execute(
          server().deps.db,
        )
      ).rows[0]!.n,
    );
  const delivered = async (domain: string) =>
    Number(
      (
        await sql<{
          n: number | string;
        }>`select count(*) as n from dev_mailbox where to_addr like ${`%@${domain}`}`.execute(server().deps.db)
      ).rows[0]!.n,
    );

  it('I3: 1,000 invitations leave through the outbox, every one delivered, while the users list keeps answering', async () => {
    const { id: t } = await a.tenant();
    const domain = `invited-${kind}-${Date.now()}.example`;
    const lines = ['displayName,email,permissions'];
    for (let i = 0; i < 1000; i++) lines.push(`Invitee ${i},invitee${i}@${domain},website_access`);
    const res = await server().app.inject({
      method: 'POST',
      url: `/v1/tenants/${t}/users/import`,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}`, 'content-type': 'text/csv' },
      payload: lines.join('\n'),
    });
    expect(res.statusCode).toBe(202);
    let job = res.json<ImportJob>();
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      job = (await a.asProvider<ImportJob>('GET', `/v1/tenants/${t}/users/import/${job.id}`)).body;
    }
    expect(job).toMatchObject({ status: 'done', result: { created: 1000 } });
    let answeredWhilePending = false;
    for (;;) {
      const list = await a.asProvider('GET', `/v1/tenants/${t}/users?limit=5`);
      expect(list.status).toBe(200);
      const pending = await pendingMails(domain);
      if (pending === 0) break;
      answeredWhilePending = true;
      await new Promise((r) => setTimeout(r, 20));
    }
    // The embedded database: the list answered between the dispatcher's claims, not after the last mail.
    if (kind === 'pglite') expect(answeredWhilePending).toBe(true);
    expect(await delivered(domain)).toBe(1000);
  });
});
