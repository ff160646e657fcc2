import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SnapshotResult, UserPage } from '../../src/contract/index.js';
import { api, type ApiClient } from '../support/api.js';
import { describeEachDatabase, PROVIDER_TOKEN, startTestServer, type TestServer } from '../support/server.js';

/**
 * A leading U+FEFF (a byte-order mark a spreadsheet or PBX export left in a field) is dropped from
 * every string of a JSON body, so both databases store, compare and read back the same value. Before,
 * the embedded database's driver read `\uFEFFext-1` back as `ext-1` and a second identical sync
 * inserted the user again (duplicate key); PostgreSQL kept the BOM and matched.
 */
describeEachDatabase('a leading byte-order mark (P1, E1)', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  beforeAll(async () => {
    server = await startTestServer(kind);
    a = api(server);
  });
  afterAll(() => server?.stop());

  const snapshot = {
    users: [
      {
        externalId: '\uFEFFext-bom',
        displayName: '\uFEFFBea Bom',
        email: 'bea.bom@pbx.example',
        extension: '201',
        devices: [
          {
            externalId: '\uFEFFdev-bom',
            name: 'Desk',
            kind: 'sip',
            sip: { username: 'u201', password: 'secret-201', realm: 'pbx.example' },
          },
        ],
        acdQueues: [],
      },
    ],
    queues: [{ externalId: '\uFEFFq-bom', name: 'Sales', kind: 'queue', wrapUpSeconds: 30 }],
  };

  it('P1: a second identical sync with BOM-prefixed external ids changes nothing, on either database', async () => {
    const { id: t } = await a.tenant();
    const first = await a.asProvider<SnapshotResult>('PUT', `/v1/tenants/${t}/platform/snapshot`, snapshot);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 1 });
    // The raw JSON text, BOMs as they come off the wire (not as \u escapes).
    const second = await a.call<SnapshotResult>('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      token: PROVIDER_TOKEN,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(snapshot),
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const users = await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?source=platform`);
    expect(users.body.items.map((u) => [u.externalId, u.displayName])).toEqual([['ext-bom', 'Bea Bom']]);
  });

  it('E1: a BOM inside a string is content and is kept; only a leading one is dropped', async () => {
    const { id: t } = await a.tenant();
    const r = await a.asProvider<{ id: string; name: string }>('POST', `/v1/tenants/${t}/groups`, {
      name: '\uFEFF\uFEFFNight\uFEFFshift',
    });
    expect(r.status).toBe(201);
    expect(r.body.name).toBe('Night\uFEFFshift');
    const read = await a.asProvider<{ name: string }>('GET', `/v1/tenants/${t}/groups/${r.body.id}`);
    expect(read.body.name).toBe('Night\uFEFFshift');
  });
});
