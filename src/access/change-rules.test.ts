import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyAutomaticAssignments,
  validateUserChange,
  type ChangeActor,
  type UserChangeContext,
} from './change-rules.js';
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
          const initialCaps = new Set(
            Object.entries(explainUser(actorState, tenant))
              .filter(([, d]) => d.allowed)
              .map(([c]) => c),
          );
          const ids = ['actor', 't1', 't2'];
          for (const [which, requested] of steps) {
            const id = ids[which]!;
            const before = users.get(id)!;
            const me = users.get('actor')!;
            const caps = new Set(
              Object.entries(explainUser(me, tenant))
                .filter(([, d]) => d.allowed)
                .map(([c]) => c),
            );
            const actor: ChangeActor = {
              all: false,
              superuser: me.status === 'active' && me.profile.kind === 'superuser',
              capabilities: caps,
            };
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
