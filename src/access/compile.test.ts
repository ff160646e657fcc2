import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BILLABLE_CONTENT, CAPABILITY_IDS, QUEUE_CAPABILITIES, supervisorRank } from '../catalog/index.js';
import { CompiledTenant } from './compile.js';
import { explainCapability, explainQueueCapability, explainUser } from './explain.js';
import type { QueueRole, TenantAccess, UserAccess } from './types.js';
import {
  QUEUE_ID_POOL,
  arbScenario,
  arbTenant,
  arbUser,
  makeQueue,
  makeTenant,
  makeUser,
} from '../../test/support/access-factories.js';

/** The fast path must decide exactly as the slow path (ARCHITECTURE: "must never disagree"). */

const queues = [makeQueue({ id: 'q1', name: 'Sales', wrapUpSeconds: 30 }), makeQueue({ id: 'q2', name: 'Support' })];
const RESOURCES = [...QUEUE_ID_POOL, 'q-gone'].map((q) => `queue:${q}`);

/** What the slow path says a user's queue listing is: tenant queues by name then id, catalog-ordered capabilities. */
function explainedQueues(user: UserAccess, tenant: TenantAccess) {
  return [...tenant.queues.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((q) => ({
      id: q.id,
      name: q.name,
      roles: (['agent', 'supervisor'] as QueueRole[]).filter((r) =>
        (user.contactCenter.queues[q.id] ?? []).includes(r),
      ),
      capabilities: QUEUE_CAPABILITIES.filter((c) => explainQueueCapability(user, tenant, c, q.id).allowed),
    }))
    .filter((q) => q.capabilities.length > 0);
}

/** Every capability of the catalog, every queue capability on every queue (and an unknown one), and the listings. */
function expectAgreement(compiled: CompiledTenant, tenant: TenantAccess, users: readonly UserAccess[]): void {
  expect(compiled.size).toBe(users.length);
  for (const user of users) {
    expect(compiled.has(user.id)).toBe(true);
    for (const cap of CAPABILITY_IDS) {
      expect(compiled.check(user.id, cap), `${user.id} ${cap}`).toBe(explainCapability(user, tenant, cap).allowed);
    }
    for (const cap of QUEUE_CAPABILITIES) {
      for (const resource of RESOURCES) {
        expect(compiled.check(user.id, cap, resource), `${user.id} ${cap} ${resource}`).toBe(
          explainCapability(user, tenant, cap, resource).allowed,
        );
      }
      expect(compiled.check(user.id, cap)).toBe(false);
    }
    const allowed = Object.entries(explainUser(user, tenant))
      .filter(([, d]) => d.allowed)
      .map(([id]) => id)
      .sort();
    expect(compiled.allowedCapabilities(user.id)).toEqual(allowed);
    expect(compiled.queueCapabilities(user.id)).toEqual(explainedQueues(user, tenant));
  }
}

interface Case {
  name: string;
  user: Partial<UserAccess>;
  tenant?: TenantAccess;
  cap: string;
  resource?: string;
  expected: boolean;
}

describe('CompiledTenant.check: key rules', () => {
  const agent = {
    licences: ['essential', 'agent'],
    contactCenter: { admin: false, queues: { q1: ['agent'] } },
  } satisfies Partial<UserAccess>;
  const supervisor = { contactCenter: { admin: false, queues: { q1: ['supervisor'] } } } satisfies Partial<UserAccess>;
  const cases: Case[] = [
    { name: 'source 1: baseline inbox:use', user: {}, cap: 'inbox:use', expected: true },
    {
      name: 'source 2: manage_users with website access',
      user: { permissions: ['website_access', 'manage_users'] },
      cap: 'users:delete',
      expected: true,
    },
    {
      name: 'G1: manage_users without website access',
      user: { permissions: ['manage_users'] },
      cap: 'users:delete',
      expected: false,
    },
    {
      name: 'G1: a superuser profile does not open the portal by itself',
      user: { profile: { kind: 'superuser' } },
      cap: 'settings:edit',
      expected: false,
    },
    {
      name: 'G1: a superuser with website access has every portal module',
      user: { permissions: ['website_access'], profile: { kind: 'superuser' } },
      cap: 'settings:edit',
      expected: true,
    },
    {
      name: 'source 3: analytics level includes reports',
      user: { permissions: ['website_access'], supervisorLevel: 'analytics' },
      cap: 'reports:view',
      expected: true,
    },
    {
      name: 'source 3: analytics level excludes live calls',
      user: { permissions: ['website_access'], supervisorLevel: 'analytics' },
      cap: 'dashboards:live_calls',
      expected: false,
    },
    {
      name: 'G15: a profile granting reports gives nothing without Report Supervisor',
      user: { permissions: ['website_access'], profile: { kind: 'profile', profileId: 'p1' } },
      tenant: makeTenant({ queues, profiles: [{ id: 'p1', name: 'Reports', grants: ['reports:view'] }] }),
      cap: 'reports:view',
      expected: false,
    },
    {
      name: 'G15: with Report Supervisor it does',
      user: {
        permissions: ['website_access'],
        supervisorLevel: 'report',
        profile: { kind: 'profile', profileId: 'p1' },
      },
      tenant: makeTenant({ queues, profiles: [{ id: 'p1', name: 'Reports', grants: ['reports:view'] }] }),
      cap: 'reports:view',
      expected: true,
    },
    {
      name: 'G15: a superuser at level none has no dashboards',
      user: { permissions: ['website_access'], profile: { kind: 'superuser' } },
      cap: 'dashboards:view',
      expected: false,
    },
    {
      name: 'G15: a custom grant of live call statistics needs Live Analytics Supervisor, not Analytics',
      user: {
        permissions: ['website_access'],
        supervisorLevel: 'analytics',
        profile: { kind: 'custom', grants: ['dashboards:live_calls'] },
      },
      cap: 'dashboards:live_calls',
      expected: false,
    },
    {
      name: 'G15: a superuser at the Contact Center level has contact-center data',
      user: { permissions: ['website_access'], supervisorLevel: 'contact_center', profile: { kind: 'superuser' } },
      cap: 'cc_data:view',
      expected: true,
    },
    {
      name: 'superuser includes cc:admin (G15 text)',
      user: { source: 'manual', licences: [], permissions: ['website_access'], profile: { kind: 'superuser' } },
      cap: 'cc:admin',
      expected: true,
    },
    {
      name: 'a custom profile never carries cc:admin (a role, not a module action)',
      user: { permissions: ['website_access'], profile: { kind: 'custom', grants: ['cc:admin'] } },
      cap: 'cc:admin',
      expected: false,
    },
    {
      name: 'source 4: a manual Contact Admin with website access has cc:admin',
      user: {
        source: 'manual',
        licences: [],
        permissions: ['website_access'],
        contactCenter: { admin: true, queues: {} },
      },
      cap: 'cc:admin',
      expected: true,
    },
    {
      name: 'G3: UC desktop without Essential',
      user: { licences: [], ucClient: { desktop: true, softphone: { enabled: false, clients: [], deviceId: null } } },
      cap: 'ucclient:desktop',
      expected: false,
    },
    {
      name: 'G4: manual user with the agent licence',
      user: { source: 'manual', licences: ['agent'] },
      cap: 'cc:agent',
      expected: false,
    },
    {
      name: 'G5: softphone without device',
      user: {
        licences: ['essential', 'softphone'],
        ucClient: { desktop: false, softphone: { enabled: true, clients: [], deviceId: 'd1' } },
      },
      cap: 'softphone:use',
      expected: false,
    },
    {
      name: 'G8: recording on the basic plan',
      user: { features: { ...makeUser().features, recording: true } },
      cap: 'telephony:record',
      expected: false,
    },
    {
      name: 'G8: recording on the record plan',
      user: { features: { ...makeUser().features, recording: true } },
      tenant: makeTenant({ plan: 'record' }),
      cap: 'telephony:record',
      expected: true,
    },
    {
      name: 'G10: preference off',
      user: { preferences: { recording: true, crmOverlay: false } },
      cap: 'crm:overlay',
      expected: false,
    },
    {
      name: 'G13: suspended superuser',
      user: { status: 'suspended', profile: { kind: 'superuser' } },
      cap: 'inbox:use',
      expected: false,
    },
    {
      name: 'custom profile grant',
      user: { profile: { kind: 'custom', grants: ['skills:edit'] } },
      cap: 'skills:edit',
      expected: true,
    },
    {
      name: 'role permissions: configPortal for supervisors',
      user: supervisor,
      tenant: makeTenant({ queues, rolePermissions: { supervisor: { configPortal: true } } }),
      cap: 'cc:config_portal',
      expected: true,
    },
    { name: 'G12: agent joins assigned queue', user: agent, cap: 'queue:join', resource: 'queue:q1', expected: true },
    {
      name: 'G12: agent does not join other queue',
      user: agent,
      cap: 'queue:join',
      resource: 'queue:q2',
      expected: false,
    },
    {
      name: 'G14: agent role without agent licence',
      user: { contactCenter: agent.contactCenter },
      cap: 'queue:join',
      resource: 'queue:q1',
      expected: false,
    },
    {
      name: 'G7: disposition needs wrap-up',
      user: { ...agent, contactCenter: { admin: false, queues: { q2: ['agent'] } } },
      tenant: makeTenant({ queues, rolePermissions: { agent: { callDispositions: true } } }),
      cap: 'queue:disposition',
      resource: 'queue:q2',
      expected: false,
    },
    {
      name: 'G7: disposition with wrap-up',
      user: agent,
      tenant: makeTenant({ queues, rolePermissions: { agent: { callDispositions: true } } }),
      cap: 'queue:disposition',
      resource: 'queue:q1',
      expected: true,
    },
    {
      name: 'G11: supervisor of q1 not on q2',
      user: supervisor,
      cap: 'queue:monitor',
      resource: 'queue:q2',
      expected: false,
    },
    {
      name: 'G11: unrestricted supervisor on q2',
      user: supervisor,
      tenant: makeTenant({ queues, rolePermissions: { supervisor: { restrictToAssignedQueues: false } } }),
      cap: 'queue:monitor',
      resource: 'queue:q2',
      expected: true,
    },
    {
      name: 'G14: manual contact admin supervising q1 does not monitor',
      user: { source: 'manual', contactCenter: { admin: true, queues: { q1: ['supervisor'] } } },
      cap: 'queue:monitor',
      resource: 'queue:q1',
      expected: false,
    },
    {
      name: 'superuser: edit settings of any queue',
      user: { profile: { kind: 'superuser' } },
      cap: 'queue:edit_settings',
      resource: 'queue:q2',
      expected: true,
    },
    { name: 'unknown queue', user: agent, cap: 'queue:join', resource: 'queue:q9', expected: false },
    { name: 'malformed resource', user: agent, cap: 'queue:join', resource: 'queue:', expected: false },
    { name: 'unknown capability', user: agent, cap: 'nope:nothing', expected: false },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const user = makeUser(c.user);
    const tenant = c.tenant ?? makeTenant({ queues });
    const compiled = CompiledTenant.build(tenant, [user]);
    expect(compiled.check(user.id, c.cap, c.resource)).toBe(c.expected);
    expect(explainCapability(user, tenant, c.cap, c.resource).allowed).toBe(c.expected);
  });

  it('unknown users are denied', () => {
    const compiled = CompiledTenant.build(makeTenant({ queues }), [makeUser()]);
    expect(compiled.check('nobody', 'inbox:use')).toBe(false);
    expect(compiled.allowedCapabilities('nobody')).toEqual([]);
    expect(compiled.queueCapabilities('nobody')).toEqual([]);
  });
});

