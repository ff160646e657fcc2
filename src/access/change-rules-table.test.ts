import { describe, expect, it } from 'vitest';
import { validateUserRemoval, type ChangeActor } from './actor-bounds.js';
import {
  agentFollowsAcd,
  automaticChanges,
  applyAutomaticAssignments,
  essentialGiven,
} from './automatic-assignment.js';
import {
  CHANGE_RULES,
  poolHasRoom,
  readOnlyFieldViolations,
  validateUserChange,
  type ChangeInput,
  type ChangeRuleId,
  type UserChangeContext,
} from './change-rules.js';
import { PLANS } from '../catalog/index.js';
import type { UserAccess } from './types.js';
import { USER_FIELD_OWNERSHIP } from '../modules/platform/ownership.js';
import { makeQueue, makeTenant, makeUser } from '../../test/support/access-factories.js';
import { actorWith, admin, provider } from '../../test/support/change-actors.js';

/** The rule table, entry by entry: each rule id refuses the change it names and lets its counterpart pass. */

const sync: ChangeActor = { ...provider, isSync: true };

const tenant = makeTenant({ queues: [makeQueue({ id: 'q1' })], profiles: [] });
const context = (over: Partial<UserChangeContext> = {}): UserChangeContext => ({
  tenant,
  pools: { caps: {}, assigned: {} },
  emailTaken: false,
  otherAdmins: 1,
  groupIds: new Set(['g1']),
  workspaceIds: new Set(['w1']),
  ...over,
});
const base = makeUser();
const manual = makeUser({ source: 'manual', licences: [] });
const web = makeUser({ permissions: ['website_access'] });
const tenantAdmin = makeUser({ source: 'manual', licences: [], permissions: ['website_access', 'manage_users'] });

/** A change by the provider of the platform user `base` to `after`, unless the case says otherwise. */
const change = (over: Partial<ChangeInput> & { after: UserAccess }): ChangeInput => ({
  actor: provider,
  before: base,
  ctx: context(),
  ...over,
});
const withUser = (u: UserAccess, over: Partial<UserAccess>) => ({ ...u, ...over });

