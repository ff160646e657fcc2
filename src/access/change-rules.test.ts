import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { superiorViolation, validateUserRemoval, type ChangeActor } from './actor-bounds.js';
import { applyAutomaticAssignments } from './automatic-assignment.js';
import { validateUserChange, type UserChangeContext } from './change-rules.js';
import {
  BILLABLE_CONTENT,
  NAMED_PERMISSIONS,
  PERMISSION_CAPABILITIES,
  SUPERVISOR_LEVELS,
  type Capability,
  type NamedPermission,
  type SupervisorLevel,
} from '../catalog/index.js';
import { explainUser } from './explain.js';
import type { TenantAccess, UserAccess } from './types.js';
import { arbTenant, arbUser, makeTenant, makeUser } from '../../test/support/access-factories.js';

const provider: ChangeActor = { all: true, superuser: true, capabilities: new Set() };
const actorWith = (...caps: string[]): ChangeActor => ({ all: false, superuser: false, capabilities: new Set(caps) });
const admin = actorWith('portal:use', 'users:view', 'users:create', 'users:edit', 'users:delete');

function ctx(tenant: TenantAccess = makeTenant(), over: Partial<UserChangeContext> = {}): UserChangeContext {
  return {
    tenant,
    pools: { caps: {}, assigned: {} },
    emailTaken: false,
    otherAdmins: 1,
    groupIds: new Set(['g1', 'g2']),
    workspaceIds: new Set(['w1']),
    ...over,
  };
}
const codes = (actor: ChangeActor, before: UserAccess | null, after: UserAccess, c = ctx()) =>
  validateUserChange(actor, before, applyAutomaticAssignments(after, before), c).map(
    (v) => `${v.rule ?? '-'}:${v.code}`,
  );

describe('automatic assignment', () => {
  it('A1: platform users get Essential', () => {
    expect(applyAutomaticAssignments(makeUser({ licences: [] }), null).licences).toContain('essential');
  });
  it('A2: a supervisor level, a profile, contact admin or UC client access brings website access', () => {
    for (const change of [
      { supervisorLevel: 'report' as const },
      { profile: { kind: 'custom' as const, grants: [] } },
      { contactCenter: { admin: true, queues: {} } },
      { ucClient: { desktop: true, softphone: { enabled: false, clients: [], deviceId: null } } },
    ]) {
      expect(applyAutomaticAssignments(makeUser(change), null).permissions).toContain('website_access');
    }
  });
  it('A2: gives, it does not keep giving: website access taken away from a supervisor stays away; the level stays, blocked by G1', () => {
    const sup = makeUser({ permissions: ['website_access'], supervisorLevel: 'report' });
    const taken = applyAutomaticAssignments({ ...sup, permissions: [] }, sup);
    expect(taken.permissions).toEqual([]);
    expect(taken.supervisorLevel).toBe('report');
    expect(codes(admin, sup, { ...sup, permissions: [] })).toEqual([]);
    // A later save that gives no trigger does not bring it back.
    expect(applyAutomaticAssignments({ ...taken, recordingScope: 'all' }, taken).permissions).toEqual([]);
    const d = explainUser(taken, makeTenant())['reports:view']!;
    expect(d).toMatchObject({ allowed: false, grantedBy: ['supervisor_level:report'] });
    expect(d.blockedBy.map((b) => b.rule)).toEqual(['G1']);
  });
  it('A2: applies when its trigger is given in this change (level from none, a profile, contact admin, UC client)', () => {
    const noWeb = makeUser({ licences: ['essential', 'crm'], permissions: [] });
    const uc = { desktop: true, softphone: { enabled: false, clients: [], deviceId: null } };
    const triggers: Array<[string, Partial<UserAccess>, Partial<UserAccess>]> = [
      ['level raised from none', { supervisorLevel: 'none' }, { supervisorLevel: 'report' }],
      ['a profile newly assigned', {}, { profile: { kind: 'custom', grants: [] } }],
      ['another profile assigned', { profile: { kind: 'custom', grants: [] } }, { profile: { kind: 'superuser' } }],
      ['contact admin turned on', {}, { contactCenter: { admin: true, queues: {} } }],
      ['UC desktop given', {}, { ucClient: uc }],
      ['CRM add-on given', { licences: ['essential'] }, { licences: ['essential', 'crm'] }],
    ];
    for (const [name, was, now] of triggers) {
      const before = { ...noWeb, ...was };
      expect(applyAutomaticAssignments({ ...before, ...now }, before).permissions, name).toContain('website_access');
    }
    const held: Array<[string, Partial<UserAccess>, Partial<UserAccess>]> = [
      ['level kept', { supervisorLevel: 'report' }, {}],
      ['level raised from report', { supervisorLevel: 'report' }, { supervisorLevel: 'live' }],
      ['the same profile', { profile: { kind: 'superuser' } }, {}],
      [
        'custom grants edited',
        { profile: { kind: 'custom', grants: [] } },
        { profile: { kind: 'custom', grants: ['users:view'] } },
      ],
      ['contact admin kept', { contactCenter: { admin: true, queues: {} } }, {}],
      ['UC client kept', { ucClient: uc }, {}],
      ['CRM kept', {}, {}],
    ];
    for (const [name, was, now] of held) {
      const before = { ...noWeb, ...was };
      expect(applyAutomaticAssignments({ ...before, ...now }, before).permissions, name).not.toContain(
        'website_access',
      );
    }
  });
  it('A2, G2: when website access cannot be given for want of a unique email, the whole change is refused', () => {
    expect(
      codes(provider, makeUser(), makeUser({ supervisorLevel: 'report' }), ctx(makeTenant(), { emailTaken: true })),
    ).toContain('G2:email_not_unique');
    expect(codes(provider, makeUser({ email: null }), makeUser({ email: null, supervisorLevel: 'report' }))).toContain(
      'G2:email_required',
    );
  });
  it('A4: leaving the primary group clears it; a primary group outside the groups is refused', () => {
    const before = makeUser({ groups: ['g1', 'g2'], primaryGroup: 'g1' });
    expect(applyAutomaticAssignments({ ...before, groups: ['g2'] }, before).primaryGroup).toBeNull();
    expect(codes(provider, makeUser(), makeUser({ groups: ['g2'], primaryGroup: 'g1' }))).toContain(
      'A4:primary_group_not_member',
    );
  });
});