describe('CompiledTenant: changes', () => {
  it('upsertUser recompiles one user, including moved queue roles', () => {
    const tenant = makeTenant({ queues });
    const user = makeUser({
      licences: ['essential', 'agent'],
      contactCenter: { admin: false, queues: { q1: ['agent'] } },
    });
    const compiled = CompiledTenant.build(tenant, [user]);
    expect(compiled.check('u1', 'queue:join', 'queue:q1')).toBe(true);
    const moved = {
      ...user,
      permissions: ['website_access' as const],
      contactCenter: { admin: false, queues: { q2: ['agent' as const] } },
    };
    compiled.upsertUser(moved);
    expect(compiled.size).toBe(1);
    expect(compiled.check('u1', 'queue:join', 'queue:q1')).toBe(false);
    expect(compiled.check('u1', 'queue:join', 'queue:q2')).toBe(true);
    expect(compiled.check('u1', 'portal:use')).toBe(true);
    expectAgreement(compiled, tenant, [moved]);
  });

  it('removeUser forgets the user and a reused slot carries nothing over', () => {
    const tenant = makeTenant({ queues });
    const rich = makeUser({
      id: 'rich',
      profile: { kind: 'superuser' },
      licences: ['essential', 'agent'],
      contactCenter: { admin: true, queues: { q1: ['agent', 'supervisor'] } },
    });
    const other = makeUser({ id: 'other' });
    const compiled = CompiledTenant.build(tenant, [rich, other]);
    compiled.removeUser('rich');
    compiled.removeUser('rich'); // idempotent
    expect(compiled.has('rich')).toBe(false);
    expect(compiled.size).toBe(1);
    expect(compiled.check('rich', 'inbox:use')).toBe(false);
    const plain = makeUser({ id: 'plain', licences: [] });
    compiled.upsertUser(plain); // takes the freed slot
    expect(compiled.check('plain', 'users:view')).toBe(false);
    expect(compiled.check('plain', 'queue:join', 'queue:q1')).toBe(false);
    expect(compiled.check('plain', 'queue:view_settings', 'queue:q1')).toBe(false);
    expect(compiled.queueCapabilities('plain')).toEqual([]);
    expectAgreement(compiled, tenant, [other, plain]);
  });

  it('setTenant recompiles everyone: role permissions, plan, profiles, queues', () => {
    const before = makeTenant({ queues, profiles: [{ id: 'p1', name: 'P', grants: ['skills:view'] }] });
    const users = [
      makeUser({ id: 'sup', contactCenter: { admin: false, queues: { q1: ['supervisor'] } } }),
      makeUser({ id: 'rec', features: { ...makeUser().features, recording: true } }),
      makeUser({ id: 'prof', profile: { kind: 'profile', profileId: 'p1' } }),
      makeUser({
        id: 'late',
        licences: ['essential', 'agent'],
        contactCenter: { admin: false, queues: { q3: ['agent'] } },
      }),
    ];
    const compiled = CompiledTenant.build(before, users);
    expectAgreement(compiled, before, users);
    expect(compiled.check('late', 'queue:join', 'queue:q3')).toBe(false); // the tenant has no q3 yet

    const after = makeTenant({
      plan: 'record',
      queues: [queues[0]!, makeQueue({ id: 'q3', name: 'Alpha' })],
      profiles: [{ id: 'p1', name: 'P', grants: ['skills:edit'] }],
      rolePermissions: { supervisor: { configPortal: true, restrictToAssignedQueues: false } },
    });
    compiled.setTenant(after);
    expect(compiled.check('sup', 'cc:config_portal')).toBe(true);
    expect(compiled.check('sup', 'queue:monitor', 'queue:q3')).toBe(true);
    expect(compiled.check('sup', 'queue:monitor', 'queue:q2')).toBe(false); // q2 left the tenant
    expect(compiled.check('rec', 'telephony:record')).toBe(true);
    expect(compiled.check('prof', 'skills:view')).toBe(false);
    expect(compiled.check('prof', 'skills:edit')).toBe(true);
    expect(compiled.check('late', 'queue:join', 'queue:q3')).toBe(true);
    expect(compiled.queueCapabilities('sup').map((q) => q.id)).toEqual(['q3', 'q1']); // Alpha before Sales
    expectAgreement(compiled, after, users);
  });

  it('grows past its initial capacity', () => {
    const tenant = makeTenant({ queues });
    const users = Array.from({ length: 300 }, (_, i) =>
      makeUser({
        id: `u${i}`,
        permissions: i % 2 ? ['website_access', 'manage_users'] : [],
        licences: ['essential', 'agent'],
        contactCenter: { admin: false, queues: { [i % 3 ? 'q1' : 'q2']: ['agent'] } },
      }),
    );
    const compiled = CompiledTenant.build(tenant, users);
    expect(compiled.size).toBe(300);
    for (const u of users) {
      expect(compiled.check(u.id, 'users:edit')).toBe(u.permissions.length > 0);
      expect(compiled.check(u.id, 'queue:join', 'queue:q1')).toBe('q1' in u.contactCenter.queues);
    }
  });
});

