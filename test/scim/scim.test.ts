import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/contract/index.js';
import { insertPlatformUser } from '../support/fixtures.js';
import { anyString } from '../support/matchers.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { SCIM_SCOPES, scimTenant, type ScimTenant } from './support.js';

/** A SCIM answer as these tests read it: a resource, a list or an error. */
interface Json {
  id: string;
  userName: string;
  totalResults: number;
  startIndex: number;
  Resources: Json[];
  members: Array<{ value: string }>;
  [attribute: string]: unknown;
}
type Extra = Record<string, unknown>;
const ACCESS = 'urn:ietf:params:scim:schemas:extension:switchboard:2.0:Group';
const containsDisplayName: unknown = expect.arrayContaining(['displayName']);
const issues = (g: Json) => (g[ACCESS] as { templateIssues: unknown[] }).templateIssues;
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

const person = (userName: string, extra: Extra = {}) => ({
  schemas: [CORE],
  userName,
  name: { givenName: userName.split('@')[0], familyName: 'Tester' },
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
  ...extra,
});

describeEachDatabase('SCIM 2.0 (P2) through HTTP', (kind) => {
  let server: TestServer;
  let s: ScimTenant;
  beforeAll(async () => {
    server = await startTestServer(kind);
    s = await scimTenant(server);
  });
  afterAll(() => server?.stop());

  async function create(userName: string, extra: Extra = {}, on = s): Promise<Json> {
    const r = await on.scim<Json>('POST', '/Users', person(userName, extra));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  }
  const list = async (filter: string, q = '') =>
    (await s.scim<Json>('GET', `/Users?filter=${encodeURIComponent(filter)}${q}`)).body;
  const ids = async (filter: string) => (await list(filter)).Resources.map((r) => r.userName).sort();

  describe('filters', () => {
    beforeAll(async () => {
      await create('ana@f.example', {
        title: 'Engineer',
        emails: [
          { value: 'ana@f.example', type: 'work', primary: true },
          { value: 'ana@home.example', type: 'home' },
        ],
        [ENTERPRISE]: { department: 'R&D', employeeNumber: '7' },
      });
      await create('bob@f.example', { title: 'Sales', [ENTERPRISE]: { department: 'Sales' } });
      await create('cyd@g.example', { active: false });
    });

    it('P2: eq is case-insensitive on userName; co, sw, ew, pr, ne, and, or, not', async () => {
      expect(await ids('userName eq "ANA@F.EXAMPLE"')).toEqual(['ana@f.example']);
      expect(await ids('userName co "@f."')).toEqual(['ana@f.example', 'bob@f.example']);
      expect(await ids('userName sw "b"')).toEqual(['bob@f.example']);
      expect(await ids('userName ew "g.example"')).toEqual(['cyd@g.example']);
      expect(await ids('title pr and userName co "@f."')).toEqual(['ana@f.example', 'bob@f.example']);
      expect(await ids('userName co "@f." and title ne "Sales"')).toEqual(['ana@f.example']);
      expect(await ids('userName eq "bob@f.example" or userName eq "cyd@g.example"')).toEqual([
        'bob@f.example',
        'cyd@g.example',
      ]);
      expect(await ids('userName co "example" and not (userName co "@f.")')).toEqual(['cyd@g.example']);
    });

    it('P2: value paths, multi-valued sub-attributes, enterprise URNs, booleans, dates', async () => {
      expect(await ids('emails[type eq "home" and value co "home"]')).toEqual(['ana@f.example']);
      expect(await ids('emails[type eq "work"].value eq "bob@f.example"')).toEqual(['bob@f.example']);
      // the work address is not the one that ends in home.example: one element must hold both
      expect(await ids('emails[type eq "work"].value ew "home.example"')).toEqual([]);
      expect(await ids('emails.value eq "ana@home.example"')).toEqual(['ana@f.example']);
      expect(await ids(`${ENTERPRISE}:department eq "r&d"`)).toEqual(['ana@f.example']);
      expect(await ids('active eq false and userName co "example"')).toEqual(['cyd@g.example']);
      expect(await ids('meta.created gt "2000-01-01T00:00:00Z" and userName co "@g."')).toEqual(['cyd@g.example']);
      expect(await ids('meta.lastModified lt "2000-01-01T00:00:00Z"')).toEqual([]);
    });

    it('P2: attributes outside the allow-list and bad syntax are 400 invalidFilter, as SCIM errors', async () => {
      for (const f of ['password eq "x"', 'userName eq', 'userName sw O', 'active gt true', 'meta.created gt "soon"']) {
        const r = await s.scim<Json>('GET', `/Users?filter=${encodeURIComponent(f)}`);
        expect(r.status, f).toBe(400);
        expect(r.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidFilter' });
        expect(r.headers['content-type']).toMatch(/^application\/scim\+json/);
      }
    });

    it('P2: startIndex/count page in a stable order with an integer totalResults', async () => {
      const all = await s.scim<Json>('GET', '/Users?count=1000');
      const total = all.body.totalResults;
      expect(Number.isInteger(total)).toBe(true);
      const seen: string[] = [];
      for (let i = 1; i <= total; i += 2) {
        const page = await s.scim<Json>('GET', `/Users?startIndex=${i}&count=2`);
        expect(page.body).toMatchObject({ totalResults: total, startIndex: i });
        seen.push(...page.body.Resources.map((r) => r.id));
      }
      expect(seen).toEqual(all.body.Resources.map((r) => r.id));
      const none = await s.scim<Json>('GET', '/Users?count=0');
      expect(none.body).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
      const past = await s.scim<Json>('GET', `/Users?startIndex=${total + 5}`);
      expect(past.body).toMatchObject({ totalResults: total, Resources: [] });
      const zero = await s.scim<Json>('GET', '/Users?startIndex=0&count=1');
      expect(zero.body.startIndex).toBe(1);
    });
  });

  describe('writes', () => {
    it('P2: userName is unique without regard to case (409 uniqueness)', async () => {
      await create('dup@u.example');
      const r = await s.scim<Json>('POST', '/Users', person('DUP@U.EXAMPLE'));
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness', rule: 'P2' });
      const other = await create('other@u.example');
      const rename = await s.scim<Json>('PATCH', `/Users/${other.id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'replace', path: 'userName', value: 'Dup@u.example' }],
      });
      expect(rename.status).toBe(409);
    });

    it('application/scim+json in and out; validation failures are SCIM errors', async () => {
      const r = await s.a.call<Json>('POST', `${s.base}/Users`, {
        token: s.token,
        body: JSON.stringify(person('ct@u.example')),
        headers: { 'content-type': 'application/scim+json; charset=utf-8' },
      });
      expect(r.status).toBe(201);
      expect(r.headers['content-type']).toMatch(/^application\/scim\+json/);
      const noName = await s.scim<Json>('POST', '/Users', { schemas: [CORE], active: true });
      expect(noName.status).toBe(400);
      expect(noName.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' });
      const bad = await s.a.call<Json>('POST', `${s.base}/Users`, {
        token: s.token,
        body: '{"userName": ',
        headers: { 'content-type': 'application/scim+json' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ schemas: [ERROR], status: '400' });
    });

    it('PATCH as Entra sends it: Replace, "False", dotted and enterprise-URN keys without a path', async () => {
      const u = await create('entra@u.example');
      const r = await s.scim<Json>('PATCH', `/Users/${u.id}`, {
        schemas: [PATCH],
        Operations: [
          { op: 'Replace', path: 'active', value: 'False' },
          {
            op: 'Add',
            value: {
              'name.familyName': 'Lovelace',
              [`${ENTERPRISE}:department`]: 'Research',
              [`${ENTERPRISE}:manager`]: { value: 'mgr-1' },
            },
          },
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@u.example' },
        ],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({
        active: false,
        name: { familyName: 'Lovelace' },
        displayName: 'entra Lovelace',
        emails: [{ value: 'ada@u.example', type: 'work' }],
        [ENTERPRISE]: { department: 'Research', manager: { value: 'mgr-1' } },
      });
      // G13: suspended, still readable; the Switchboard user follows
      const user = await s.a.asProvider<User>('GET', `/v1/tenants/${s.t}/users/${u.id}`);
      expect(user.body).toMatchObject({ status: 'suspended', email: 'ada@u.example', displayName: 'entra Lovelace' });
      expect((await s.scim('GET', `/Users/${u.id}`)).status).toBe(200);
    });

    it('PATCH as Okta sends it: a path-less {active: false}, then back to true', async () => {
      const u = await create('okta@u.example');
      const off = await s.scim<Json>('PATCH', `/Users/${u.id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'replace', value: { active: false } }],
      });
      expect(off.body.active).toBe(false);
      const on = await s.scim<Json>('PATCH', `/Users/${u.id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'replace', value: { active: true } }],
      });
      expect(on.body.active).toBe(true);
    });

    it('PUT replaces the resource; bad ops are 400 with a scimType', async () => {
      const u = await create('put@u.example', { title: 'Old' });
      const r = await s.scim<Json>('PUT', `/Users/${u.id}`, person('put@u.example', { displayName: 'Put Person' }));
      expect(r.status).toBe(200);
      expect(r.body.title).toBeUndefined();
      expect(r.body.displayName).toBe('Put Person');
      const bad = await s.scim<Json>('PATCH', `/Users/${u.id}`, { schemas: [PATCH], Operations: [{ op: 'move' }] });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidSyntax' });
    });

    it('P2: DELETE removes a manual user', async () => {
      const u = await create('gone@u.example');
      expect((await s.scim('DELETE', `/Users/${u.id}`)).status).toBe(204);
      expect((await s.scim('GET', `/Users/${u.id}`)).status).toBe(404);
      expect((await s.a.asProvider('GET', `/v1/tenants/${s.t}/users/${u.id}`)).status).toBe(404);
    });
  });

  describe('P2: linking platform users', () => {
    it('P2: a SCIM user whose email is a platform user links to it; DELETE suspends and unlinks it', async () => {
      const id = await insertPlatformUser(server.deps.db, s.t, {
        email: 'pbx.user@link.example',
        platform_email: 'pbx.user@link.example',
        display_name: 'PBX Name',
        platform_display_name: 'PBX Name',
      });
      const linked = await create('Pbx.User@link.example', { displayName: 'Directory Name' });
      expect(linked.id).toBe(id);
      const user = await s.a.asProvider<User>('GET', `/v1/tenants/${s.t}/users/${id}`);
      // P4: SCIM's name overrides the phone system's, which is kept beside it; the extension stays the phone system's
      expect(user.body).toMatchObject({
        source: 'platform',
        displayName: 'Directory Name',
        extension: anyString,
        phoneSystem: { displayName: 'PBX Name', overrides: containsDisplayName },
      });
      expect((await s.scim('DELETE', `/Users/${id}`)).status).toBe(204);
      expect((await s.scim('GET', `/Users/${id}`)).status).toBe(404);
      const after = await s.a.asProvider<User>('GET', `/v1/tenants/${s.t}/users/${id}`);
      expect(after.body).toMatchObject({ status: 'suspended', source: 'platform' });
    });
  });

  describe('groups and access templates', () => {
    it('SCIM groups are Switchboard groups; members added and removed as Entra and Okta send it', async () => {
      const a = await create('ga@g.example');
      const b = await create('gb@g.example');
      const g = await s.scim<Json>('POST', '/Groups', { displayName: 'Support', members: [{ value: a.id }] });
      expect(g.status).toBe(201);
      const portal = await s.a.asProvider<Json>('GET', `/v1/tenants/${s.t}/groups/${g.body.id}`);
      expect(portal.body.name).toBe('Support');
      const add = await s.scim<Json>('PATCH', `/Groups/${g.body.id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'Add', path: 'members', value: [{ value: b.id }] }],
      });
      expect(add.body.members.map((m) => m.value).sort()).toEqual([a.id, b.id].sort());
      const removeEntra = await s.scim<Json>('PATCH', `/Groups/${g.body.id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'Remove', path: 'members', value: [{ value: a.id }] }],
      });
      expect(removeEntra.body.members.map((m) => m.value)).toEqual([b.id]);
      const removeOkta = await s.scim<Json>('PATCH', `/Groups/${g.body.id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'remove', path: `members[value eq "${b.id}"]` }],
      });
      expect(removeOkta.body.members).toEqual([]);
      const user = await s.a.asProvider<User>('GET', `/v1/tenants/${s.t}/users/${b.id}`);
      expect(user.body.groups).toEqual([]);
      expect(
        (await s.scim<Json>('GET', `/Groups?filter=${encodeURIComponent('displayName eq "support"')}`)).body
          .totalResults,
      ).toBe(1);
      expect((await s.scim('DELETE', `/Groups/${g.body.id}`)).status).toBe(204);
      expect((await s.a.asProvider('GET', `/v1/tenants/${s.t}/groups/${g.body.id}`)).status).toBe(404);
    });

    it('C6: an access template never exceeds a licence pool: the member goes without it and it is reported', async () => {
      // C3 as the token's creator, within the token's scopes: the CRM licence brings portal:use, so the token holds it.
      const t = await scimTenant(server, { licencePools: { crm: 1 } }, [...SCIM_SCOPES, 'portal:use']);
      // Licences need Essential (G3), which only phone system users hold (G4): two platform users, linked by email (P2).
      for (const email of ['ta@t.example', 'tb@t.example'])
        await insertPlatformUser(server.deps.db, t.t, { email, platform_email: email });
      const a = await create('ta@t.example', {}, t);
      const b = await create('tb@t.example', {}, t);
      const g = await t.scim<Json>('POST', '/Groups', { displayName: 'Agents' });
      const set = await t.a.asProvider<Json>('PUT', `/v1/tenants/${t.t}/groups/${g.body.id}/access-template`, {
        accessTemplate: { licences: ['crm'] },
      });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      const add = await t.scim<Json>('PATCH', `/Groups/${g.body.id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }] }],
      });
      expect(add.status, JSON.stringify(add.body)).toBe(200);
      const users = await Promise.all(
        [a.id, b.id].map(async (id) => (await t.a.asProvider<User>('GET', `/v1/tenants/${t.t}/users/${id}`)).body),
      );
      expect(
        users.map((u) => u.licences.includes('crm')),
        JSON.stringify(add.body),
      ).toEqual([true, false]);
      expect(users.every((u) => u.groups.includes(g.body.id))).toBe(true);
      expect(issues(add.body)).toEqual([
        expect.objectContaining({
          userId: b.id,
          code: 'licence_pool_exhausted',
          rule: 'C6',
          applied: 'without_licences',
        }),
      ]);
      const usage = await t.a.asProvider<Json>('GET', `/v1/tenants/${t.t}/usage`);
      expect(JSON.stringify(usage.body)).toContain('crm');
    });
  });

  it("P2, C6: a member leaving a group loses what its template gave, unless another group's template gives it or it was had before", async () => {
    const t = await scimTenant(server, { licencePools: { crm: 5 } }, [...SCIM_SCOPES, 'portal:use']);
    const emails = ['leave-a@t.example', 'leave-b@t.example', 'leave-c@t.example'];
    for (const email of emails) await insertPlatformUser(server.deps.db, t.t, { email, platform_email: email });
    const [a, b, c] = await Promise.all(emails.map((e) => create(e, {}, t)));
    const user = async (id: string) => (await t.a.asProvider<User>('GET', `/v1/tenants/${t.t}/users/${id}`)).body;
    // c held CRM before any template gave it.
    const before = await user(c!.id);
    const direct = await t.a.asProvider('PATCH', `/v1/tenants/${t.t}/users/${c!.id}`, {
      licences: [...before.licences, 'crm'],
    });
    expect(direct.status, JSON.stringify(direct.body)).toBe(200);
    const group = async (displayName: string, accessTemplate: Extra) => {
      const g = await t.scim<Json>('POST', '/Groups', { displayName });
      const set = await t.a.asProvider(`PUT`, `/v1/tenants/${t.t}/groups/${g.body.id}/access-template`, {
        accessTemplate,
      });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      return g.body.id;
    };
    const sales = await group('Sales', { licences: ['crm'], supervisorLevel: 'report' });
    const crm = await group('CRM users', { licences: ['crm'] });
    const members = async (g: string, op: 'add' | 'Remove', ids: string[]) => {
      const r = await t.scim<Json>('PATCH', `/Groups/${g}`, {
        schemas: [PATCH],
        Operations: [{ op, path: 'members', value: ids.map((value) => ({ value })) }],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    await members(sales, 'add', [a!.id, b!.id, c!.id]);
    await members(crm, 'add', [b!.id]);
    for (const u of [a!, b!, c!]) {
      const joined = await user(u.id);
      expect(joined.licences).toContain('crm');
      expect(joined.supervisorLevel).toBe('report');
    }
    const left = await members(sales, 'Remove', [a!.id, b!.id, c!.id]);
    expect(issues(left)).toEqual([]);
    const [ua, ub, uc] = await Promise.all([a!, b!, c!].map((u) => user(u.id)));
    // a: the template gave CRM and the supervisor level; both are taken away.
    expect(ua!.licences).not.toContain('crm');
    expect(ua!.supervisorLevel).toBe('none');
    expect(ua!.groups).toEqual([]);
    // b: the CRM group's template still gives CRM; the level only Sales gave goes.
    expect(ub!.licences).toContain('crm');
    expect(ub!.supervisorLevel).toBe('none');
    expect(ub!.groups).toEqual([crm]);
    // c: CRM was c's before the template: it stays.
    expect(uc!.licences).toContain('crm');
    expect(uc!.supervisorLevel).toBe('none');
  });

  it('C3: a template needing more than the token holds leaves the member without it, reported', async () => {
    const t = await scimTenant(server, { licencePools: { crm: 5 } });
    await insertPlatformUser(server.deps.db, t.t, { email: 'c3@t.example', platform_email: 'c3@t.example' });
    const u = await create('c3@t.example', {}, t);
    const g = await t.scim<Json>('POST', '/Groups', { displayName: 'CRM' });
    await t.a.asProvider<Json>('PUT', `/v1/tenants/${t.t}/groups/${g.body.id}/access-template`, {
      accessTemplate: { licences: ['crm'] },
    });
    const add = await t.scim<Json>('PATCH', `/Groups/${g.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: u.id }] }],
    });
    expect(issues(add.body)).toEqual([
      expect.objectContaining({ userId: u.id, code: 'escalation_refused', rule: 'C3', applied: 'without_licences' }),
    ]);
    const user = await t.a.asProvider<User>('GET', `/v1/tenants/${t.t}/users/${u.id}`);
    expect(user.body.licences).not.toContain('crm');
    expect(user.body.groups).toContain(g.body.id);
  });

  describe('tokens and tenants', () => {
    it('E4: another tenant answers 404, as a SCIM error', async () => {
      const other = await scimTenant(server);
      const u = await create('mine@e4.example', {}, other);
      const r = await s.scim<Json>('GET', `/Users/${u.id}`);
      expect(r.status).toBe(404);
      const cross = await s.a.call<Json>('GET', `${other.base}/Users`, { token: s.token });
      expect(cross.status).toBe(404);
      expect(cross.body).toMatchObject({ schemas: [ERROR], status: '404' });
    });

    it('I5: a token without users:create may read but not provision; no token is a SCIM 401', async () => {
      const ro = await scimTenant(server, {}, ['users:view']);
      expect((await ro.scim('GET', '/Users')).status).toBe(200);
      const r = await ro.scim<Json>('POST', '/Users', person('nope@i5.example'));
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: '403', rule: 'C1' });
      const anon = await s.a.call<Json>('GET', `${s.base}/Users`);
      expect(anon.status).toBe(401);
      expect(anon.body).toMatchObject({ schemas: [ERROR], status: '401' });
      const wrong = await s.a.call<Json>('GET', `${s.base}/Users`, { token: 'sbt_not-a-real-token' });
      expect(wrong.status).toBe(401);
    });

    it('discovery: ServiceProviderConfig, Schemas, ResourceTypes', async () => {
      const spc = await s.scim<Json>('GET', '/ServiceProviderConfig');
      expect(spc.body).toMatchObject({
        patch: { supported: true },
        filter: { supported: true },
        bulk: { supported: false },
      });
      const schemas = await s.scim<Json>('GET', '/Schemas');
      expect(schemas.body.Resources.map((r) => r.id)).toContain(ENTERPRISE);
      const types = await s.scim<Json>('GET', '/ResourceTypes');
      expect(types.body.Resources.map((r) => r.id)).toEqual(['User', 'Group']);
    });
  });
});