describe('who may change what', () => {
  it('C1: changing users needs users:edit (creating: users:create)', () => {
    expect(codes(actorWith('portal:use'), makeUser(), makeUser({ recordingScope: 'all' }))).toContain('C1:forbidden');
    expect(codes(actorWith('portal:use', 'users:edit'), null, makeUser())).toContain('C1:forbidden');
    expect(codes(admin, makeUser(), makeUser({ recordingScope: 'all' }))).toEqual([]);
  });
  it('C2: increasing billable usage needs billing:edit; decreasing does not', () => {
    expect(codes(admin, makeUser(), makeUser({ licences: ['essential', 'softphone'] }))).toContain(
      'C2:billable_permission_required',
    );
    expect(
      codes(admin, makeUser({ permissions: ['website_access'] }), makeUser({ supervisorLevel: 'live' })),
    ).toContain('C2:billable_permission_required');
    expect(
      codes(
        actorWith(...admin.capabilities, 'billing:edit'),
        makeUser(),
        makeUser({ licences: ['essential', 'softphone'] }),
      ),
    ).toEqual([]);
    expect(
      codes(
        admin,
        makeUser({ permissions: ['website_access'], supervisorLevel: 'live' }),
        makeUser({ permissions: ['website_access'], supervisorLevel: 'report' }),
      ),
    ).toEqual([]);
  });
  it('C3: a named permission, profile or custom grant only by an actor holding all of it; superuser only by a superuser', () => {
    const wa = { permissions: ['website_access' as const] };
    expect(codes(admin, makeUser(wa), makeUser({ permissions: ['website_access', 'webhook_admin'] }))).toContain(
      'C3:escalation_refused',
    );
    expect(codes(admin, makeUser(wa), makeUser({ permissions: ['website_access', 'manage_users'] }))).toEqual([]);
    expect(
      codes(admin, makeUser(wa), makeUser({ ...wa, profile: { kind: 'custom', grants: ['settings:edit'] } })),
    ).toContain('C3:escalation_refused');
    const tenant = makeTenant({ profiles: [{ id: 'p1', name: 'Users', grants: ['users:view'] }] } as never);
    expect(
      codes(admin, makeUser(wa), makeUser({ ...wa, profile: { kind: 'profile', profileId: 'p1' } }), ctx(tenant)),
    ).toEqual([]);
    expect(codes(admin, makeUser(wa), makeUser({ ...wa, profile: { kind: 'superuser' } }))).toContain(
      'C3:escalation_refused',
    );
    expect(
      codes({ ...admin, superuser: true }, makeUser(wa), makeUser({ ...wa, profile: { kind: 'superuser' } })),
    ).toEqual([]);
  });
  it('C3, G15: billable content in a profile or custom grant needs no level from the actor (G15 keeps it blocked until the holder has the level)', () => {
    const wa = { permissions: ['website_access' as const] };
    const content = makeUser({
      ...wa,
      profile: { kind: 'custom', grants: ['users:view', 'reports:view', 'dashboards:view'] },
    });
    expect(codes(admin, makeUser(wa), content)).toEqual([]);
    const tenant = makeTenant({
      profiles: [{ id: 'p1', name: 'Reporting', grants: ['reports:view', 'wallboards:view'] }],
    });
    expect(
      codes(admin, makeUser(wa), makeUser({ ...wa, profile: { kind: 'profile', profileId: 'p1' } }), ctx(tenant)),
    ).toEqual([]);
    // What the bundle holds beyond billable content is still C3's.
    expect(
      codes(
        admin,
        makeUser(wa),
        makeUser({ ...wa, profile: { kind: 'custom', grants: ['reports:view', 'settings:edit'] } }),
      ),
    ).toContain('C3:escalation_refused');
  });
  describe('C9: no acting on superiors', () => {
    const users = ['users:view', 'users:create', 'users:edit', 'users:delete'];
    const delegate = actorWith('portal:use', ...users);
    const owner = makeUser({
      id: 'owner',
      source: 'manual',
      licences: [],
      permissions: ['website_access', 'manage_users', 'manage_billable_items'],
      profile: { kind: 'superuser' },
    });
    const ordinary = makeUser({ id: 'o1', permissions: ['website_access'] });

    it('C9: a Manage-Users-only delegate changes nothing of an owner holding Manage Billable Items and superuser', () => {
      for (const change of [
        { permissions: ['website_access' as const, 'manage_users' as const] },
        { profile: { kind: 'none' as const } },
        { status: 'suspended' as const },
        { recordingScope: 'all' as const },
        { permissions: ['website_access' as const] },
      ]) {
        expect(codes(delegate, owner, { ...owner, ...change }), JSON.stringify(change)).toContain('C9:superior_user');
      }
    });
    it('C9: the delegate still edits, suspends and demotes ordinary users', () => {
      expect(codes(delegate, ordinary, { ...ordinary, recordingScope: 'all' })).toEqual([]);
      expect(codes(delegate, ordinary, { ...ordinary, status: 'suspended' })).toEqual([]);
      const manager = makeUser({ id: 'm1', permissions: ['website_access', 'manage_users'] });
      expect(codes(delegate, manager, { ...manager, permissions: ['website_access'] })).toEqual([]);
      // Billable content and licences are C2's, not powers: a report supervisor is no superior.
      const reporter = makeUser({ id: 'r1', permissions: ['website_access'], supervisorLevel: 'report' });
      expect(codes(delegate, reporter, { ...reporter, supervisorLevel: 'none' })).toEqual([]);
    });
    it('C9: the provider, and whoever holds every power of the user, may act on them', () => {
      expect(codes(provider, owner, { ...owner, profile: { kind: 'none' } })).toEqual([]);
      const peer: ChangeActor = {
        all: false,
        superuser: true,
        capabilities: new Set(
          Object.entries(explainUser(owner, makeTenant()))
            .filter(([, d]) => d.allowed)
            .map(([c]) => c),
        ),
      };
      expect(codes(peer, owner, { ...owner, permissions: ['website_access', 'manage_users'] })).toEqual([]);
    });
    it('C9: takes away only what it could give: a named permission, custom grant or superuser, even when dormant (G1)', () => {
      const dormant = makeUser({ id: 'd1', permissions: ['manage_billable_items', 'webhook_admin'] });
      expect(codes(delegate, dormant, { ...dormant, permissions: ['webhook_admin'] })).toContain('C9:removal_refused');
      expect(codes(delegate, dormant, { ...dormant, permissions: ['manage_billable_items'] })).toContain(
        'C9:removal_refused',
      );
      const custom = makeUser({ id: 'c1', profile: { kind: 'custom', grants: ['webhooks:view', 'users:view'] } });
      expect(codes(delegate, custom, { ...custom, profile: { kind: 'custom', grants: ['webhooks:view'] } })).toEqual(
        [],
      );
      expect(codes(delegate, custom, { ...custom, profile: { kind: 'custom', grants: ['users:view'] } })).toContain(
        'C9:removal_refused',
      );
      const tenant = makeTenant({ profiles: [{ id: 'p1', name: 'Hooks', grants: ['webhooks:edit', 'reports:view'] }] });
      const held = makeUser({ id: 'h1', profile: { kind: 'profile', profileId: 'p1' } });
      expect(codes(delegate, held, { ...held, profile: { kind: 'none' } }, ctx(tenant))).toContain(
        'C9:removal_refused',
      );
      const withHooks = actorWith(...delegate.capabilities, 'webhooks:edit');
      expect(codes(withHooks, held, { ...held, profile: { kind: 'none' } }, ctx(tenant))).toEqual([]);
    });
    it('C9: deleting a user is acting on them, and takes away everything they hold', () => {
      const del = (actor: ChangeActor, u: UserAccess) =>
        validateUserRemoval(actor, u, makeTenant()).map((x) => `${x.rule}:${x.code}`);
      expect(superiorViolation(delegate, owner, makeTenant())).toMatchObject({ rule: 'C9', code: 'superior_user' });
      expect(superiorViolation(delegate, ordinary, makeTenant())).toBeNull();
      expect(superiorViolation(provider, owner, makeTenant())).toBeNull();
      expect(del(delegate, owner)).toEqual(['C9:superior_user']);
      expect(del(delegate, ordinary)).toEqual([]);
      expect(del(provider, owner)).toEqual([]);
      // A dormant Manage Billable Items (website access taken away, G1) is still taken away by a deletion.
      expect(del(delegate, makeUser({ permissions: ['manage_billable_items'] }))).toEqual(['C9:removal_refused']);
    });
    it('C9: a suspended superior is still a superior', () => {
      const suspended = { ...owner, status: 'suspended' as const };
      expect(codes(delegate, suspended, { ...suspended, status: 'active' })).toContain('C9:superior_user');
      expect(validateUserRemoval(delegate, suspended, makeTenant())[0]).toMatchObject({ code: 'superior_user' });
    });
  });
  it('C4: the last admin keeps website access and users:edit', () => {
    const last = makeUser({ permissions: ['website_access', 'manage_users'] });
    const c = ctx(makeTenant(), { otherAdmins: 0 });
    expect(codes(provider, last, makeUser({ permissions: ['website_access'] }), c)).toContain('C4:last_admin');
    expect(codes(provider, last, makeUser({ ...last, status: 'suspended' }), c)).toContain('C4:last_admin');
    expect(codes(provider, last, makeUser({ permissions: ['website_access'] }))).toEqual([]);
  });
  it('C6: a licence whose pool is used up is refused', () => {
    const c = ctx(makeTenant(), { pools: { caps: { softphone: 2 }, assigned: { softphone: 2 } } });
    expect(codes(provider, makeUser(), makeUser({ licences: ['essential', 'softphone'] }), c)).toContain(
      'C6:licence_pool_exhausted',
    );
  });
  it('C7: queue roles and the Contact Admin role need cc:admin', () => {
    const t = makeTenant({ queues: [{ id: 'q1', name: 'Sales', kind: 'queue', wrapUpSeconds: 0 }] } as never);
    expect(
      codes(admin, makeUser(), makeUser({ contactCenter: { admin: false, queues: { q1: ['supervisor'] } } }), ctx(t)),
    ).toContain('C7:cc_admin_required');
    expect(
      codes(
        actorWith(...admin.capabilities, 'cc:admin'),
        makeUser(),
        makeUser({ contactCenter: { admin: false, queues: { q1: ['supervisor'] } } }),
        ctx(t),
      ),
    ).toEqual([]);
  });
  it('C7, G14: any user with website access may be made Contact Admin, manual users included; only queue roles need a platform user', () => {
    const ccAdmin = actorWith(...admin.capabilities, 'cc:admin');
    const manual = makeUser({ source: 'manual', licences: [], permissions: ['website_access'] });
    const made = { ...manual, contactCenter: { admin: true, queues: {} } };
    expect(codes(ccAdmin, manual, made)).toEqual([]);
    expect(codes(actorWith(...ccAdmin.capabilities, 'users:create'), null, made)).toEqual([]);
    expect(codes(admin, manual, made)).toContain('C7:cc_admin_required');
  });
  it('A1, A3: Essential is locked on platform users; under the auto policy only sync assigns Agent', () => {
    expect(codes(provider, makeUser(), { ...makeUser(), licences: [] })).toContain('A1:read_only_field');
    const auto = makeTenant({ policies: { agentAddOn: 'auto' } });
    expect(codes(provider, makeUser(), makeUser({ licences: ['essential', 'agent'] }), ctx(auto))).toContain(
      'A3:locked_by_policy',
    );
    expect(
      codes({ ...provider, isSync: true }, makeUser(), makeUser({ licences: ['essential', 'agent'] }), ctx(auto)),
    ).toEqual([]);
  });
});

