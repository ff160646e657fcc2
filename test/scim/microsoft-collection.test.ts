import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import newman, { type NewmanRunSummary } from 'newman';
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { scimTenant } from './support.js';

const collection = JSON.parse(
  readFileSync(new URL('./peer/Microsoft-SCIM-Postman-Collection.json', import.meta.url), 'utf8'),
) as object;

const FOLDERS = [
  'Endpoint tests',
  'User tests',
  'Group tests',
  'ComplexAttribute tests',
  'User tests with garbage',
  'Group tests with garbage',
  'Teardown garbage',
];

/**
 * The requests of Microsoft's collection that fail here, each because the collection expects what
 * RFC 7643/7644 does not say (or what Okta, the other provider, needs otherwise). Every other
 * request's tests pass. Keyed `folder / request / test`.
 */
const EXPECTED_FAILURES: Record<string, string> = {
  'Get empty Users / Status code is 200':
    'asks for /users in lower case; URL paths are case-sensitive (RFC 3986 §6.2.2.1) and RFC 7644 §3.2 names the endpoint /Users',
  'Get ServiceProviderConfig / Status code is 200':
    'asks for /serviceConfiguration; RFC 7644 §4 names the endpoint /ServiceProviderConfig (which answers here)',
  'Get ServiceProviderConfig / Pach supported is true': 'the same request, at /serviceConfiguration',
  'Patch user omalley new username / Status code is 204':
    'RFC 7644 §3.5.2 allows 200 with the resource or 204; Switchboard answers 200 with the resource, which Okta needs',
  'patch user omalley active with boolean / Status code is 204':
    "the same: 200 with the resource is the RFC's first choice",
  'Get group by id / Body contians user':
    'expects the member\'s "displayName" sent in the PATCH echoed back; members.display is the user\'s display name, set by the server',
  'filter eq and (val or val) / Total results':
    "the filter's values are unquoted (Employee, example.com); RFC 7644 §3.4.2.2 compValues are JSON: strings are quoted (400 invalidFilter)",
  'filter starts with / Total results': 'unquoted value (userName sw O): 400 invalidFilter',
  'filter greater than / Total results': 'unquoted dateTime (meta.Created gt 2015-10-10T…): 400 invalidFilter',
  'Group patch add member / Status code is 204':
    'adds the member "string id 1" (a string, not a member object naming a user): RFC 7643 §4.2 members are complex; 400 invalidValue',
  'Group patch add member2 / Status code is 204': 'the same with "string id 2"',
};

function run(options: newman.NewmanRunOptions): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run(options, (err, summary) => (err ? reject(err) : resolve(summary)));
  });
}

/** Microsoft's SCIM reference Postman collection, run with newman against a server on loopback (P2). */
describe("SCIM: Microsoft's SCIM reference collection (newman)", () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await startTestServer('pglite');
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    port = (server.app.server.address() as AddressInfo).port;
  });
  afterAll(() => server?.stop());

  it('P2: every request passes but the listed deviations of the collection', async () => {
    const s = await scimTenant(server);
    const summary = await run({
      collection,
      folder: FOLDERS,
      environment: {
        values: [
          { key: 'Protocol', value: 'http', enabled: true },
          { key: 'Server', value: '127.0.0.1', enabled: true },
          { key: 'Port', value: `:${port}`, enabled: true },
          { key: 'Api', value: s.base.slice(1), enabled: true },
          { key: 'token', value: s.token, enabled: true },
        ],
      } as never,
      reporters: [],
    });
    const failures = summary.run.failures.map((f) => {
      const source = f.source as { name?: string } | undefined;
      return `${source?.name ?? '?'} / ${f.error.test ?? f.error.name}: ${f.error.message}`;
    });
    const executed = summary.run.executions.length;
    expect(executed).toBeGreaterThan(60);
    const unexpected = failures.filter((f) => !Object.keys(EXPECTED_FAILURES).some((k) => f.startsWith(k)));
    expect(unexpected).toEqual([]);
    const missing = Object.keys(EXPECTED_FAILURES).filter((k) => !failures.some((f) => f.startsWith(k)));
    expect(missing, 'an expected failure now passes: remove it from the list').toEqual([]);
  });
});