describe('CompiledTenant agrees with explain (property)', () => {
  it('on random tenants and users: check, allowedCapabilities and queueCapabilities', () => {
    fc.assert(
      fc.property(arbScenario(6), ({ tenant, users }) => {
        expectAgreement(CompiledTenant.build(tenant, users), tenant, users);
      }),
      { numRuns: 400 },
    );
  });

  it('G15: on both paths, billable content is never allowed below the level that sells it, whatever grants it', () => {
    fc.assert(
      fc.property(arbScenario(6), ({ tenant, users }) => {
        const compiled = CompiledTenant.build(tenant, users);
        for (const user of users) {
          const explained = explainUser(user, tenant);
          for (const [cap, level] of BILLABLE_CONTENT) {
            const below = supervisorRank(user.supervisorLevel) < supervisorRank(level);
            if (below) {
              expect(compiled.check(user.id, cap), `${user.id} ${cap}`).toBe(false);
              expect(explained[cap]!.blockedBy.map((b) => b.rule)).toContain('G15');
            } else {
              expect(explained[cap]!.blockedBy.map((b) => b.rule)).not.toContain('G15');
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('after random sequences of upsertUser, removeUser and setTenant', () => {
    const ids = ['u0', 'u1', 'u2', 'u3'];
    const arbOp = fc.oneof(
      fc
        .constantFrom(...ids)
        .chain((id) => arbUser(id))
        .map((user) => ({ kind: 'upsert' as const, user })),
      fc.constantFrom(...ids).map((id) => ({ kind: 'remove' as const, id })),
      arbTenant.map((tenant) => ({ kind: 'tenant' as const, tenant })),
    );
    fc.assert(
      fc.property(arbScenario(4), fc.array(arbOp, { maxLength: 8 }), ({ tenant: first, users: initial }, ops) => {
        let tenant = first;
        const users = new Map(initial.map((u) => [u.id, u]));
        const compiled = CompiledTenant.build(tenant, initial);
        for (const op of ops) {
          if (op.kind === 'upsert') {
            users.set(op.user.id, op.user);
            compiled.upsertUser(op.user);
          } else if (op.kind === 'remove') {
            users.delete(op.id);
            compiled.removeUser(op.id);
          } else {
            tenant = op.tenant;
            compiled.setTenant(tenant);
          }
        }
        expectAgreement(compiled, tenant, [...users.values()]);
      }),
      { numRuns: 200 },
    );
  });
});
