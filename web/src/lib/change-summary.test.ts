import { describe, expect, it } from 'vitest';
import type { User } from '../../../client/index.js';
import { previewBulk } from './bulk-preview.js';
import { summariseChanges } from './change-summary.js';
import { applyAutomaticRules, blankManualUser, buildUserPatch } from './user-draft.js';

const base = (): User => ({ ...blankManualUser(), id: 'u1', source: 'platform', licences: ['essential'], version: 3 });

describe('diff summary with billable impact (C2, A2)', () => {
  it('adding the Agent add-on: one change, +1 agent, needs Manage Billable Items', () => {
    const after = { ...base(), licences: ['essential', 'agent'] } as User;
    const s = summariseChanges(base(), after, { actorCanBill: false });
    expect(s.changes).toEqual([{ field: 'licences', kind: 'added', item: 'agent' }]);
    expect(s.billable).toEqual([{ key: 'agent', delta: 1 }]);
    expect(s.needsBillingPermission).toBe(true);
    expect(summariseChanges(base(), after, { actorCanBill: true }).needsBillingPermission).toBe(false);
  });

  it('a supervisor level gives website access (A2), shown as an automatic change, and swaps billable keys', () => {
    const after = applyAutomaticRules({ ...base(), supervisorLevel: 'analytics' });
    expect(after.permissions).toContain('website_access');
    const s = summariseChanges(base(), after, { actorCanBill: true });
    expect(s.changes).toContainEqual({ field: 'permissions', kind: 'added', item: 'website_access', rule: 'A2' });
    expect(s.billable).toEqual([{ key: 'supervisor_analytics', delta: 1 }]);
    const lower = summariseChanges({ ...after, supervisorLevel: 'live' }, after, { actorCanBill: false });
    expect(lower.billable).toEqual([
      { key: 'supervisor_analytics', delta: 1 },
      { key: 'supervisor_live', delta: -1 },
    ]);
    expect(lower.increasesBilling).toBe(false); // lowering a level is not an increase (C2)
  });

  it('removals release licences and need no billing permission', () => {
    const before = { ...base(), licences: ['essential', 'crm'] } as User;
    const s = summariseChanges(before, base(), { actorCanBill: false });
    expect(s.billable).toEqual([{ key: 'crm', delta: -1 }]);
    expect(s.needsBillingPermission).toBe(false);
  });

  it('the PATCH carries only changed fields; records are sent whole, empty queues dropped', () => {
    const before = {
      ...base(),
      workspaces: { w1: 'viewer' as const },
      contactCenter: { admin: false, queues: { q1: ['agent' as const] } },
    };
    const after = {
      ...before,
      workspaces: {},
      contactCenter: { admin: false, queues: { q1: [], q2: ['supervisor' as const] } },
      features: { ...before.features, recording: true },
    };
    expect(buildUserPatch(before, after)).toEqual({
      workspaces: {},
      contactCenter: { queues: { q2: ['supervisor'] } },
      features: after.features,
    });
    expect(buildUserPatch(before, before)).toEqual({});
  });

  it('A2 gives, it does not keep giving: website access taken away from a supervisor stays away', () => {
    const saved: User = { ...base(), permissions: ['website_access'], supervisorLevel: 'report' };
    const draft = applyAutomaticRules({ ...saved, permissions: [] }, saved);
    expect(draft.permissions).toEqual([]);
    expect(draft.supervisorLevel).toBe('report');
    const s = summariseChanges(saved, draft, { actorCanBill: false });
    expect(s.changes).toEqual([{ field: 'permissions', kind: 'removed', item: 'website_access' }]);
    expect(buildUserPatch(saved, draft)).toEqual({ permissions: [] });
    // A later, unrelated save does not bring it back either.
    expect(applyAutomaticRules({ ...draft, recordingScope: 'all' }, draft).permissions).toEqual([]);
  });

  it('A2 applies when this change gives its trigger (the same table as the server’s change rules)', () => {
    const noWeb: User = { ...base(), licences: ['essential', 'crm'] };
    const uc = { desktop: true, softphone: { enabled: false, clients: [], deviceId: null } };
    const given: Array<[string, Partial<User>, Partial<User>]> = [
      ['level raised from none', {}, { supervisorLevel: 'report' }],
      ['a profile newly assigned', {}, { profile: { kind: 'custom', grants: [] } }],
      ['another profile assigned', { profile: { kind: 'custom', grants: [] } }, { profile: { kind: 'superuser' } }],
      ['contact admin turned on', {}, { contactCenter: { admin: true, queues: {} } }],
      ['UC desktop given', {}, { ucClient: uc }],
      ['CRM add-on given', { licences: ['essential'] }, { licences: ['essential', 'crm'] }],
    ];
    for (const [name, was, now] of given) {
      const saved = { ...noWeb, ...was };
      const draft = applyAutomaticRules({ ...saved, ...now }, saved);
      expect(draft.permissions, name).toContain('website_access');
      expect(summariseChanges(saved, draft, { actorCanBill: true }).changes, name).toContainEqual({
        field: 'permissions',
        kind: 'added',
        item: 'website_access',
        rule: 'A2',
      });
    }
    const held: Array<[string, Partial<User>, Partial<User>]> = [
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
      const saved = { ...noWeb, ...was };
      expect(applyAutomaticRules({ ...saved, ...now }, saved).permissions, name).not.toContain('website_access');
    }
    // A new user (nothing saved yet): every trigger is given, and the summary says so.
    const created = applyAutomaticRules({ ...blankManualUser(), profile: { kind: 'superuser' } });
    expect(summariseChanges(null, created, { actorCanBill: true }).changes).toContainEqual({
      field: 'permissions',
      kind: 'added',
      item: 'website_access',
      rule: 'A2',
    });
    expect(applyAutomaticRules({ ...blankManualUser(), supervisorLevel: 'report' }).permissions).toEqual([
      'website_access',
    ]);
  });

  it('A2 in a bulk change: revoking website access from supervisors revokes it', () => {
    const sup: User = { ...base(), permissions: ['website_access'], supervisorLevel: 'analytics' };
    const p = previewBulk([sup], { kind: 'revokePermission', permission: 'website_access' });
    expect(p.items[0]!.after.permissions).toEqual([]);
    expect(p.changing).toBe(1);
  });

  it('A4: leaving the primary group clears it', () => {
    const u = applyAutomaticRules({ ...base(), groups: [], primaryGroup: 'g1' });
    expect(u.primaryGroup).toBeNull();
  });
});
