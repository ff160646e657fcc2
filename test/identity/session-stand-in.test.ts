import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { serverSuite, uniqueEmail } from '../support/api.js';
import { insertSession } from '../support/fixtures.js';
import { describeEachDatabase } from '../support/server.js';

/**
 * S3, I7: a request learns who is asking even while the database is held (the embedded database's
 * one connection by a long import; here the sessions table locked): a session this node verified
 * lately stands in, unless the bus has since said the session ended.
 */
describeEachDatabase('sessions verified while the database is held', (kind) => {
  const { a, server } = serverSuite(kind);

  /** An authenticated request that needs no database read past authentication: the body is refused (400). */
  const ask = (t: string, token: string) =>
    a.call('POST', `/v1/tenants/${t}/users`, { token, body: { displayName: 42 } }).then((r) => r.status);

  /** Holds the database until `release` is called: the sessions table locked in an open transaction. */
  function hold(): { held: Promise<void>; release: () => void; done: Promise<void> } {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const isHeld = new Promise<void>((r) => (held = r));
    const done = server()
      .deps.db.transaction()
      .execute(async (tx) => {
        await sql`lock table sessions in access exclusive mode`.execute(tx);
        held();
        await released;
      });
    return { held: isHeld, release, done };
  }

  it('S3: a session verified lately answers while the database is held; one ended since waits and is refused', async () => {
    const { id: t } = await a.tenant();
    const user = await a.user(t, { email: uniqueEmail('held'), permissions: ['website_access', 'manage_users'] });
    const kept = await insertSession(server().deps.db, t, user.id, 'portal');
    const ended = await insertSession(server().deps.db, t, user.id, 'portal');
    expect(await ask(t, kept.token)).toBe(400);
    expect(await ask(t, ended.token)).toBe(400);
    // A forced logout: the bus tells this node, which forgets that session's verification.
    expect((await a.asProvider('DELETE', `/v1/tenants/${t}/sessions/${ended.sessionId}`)).status).toBe(204);

    const db = hold();
    await db.held;
    let endedAnswered = false;
    const endedAsk = ask(t, ended.token).then((status) => {
      endedAnswered = true;
      return status;
    });
    // The kept session answers while the database is still held (its verification stands in).
    expect(await ask(t, kept.token)).toBe(400);
    // The ended one had the same time to answer, and did not: it waits for the database.
    expect(endedAnswered).toBe(false);
    db.release();
    await db.done;
    expect(await endedAsk).toBe(401);
    expect(await ask(t, kept.token)).toBe(400);
  });
});