describe('constraints at change time', () => {
  it('G1: other named permissions need website access first', () => {
    expect(codes(provider, makeUser(), makeUser({ permissions: ['manage_contact_directory'] }))).toContain(
      'G1:website_access_required',
    );
  });
  it('G3, G4, G5: UC client needs Essential; Essential and Agent are for platform users; the softphone needs its licence and an own device', () => {
    const manual = makeUser({ source: 'manual', licences: [] });
    expect(codes(provider, manual, { ...manual, licences: ['agent'] })).toContain('G4:platform_user_required');
    expect(
      codes(provider, manual, {
        ...manual,
        ucClient: { desktop: true, softphone: { enabled: false, clients: [], deviceId: null } },
      }),
    ).toContain('G3:essential_required');
    const sp = (deviceId: string | null, clients: Array<'desktop' | 'crm'> = ['desktop']) =>
      makeUser({
        licences: ['essential'],
        ucClient: { desktop: false, softphone: { enabled: true, clients, deviceId } },
        devices: [{ id: 'd1', kind: 'sip' }],
      });
    expect(codes(provider, makeUser(), sp('d1'))).toContain('G5:softphone_licence_required');
    expect(codes(provider, makeUser(), { ...sp('d9'), licences: ['essential', 'softphone'] })).toContain(
      'G5:device_required',
    );
    expect(codes(provider, makeUser(), { ...sp('d1', ['crm']), licences: ['essential', 'softphone'] })).toContain(
      'G5:webrtc_device_required',
    );
  });
  it('G14: queue roles for platform users; the agent role needs Agent', () => {
    const t = makeTenant({ queues: [{ id: 'q1', name: 'Sales', kind: 'queue', wrapUpSeconds: 0 }] } as never);
    expect(
      codes(provider, makeUser(), makeUser({ contactCenter: { admin: false, queues: { q1: ['agent'] } } }), ctx(t)),
    ).toContain('G14:agent_licence_required');
    const manual = makeUser({ source: 'manual', licences: [] });
    expect(
      codes(provider, manual, { ...manual, contactCenter: { admin: false, queues: { q1: ['supervisor'] } } }, ctx(t)),
    ).toContain('G14:platform_user_required');
  });
  it('F1-F3: feature settings the plan lacks are refused; stored ones survive a downgrade (G8)', () => {
    const basic = makeTenant({ plan: 'basic' });
    expect(
      codes(provider, makeUser(), makeUser({ features: { ...makeUser().features, recording: true } }), ctx(basic)),
    ).toContain('F2:plan_feature_missing');
    expect(
      codes(
        provider,
        makeUser(),
        makeUser({ features: { ...makeUser().features, dialRestriction: { enabled: true, allowedRegions: ['DE'] } } }),
        ctx(basic),
      ),
    ).toContain('F3:plan_feature_missing');
    const kept = makeUser({ features: { ...makeUser().features, recording: true } });
    expect(codes(provider, kept, { ...kept, recordingScope: 'all' }, ctx(basic))).toEqual([]);
  });
});

