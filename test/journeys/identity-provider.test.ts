import { afterAll, beforeAll, expect, it } from 'vitest';
import type { User } from '../../src/contract/index.js';
import { insertPlatformUser } from '../support/fixtures.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { SCIM_SCOPES, scimTenant } from '../scim/support.js';

interface Resource {
  id: string;
  active: boolean;
  members: Array<{ value: string }>;
  [attribute: string]: unknown;
}
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * Journey: an identity provider (Entra ID) provisions a contact center's people (P2). The tenant's
 * administrator makes a SCIM token; the provider creates a new hire, links an existing phone-system
 * user by email, puts both in a group whose access template gives the Agent licence from a pool of
 * one (C6), suspends a leaver and deprovisions them. The phone system's fields stay its own (P4).
 */
describeEachDatabase('journey: an identity provider provisions users and groups (P2)', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.stop());

  it('P2, P4, C6: provision, link, group with a template within the pool, suspend, deprovision', async () => {
    const s = await scimTenant(server, { licencePools: { crm: 1 } }, [...SCIM_SCOPES, 'portal:use']);
    const user = async (id: string) => (await s.a.asProvider<User>('GET', `/v1/tenants/${s.t}/users/${id}`)).body;

    // A phone-system user the provider does not know yet, and the provider's first sync.
    const pbxId = await insertPlatformUser(server.deps.db, s.t, {
      email: 'maria.lopez@contoso.example',
      platform_email: 'maria.lopez@contoso.example',
      display_name: 'M. Lopez',
      platform_display_name: 'M. Lopez',
    });
    const probe = await s.scim<{ totalResults: number }>(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "x"')}`,
    );
    expect(probe.body.totalResults).toBe(0);

    const hire = await s.scim<Resource>('POST', '/Users', {
      userName: 'sam.new@contoso.example',
      name: { givenName: 'Sam', familyName: 'New' },
      emails: [{ value: 'sam.new@contoso.example', type: 'work', primary: true }],
      active: true,
    });
    expect(hire.status).toBe(201);
    const maria = await s.scim<Resource>('POST', '/Users', {
      userName: 'maria.lopez@contoso.example',
      name: { givenName: 'María', familyName: 'López' },
      emails: [{ value: 'maria.lopez@contoso.example', type: 'work', primary: true }],
      active: true,
    });
    expect(maria.body.id).toBe(pbxId);
    expect(await user(pbxId)).toMatchObject({ displayName: 'María López', source: 'platform', extension: '1000' });

    // The administrator gives the provider's "Agents" group the CRM licence; the pool holds one.
    const group = await s.scim<Resource>('POST', '/Groups', { displayName: 'Agents' });
    await s.a.asProvider('PUT', `/v1/tenants/${s.t}/groups/${group.body.id}/access-template`, {
      accessTemplate: { licences: ['crm'] },
    });
    const joined = await s.scim<Resource>('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: pbxId }, { value: hire.body.id }] }],
    });
    expect(joined.status).toBe(200);
    expect((await user(pbxId)).licences).toContain('crm');
    // The new hire is a manual user: no Essential, so no CRM (G3); reported, not forced.
    expect((await user(hire.body.id)).licences).not.toContain('crm');
    expect(JSON.stringify(joined.body)).toContain('essential_required');

    // The leaver: Entra sends "False" as a string; suspended, still readable; then deprovisioned.
    const off = await s.scim<Resource>('PATCH', `/Users/${pbxId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(off.body.active).toBe(false);
    expect((await user(pbxId)).status).toBe('suspended');
    expect((await s.scim('DELETE', `/Users/${pbxId}`)).status).toBe(204);
    expect(await user(pbxId)).toMatchObject({ status: 'suspended', source: 'platform', extension: '1000' });
    expect((await s.scim('DELETE', `/Users/${hire.body.id}`)).status).toBe(204);
    expect((await s.a.asProvider('GET', `/v1/tenants/${s.t}/users/${hire.body.id}`)).status).toBe(404);
  });
});
