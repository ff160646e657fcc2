import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { snapshotsOf } from '../../src/modules/snapshot/snapshot-store.js';
import { serverSuite } from '../support/api.js';
import { insertPlatformUsers } from '../support/fixtures.js';
import { describeEachDatabase } from '../support/server.js';

/** A full collection (the flag exposes `gc` to contexts made after it). */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Twice, a turn apart: what the last request's closures held goes too.
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
}

/**
 * D2: a node holds the tenants in use within its memory budget, dropping the least recently used.
 * With a 1 MB budget and tenants of 300 users (about 220 KB each by the store's estimate), four fit.
 */
describeEachDatabase('live snapshot memory budget', (kind) => {
  const { a, server } = serverSuite(kind, { SWITCHBOARD_SNAPSHOT_MEMORY_MB: '1' });

  it('D2: past the budget the least recently used tenant is dropped; a tenant in use stays; a dropped one reloads', async () => {
    const db = server().deps.db;
    const store = snapshotsOf(db)!;
    const tenants: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { id } = await a.tenant();
      await insertPlatformUsers(
        db,
        id,
        Array.from({ length: 300 }, () => ({})),
      );
      store.invalidate(id); // the users above were written past the services
      tenants.push(id);
    }
    const held = () => store.held.filter((t) => tenants.includes(t));

    for (const t of tenants.slice(0, 4)) expect((await store.get(t))?.users.size).toBe(300);
    expect(held()).toEqual(tenants.slice(0, 4));
    expect(store.stats.bytes).toBeLessThanOrEqual(store.stats.budget);

    // The oldest of the four is used again (a check through the API), so the next tenant drops the second.
    const again = await a.asProvider('POST', `/v1/tenants/${tenants[0]}/check`, {
      checks: [{ userId: 'usr_nobody', capability: 'portal:use' }],
    });
    expect(again.status).toBe(200);
    await store.get(tenants[4]!);
    expect(held()).toEqual([tenants[2], tenants[3], tenants[0], tenants[4]]); // least recently used first

    // Used many times in a row, a tenant stays the most recent: the next load drops the third.
    for (let i = 0; i < 3; i++) await store.get(tenants[4]!);
    await store.get(tenants[5]!);
    expect(held()).toEqual([tenants[3], tenants[0], tenants[4], tenants[5]]);
    expect(store.stats).toMatchObject({ tenants: 4 });
    expect(store.stats.bytes).toBeLessThanOrEqual(store.stats.budget);

    // The tenant used before the last load is used again: it becomes the most recent once more.
    await store.get(tenants[4]!);
    expect(held()).toEqual([tenants[3], tenants[0], tenants[5], tenants[4]]);

    // A dropped tenant answers again, from a fresh load.
    const reloaded = await a.asProvider<{ results: unknown[] }>('POST', `/v1/tenants/${tenants[1]}/check`, {
      checks: [{ userId: 'usr_nobody', capability: 'portal:use' }],
    });
    expect(reloaded.status).toBe(200);
    expect(held()).toEqual([tenants[0], tenants[5], tenants[4], tenants[1]]);
    expect(store.current(tenants[1]!)?.users.size).toBe(300);
  });

  it('D2: a tenant forgotten while it was the most recently used keeps no memory alive', async () => {
    const db = server().deps.db;
    const store = snapshotsOf(db)!;
    const { id } = await a.tenant();
    await insertPlatformUsers(
      db,
      id,
      Array.from({ length: 50 }, () => ({})),
    );
    store.invalidate(id);
    const held = new WeakRef((await store.get(id))!);
    store.invalidate(id); // as an operator's SQL or a resync would
    await collectGarbage();
    expect(held.deref()).toBeUndefined();
  });
});