function allowedCapabilities(u: UserAccess, tenant: TenantAccess): Set<string> {
  return new Set(
    Object.entries(explainUser(u, tenant))
      .filter(([, d]) => d.allowed)
      .map(([c]) => c),
  );
}

/** Capabilities a user holds through named permissions and profiles: what C3 guards. */
/** A user acting with the capabilities they are allowed (C3, C9 property tests). */
function actorOf(me: UserAccess, capabilities: ReadonlySet<string>): ChangeActor {
  return { all: false, superuser: me.status === 'active' && me.profile.kind === 'superuser', capabilities };
}

function guardedCapabilities(u: UserAccess, tenant: TenantAccess): Set<string> {
  return new Set(
    Object.entries(explainUser(u, tenant))
      .filter(([, d]) => d.allowed && d.grantedBy.some((s) => s.startsWith('permission:') || s.startsWith('profile:')))
      .map(([c]) => c),
  );
}

describe('no escalation (property)', () => {
  it('C3: no sequence of allowed changes lets an actor grant, through permissions or profiles, a capability it did not hold', () => {
    fc.assert(
      fc.property(
        arbTenant,
        arbUser('actor'),
        fc.array(fc.tuple(fc.nat(2), arbUser('x')), { minLength: 1, maxLength: 8 }),
        (tenant, actorUser, steps) => {
          const actorState = { ...actorUser, status: 'active' as const, source: 'manual' as const, licences: [] };
          const users = new Map<string, UserAccess>([
            ['actor', actorState],
            ['t1', makeUser({ id: 't1' })],
            ['t2', makeUser({ id: 't2', source: 'manual', licences: [] })],
          ]);
          const initialCaps = allowedCapabilities(actorState, tenant);
          const ids = ['actor', 't1', 't2'];
          for (const [which, requested] of steps) {
            const id = ids[which]!;
            const before = users.get(id)!;
            const me = users.get('actor')!;
            const caps = allowedCapabilities(me, tenant);
            const actor = actorOf(me, caps);
            const after = applyAutomaticAssignments(
              { ...requested, id, source: before.source, devices: before.devices },
              before,
            );
            if (validateUserChange(actor, before, after, ctx(tenant, { otherAdmins: 1 })).length > 0) continue;
            users.set(id, after);
            // Newly allowed through a permission or profile: the actor must have held it. (Billable content a
            // profile bundles is allowed only with the level, which grants it too, so it is never new this way.)
            const allowedBefore = allowedCapabilities(before, tenant);
            for (const c of guardedCapabilities(after, tenant)) {
              if (!allowedBefore.has(c) && !initialCaps.has(c) && !(actorState.profile.kind === 'superuser'))
                return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A user's powers as C9 reads them, written from the engine's answers: as if active, through permissions, profiles or Contact Admin, billable content aside. */
function powersAsActive(u: UserAccess, tenant: TenantAccess): Set<string> {
  return new Set(
    Object.entries(explainUser({ ...u, status: 'active' }, tenant))
      .filter(
        ([c, d]) =>
          d.allowed &&
          !BILLABLE_CONTENT.has(c as Capability) &&
          d.grantedBy.some(
            (s) => s.startsWith('permission:') || s.startsWith('profile:') || s === 'role:contact_admin',
          ),
      )
      .map(([c]) => c),
  );
}

/** One edit an admin makes in the editor: small, so that most of them pass the other rules. */
type Edit =
  | { kind: 'drop' | 'add'; permission: NamedPermission }
  | { kind: 'profileNone' }
  | { kind: 'status'; status: 'active' | 'suspended' }
  | { kind: 'scope'; scope: 'own' | 'group' | 'all' }
  | { kind: 'level'; level: SupervisorLevel }
  | { kind: 'replace'; user: UserAccess };
const arbEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('drop' as const, 'add' as const),
    permission: fc.constantFrom(...NAMED_PERMISSIONS),
  }),
  fc.constant({ kind: 'profileNone' as const }),
  fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom('active' as const, 'suspended' as const) }),
  fc.record({
    kind: fc.constant('scope' as const),
    scope: fc.constantFrom('own' as const, 'group' as const, 'all' as const),
  }),
  fc.record({ kind: fc.constant('level' as const), level: fc.constantFrom(...SUPERVISOR_LEVELS) }),
  arbUser('x').map((user) => ({ kind: 'replace' as const, user })),
);
function applyEdit(u: UserAccess, e: Edit): UserAccess {
  switch (e.kind) {
    case 'drop':
      return { ...u, permissions: u.permissions.filter((p) => p !== e.permission) };
    case 'add':
      return { ...u, permissions: [...new Set([...u.permissions, e.permission])] };
    case 'profileNone':
      return { ...u, profile: { kind: 'none' } };
    case 'status':
      return { ...u, status: e.status };
    case 'scope':
      return { ...u, recordingScope: e.scope };
    case 'level':
      return { ...u, supervisorLevel: e.level };
    case 'replace':
      return { ...e.user, id: u.id, source: u.source, devices: u.devices };
  }
}

describe('no acting on superiors (property)', () => {
  it('C9: no sequence of allowed changes by a delegate changes a user whose powers exceed its own, or takes away what it could not give', () => {
    let superiorsMet = 0;
    let allowedSteps = 0;
    fc.assert(
      fc.property(
        arbTenant,
        arbUser('actor'),
        arbUser('sup'),
        fc.array(fc.tuple(fc.nat(2), arbEdit), { minLength: 1, maxLength: 10 }),
        (tenant, actorUser, supUser, steps) => {
          // A delegate: website access and Manage Users, whatever else it holds.
          const actorState: UserAccess = {
            ...actorUser,
            status: 'active',
            source: 'manual',
            licences: [],
            permissions: [...new Set(['website_access' as const, 'manage_users' as const, ...actorUser.permissions])],
          };
          const users = new Map<string, UserAccess>([
            ['actor', actorState],
            ['sup', { ...supUser, email: 'sup@example.test' }],
            ['t1', makeUser({ id: 't1', permissions: ['website_access'] })],
          ]);
          const ids = ['actor', 'sup', 't1'];
          for (const [which, edit] of steps) {
            const id = ids[which]!;
            const before = users.get(id)!;
            const me = users.get('actor')!;
            const caps = allowedCapabilities(me, tenant);
            const actor = actorOf(me, caps);
            const superior =
              id !== 'actor' &&
              ([...powersAsActive(before, tenant)].some((c) => !caps.has(c)) ||
                (before.profile.kind === 'superuser' && !actor.superuser));
            if (superior) superiorsMet++;
            const after = applyAutomaticAssignments(applyEdit(before, edit), before);
            if (validateUserChange(actor, before, after, ctx(tenant, { otherAdmins: 1 })).length > 0) continue;
            allowedSteps++;
            users.set(id, after);
            // A superior is never changed at all, so never reduced.
            if (superior) return false;
            // What was taken away, the actor could have given (C3 both ways).
            for (const p of before.permissions.filter((x) => !after.permissions.includes(x)))
              if (PERMISSION_CAPABILITIES[p].some((c) => !caps.has(c))) return false;
            if (before.profile.kind === 'superuser' && after.profile.kind !== 'superuser' && !actor.superuser)
              return false;
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
    // The property is only worth something if it meets superiors and allows changes.
    expect(superiorsMet).toBeGreaterThan(100);
    expect(allowedSteps).toBeGreaterThan(100);
  });
});
