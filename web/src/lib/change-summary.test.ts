import { describe, expect, it } from 'vitest';
import type { User } from '../../../client/index.js';
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

  it('A4: leaving the primary group clears it', () => {
    const u = applyAutomaticRules({ ...base(), groups: [], primaryGroup: 'g1' });
    expect(u.primaryGroup).toBeNull();
  });
});
