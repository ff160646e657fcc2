import { describe, expect, it } from 'vitest';
import { superiorViolation, validateUserRemoval, type ChangeActor } from './actor-bounds.js';
import { explainUser } from './explain.js';
import type { UserAccess } from './types.js';
import { makeTenant, makeUser } from '../../test/support/access-factories.js';
import {
  actorWith,
  admin,
  changeContext as ctx,
  provider,
  violationCodes as codes,
} from '../../test/support/change-actors.js';

/** Who may change what (C1-C9, with A1 and A3): the actor's permissions, bounds and pools. */

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