/** For each rule id: a change it refuses and the nearest change it lets pass. */
const CASES: Record<ChangeRuleId, { refuses: ChangeInput; passes: ChangeInput }> = {
  C1: {
    refuses: change({ actor: actorWith('users:view'), after: withUser(base, { recordingScope: 'all' }) }),
    passes: change({ actor: actorWith('users:edit'), after: withUser(base, { recordingScope: 'all' }) }),
  },
  C5: {
    refuses: change({ after: base, fields: new Set(['extension']) }),
    passes: change({ after: base, fields: new Set(['displayName', 'email']) }),
  },
  G10: {
    refuses: change({ after: base, fields: new Set(['preferences']) }),
    passes: change({ after: base, fields: new Set(['features']) }),
  },
  G13: {
    refuses: change({ before: withUser(base, { status: 'removed' }), after: base }),
    passes: change({ actor: sync, before: withUser(base, { status: 'removed' }), after: base }),
  },
  A1: {
    refuses: change({ after: withUser(base, { licences: [] }) }),
    passes: change({ after: withUser(base, { status: 'removed', licences: [] }), actor: sync }),
  },
  A3: {
    refuses: change({
      ctx: context({ tenant: { ...tenant, policies: { agentAddOn: 'auto' } } }),
      after: withUser(base, { licences: ['essential', 'agent'] }),
    }),
    passes: change({
      actor: sync,
      ctx: context({ tenant: { ...tenant, policies: { agentAddOn: 'auto' } } }),
      after: withUser(base, { licences: ['essential', 'agent'] }),
    }),
  },
  G4: {
    refuses: change({ before: manual, after: withUser(manual, { licences: ['essential'] }) }),
    passes: change({ before: manual, after: withUser(manual, { licences: ['crm'] }), fields: new Set() }),
  },
  G3: {
    refuses: change({ before: manual, after: withUser(manual, { licences: ['crm'] }) }),
    passes: change({ after: withUser(base, { licences: ['essential', 'crm'] }) }),
  },
  G5: {
    refuses: change({
      after: withUser(base, {
        licences: ['essential', 'softphone'],
        ucClient: { desktop: false, softphone: { enabled: true, clients: ['desktop'], deviceId: 'd9' } },
      }),
    }),
    passes: change({
      after: withUser(base, {
        licences: ['essential', 'softphone'],
        devices: [{ id: 'd1', kind: 'sip' }],
        ucClient: { desktop: false, softphone: { enabled: true, clients: ['desktop'], deviceId: 'd1' } },
      }),
    }),
  },
  G2: {
    refuses: change({ after: withUser(base, { permissions: ['website_access'] }), ctx: context({ emailTaken: true }) }),
    passes: change({ after: withUser(base, { permissions: ['website_access'] }) }),
  },
  G1: {
    refuses: change({ after: withUser(base, { permissions: ['manage_users'] }) }),
    passes: change({ after: withUser(base, { permissions: ['website_access', 'manage_users'] }) }),
  },
  G14: {
    refuses: change({
      before: manual,
      after: withUser(manual, { contactCenter: { admin: false, queues: { q1: ['supervisor'] } } }),
    }),
    passes: change({ after: withUser(base, { contactCenter: { admin: false, queues: { q1: ['supervisor'] } } }) }),
  },
  C7: {
    refuses: change({ actor: admin, after: withUser(base, { contactCenter: { admin: true, queues: {} } }) }),
    passes: change({
      actor: actorWith(...admin.capabilities, 'cc:admin'),
      after: withUser(base, { contactCenter: { admin: true, queues: {} } }),
    }),
  },
  A4: {
    refuses: change({ after: withUser(base, { groups: ['g1'], primaryGroup: 'g2' }) }),
    passes: change({ after: withUser(base, { groups: ['g1'], primaryGroup: 'g1' }) }),
  },
  E2: {
    refuses: change({ after: withUser(base, { groups: ['g-gone'] }) }),
    passes: change({ after: withUser(base, { groups: ['g1'], workspaces: { w1: 'viewer' } }) }),
  },
  F1: {
    refuses: change({
      before: withUser(base, { features: { ...base.features, channels: 'none' } }),
      after: base,
      ctx: context({ tenant: { ...tenant, plan: 'no-such-plan', planFeatures: [] } }),
    }),
    passes: change({ before: withUser(base, { features: { ...base.features, channels: 'none' } }), after: base }),
  },
  F2: {
    refuses: change({ after: withUser(base, { features: { ...base.features, recording: true } }) }),
    passes: change({
      after: withUser(base, { features: { ...base.features, recording: true } }),
      ctx: context({ tenant: { ...tenant, plan: 'record', planFeatures: PLANS.record!.features } }),
    }),
  },
  G8: {
    refuses: change({
      before: withUser(base, { features: { ...base.features, crmOverlay: false } }),
      after: base,
      ctx: context({ tenant: { ...tenant, plan: 'no-such-plan', planFeatures: [] } }),
    }),
    // A stored setting survives a downgrade: keeping it on is no change.
    passes: change({
      before: base,
      after: base,
      ctx: context({ tenant: { ...tenant, plan: 'no-such-plan', planFeatures: [] } }),
    }),
  },
  F3: {
    refuses: change({
      after: withUser(base, { features: { ...base.features, dialRestriction: { enabled: true, allowedRegions: [] } } }),
    }),
    passes: change({
      after: withUser(base, { features: { ...base.features, dialRestriction: { enabled: true, allowedRegions: [] } } }),
      ctx: context({ tenant: { ...tenant, plan: 'reach', planFeatures: PLANS.reach!.features } }),
    }),
  },
  C2: {
    refuses: change({ actor: admin, after: withUser(base, { licences: ['essential', 'crm'] }) }),
    passes: change({
      actor: admin,
      before: withUser(base, { licences: ['essential', 'crm'] }),
      after: base,
    }),
  },
  C6: {
    refuses: change({
      after: withUser(base, { licences: ['essential', 'crm'] }),
      ctx: context({ pools: { caps: { crm: 2 }, assigned: { crm: 2 } } }),
    }),
    passes: change({
      after: withUser(base, { licences: ['essential', 'crm'] }),
      ctx: context({ pools: { caps: { crm: 2 }, assigned: { crm: 1 } } }),
    }),
  },
  C3: {
    refuses: change({
      actor: admin,
      before: web,
      after: withUser(web, { permissions: ['website_access', 'manage_billable_items'] }),
    }),
    passes: change({
      actor: admin,
      before: web,
      after: withUser(web, { permissions: ['website_access', 'manage_users'] }),
    }),
  },
  C9: {
    refuses: change({
      actor: actorWith('portal:use', 'users:edit'),
      before: tenantAdmin,
      after: withUser(tenantAdmin, { recordingScope: 'all' }),
    }),
    passes: change({ actor: admin, before: tenantAdmin, after: withUser(tenantAdmin, { recordingScope: 'all' }) }),
  },
  C4: {
    refuses: change({
      before: tenantAdmin,
      after: withUser(tenantAdmin, { permissions: ['website_access'] }),
      ctx: context({ otherAdmins: 0 }),
    }),
    passes: change({
      before: tenantAdmin,
      after: withUser(tenantAdmin, { permissions: ['website_access'] }),
      ctx: context({ otherAdmins: 1 }),
    }),
  },
};

