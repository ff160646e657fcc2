/**
 * Usage follows data (issue 14, B1): beside how many users hold Essential and the Agent add-on, how many
 * produced modelled data this month (calls modelled, agent events stored), for one tenant and in the
 * provider's overview and its CSV.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IngestResult } from '../../src/contract/index.js';
import type { TenantUsage, Usage } from '../../src/modules/usage/usage.schemas.js';
import { api, type ApiClient } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { tenantWithPhoneUsers } from './call-data-support.js';

describeEachDatabase('usage: licences beside the users who produced data', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let t: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    a = api(server);
    const tenant = await tenantWithPhoneUsers(a, ['ada', 'bob', 'cy']);
    t = tenant.t;
    const token = tenant.token;
    const id = (x: string) => tenant.ids[x]!;
    const licences: Record<string, string[]> = {
      ada: ['essential', 'agent'],
      bob: ['essential'],
      cy: ['essential', 'agent'],
    };
    for (const [who, l] of Object.entries(licences)) {
      const r = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${id(who)}`, { licences: l });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const now = Date.now() + 1000;
    const at = (s: number) => new Date(now + s * 1000).toISOString();
    const calls = await a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/call-records`, {
      token,
      body: {
        records: [
          // Ada and Bob both modelled; Cy holds both licences and produces nothing (an unused licence).
          {
            id: 'u1',
            startedAt: at(1),
            direction: 'internal',
            from: { number: '401', user: 'ada' },
            to: { number: '402', user: 'bob' },
            disposition: 'answered',
          },
        ],
      },
    });
    expect(calls.body).toMatchObject({ stored: 1 });
    const events = await a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/agent-events`, {
      token,
      body: {
        records: [
          { id: 'e1', at: at(3), user: 'ada', type: 'login' },
          // Bob holds no Agent add-on: not stored, so not counted.
          { id: 'e2', at: at(3), user: 'bob', type: 'login' },
        ],
      },
    });
    expect(events.body).toMatchObject({ stored: 1 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('B1, CD1: a tenant’s usage shows, per data licence, the users who produced modelled data this month', async () => {
    const u = (await a.asProvider<Usage>('GET', `/v1/tenants/${t}/usage`)).body;
    expect(u.licences.essential).toMatchObject({ assigned: 3, withData: 2 });
    expect(u.licences.agent).toMatchObject({ assigned: 2, withData: 1 });
    expect(u.licences.crm).not.toHaveProperty('withData');
  });

  it('B1: the provider’s overview and its CSV carry the same counts', async () => {
    const all = (await a.asProvider<{ items: TenantUsage[] }>('GET', '/v1/usage')).body.items;
    const mine = all.find((x) => x.tenantId === t)!;
    expect(mine.licences.essential).toMatchObject({ assigned: 3, withData: 2 });
    expect(mine.licences.agent).toMatchObject({ assigned: 2, withData: 1 });
    const csv = (await a.asProvider<string>('GET', '/v1/usage?format=csv')).body;
    const [header, ...lines] = csv.trim().split('\r\n');
    const cols = header!.split(',');
    const line = lines.find((l) => l.startsWith(`${t},`))!.split(',');
    expect(line[cols.indexOf('essential_with_data')]).toBe('2');
    expect(line[cols.indexOf('agent_with_data')]).toBe('1');
  });
});
