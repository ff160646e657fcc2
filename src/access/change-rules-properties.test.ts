import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeActor } from './actor-bounds.js';
import { applyAutomaticAssignments } from './automatic-assignment.js';
import { validateUserChange } from './change-rules.js';
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
import { arbTenant, arbUser, makeUser } from '../../test/support/access-factories.js';
import { changeContext as ctx } from '../../test/support/change-actors.js';

/** Property tests of C3 (no escalation) and C9 (no acting on superiors) over random tenants and change sequences. */

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