describe('the change rules, one entry per rule id', () => {
  it('lists every rule it holds, each with a summary, and each is tested below', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(CHANGE_RULES).sort());
    for (const rule of Object.values(CHANGE_RULES)) expect(rule.summary.length).toBeGreaterThan(10);
  });

  for (const id of Object.keys(CASES) as ChangeRuleId[]) {
    it(`${id}: refuses what it names, citing ${id}, and lets the nearest allowed change pass`, () => {
      const { refuses, passes } = CASES[id];
      const refused = CHANGE_RULES[id].check(refuses);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.map((v) => v.rule)).toContain(id);
      expect(CHANGE_RULES[id].check(passes)).toEqual([]);
      // The table as a whole reports the same violations for this change, in its order.
      expect(validateUserChange(refuses.actor, refuses.before, refuses.after, refuses.ctx, refuses.fields)).toEqual(
        expect.arrayContaining(refused),
      );
    });
  }
});

describe('helpers the sync planner shares with the table', () => {
  it('A1: Essential is given to platform users that are not removed', () => {
    expect(essentialGiven({ source: 'platform', status: 'active' })).toBe(true);
    expect(essentialGiven({ source: 'platform', status: 'removed' })).toBe(false);
    expect(essentialGiven({ source: 'manual', status: 'active' })).toBe(false);
  });
  it('A3: under the automatic policy Agent follows ACD membership; under the manual one it is the portal’s', () => {
    expect(agentFollowsAcd('auto', true)).toBe(true);
    expect(agentFollowsAcd('auto', false)).toBe(false);
    expect(agentFollowsAcd('manual', true)).toBeNull();
  });
  it('C6: a pool has room while assignments are below its cap; no cap is no limit', () => {
    expect(poolHasRoom(2, 1)).toBe(true);
    expect(poolHasRoom(2, 2)).toBe(false);
    expect(poolHasRoom(null, 10_000)).toBe(true);
    expect(poolHasRoom(undefined, 10_000)).toBe(true);
  });
});

describe('what the table refuses by name, and what automatic assignment adds', () => {
  it('C5, P4: every field the phone system owns is refused by name, with the rule USER_FIELD_OWNERSHIP names', () => {
    for (const [field, o] of Object.entries(USER_FIELD_OWNERSHIP)) {
      const refused = readOnlyFieldViolations(new Set([field]));
      if (o.owner === 'phone_system')
        expect(refused).toEqual([expect.objectContaining({ rule: o.rule, field: `/${field}` })]);
      else expect(refused).toEqual([]);
    }
  });
  it('A2: the CRM licence brings website access, and says so', () => {
    const requested = withUser(base, { licences: ['essential', 'crm'] });
    const after = applyAutomaticAssignments(requested, base);
    expect(automaticChanges(requested, after, base)).toEqual([
      { rule: 'A2', field: '/permissions', value: 'website_access', because: ['licences.crm'] },
    ]);
  });
  it('A1, A4: Essential added on create; a primary group left behind is cleared', () => {
    const created = withUser(base, { licences: [] });
    expect(automaticChanges(created, applyAutomaticAssignments(created, null), null)).toEqual([
      { rule: 'A1', field: '/licences', value: 'essential' },
    ]);
    const member = withUser(base, { groups: ['g1'], primaryGroup: 'g1' });
    const left = withUser(member, { groups: [] });
    expect(automaticChanges(left, applyAutomaticAssignments(left, member), member)).toEqual([
      { rule: 'A4', field: '/primaryGroup', value: null },
    ]);
  });
  it('C4, C9: deleting the last admin is refused; deleting a superior too', () => {
    expect(validateUserRemoval(provider, tenantAdmin, tenant, 0).map((v) => v.rule)).toEqual(['C4']);
    expect(validateUserRemoval(provider, tenantAdmin, tenant, 1)).toEqual([]);
    expect(validateUserRemoval(actorWith('users:delete'), tenantAdmin, tenant, 1).map((v) => v.rule)).toEqual(['C9']);
  });
});
