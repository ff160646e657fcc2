import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { oktaInitialVariables, runRunscope, type RunscopeExport } from './runscope.js';
import { scimTenant } from './support.js';

const okta = JSON.parse(
  readFileSync(new URL('./peer/Okta-SCIM-20-SPEC-Test.json', import.meta.url), 'utf8'),
) as RunscopeExport;

/** Okta's SCIM 2.0 SPEC test (a Runscope export), every step, against one tenant (P2). */
describeEachDatabase("SCIM: Okta's SCIM 2.0 SPEC test", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.stop());

  it('P2: every step of the Okta SPEC test passes', async () => {
    const s = await scimTenant(server);
    // The first step lists users and expects one: the tenant has one provisioned user already.
    const seed = await s.scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'seed.user@atko.com',
      name: { givenName: 'Seed', familyName: 'User' },
      emails: [{ value: 'seed.user@atko.com', type: 'work', primary: true }],
      active: true,
    });
    expect(seed.status).toBe(201);
    const vars = { ...oktaInitialVariables(), SCIMBaseURL: s.base, auth: `Bearer ${s.token}` };
    const results = await runRunscope(server, okta, vars);
    expect(results.length).toBe(12);
    expect(
      results
        .filter((r) => r.failures.length > 0)
        .map((r) => ({ step: r.note, status: r.status, failures: r.failures })),
    ).toEqual([]);
  });
});
