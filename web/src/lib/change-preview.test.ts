import { describe, expect, it } from 'vitest';
import type { ChangePreview, User } from '../../../client/index.js';
import { previewBulk } from './bulk-preview.js';
import { buildUserPatch, controlState, summaryFromPreview, superiorViolation, userAfter } from './change-preview.js';
import { sampleUser } from '../test-user.js';

const base = (): User => sampleUser({ id: 'u1', source: 'platform', licences: ['essential'], version: 3 });

/** The server's preview of a change (the fields the portal reads), as `POST …/preview` answers. */
const answer = (user: User, over: Partial<ChangePreview> = {}): ChangePreview => ({
  allowed: true,
  user,
  automatic: [],
  billable: { added: [], removed: [] },
  violations: [],
  options: {},
  contentLevels: [],
  ...over,
});

describe('the change summary comes from the server’s preview', () => {
  it('A2: a CRM licence names the website access the server adds, with the billable impact', () => {
    const saved = base();
    const draft = { ...saved, licences: ['essential', 'crm'] } as User;
    const preview = answer(
      { ...draft, permissions: ['website_access'] },
      {
        automatic: [{ rule: 'A2', field: '/permissions', value: 'website_access', because: ['licences.crm'] }],
        billable: { added: ['crm'], removed: [] },
      },
    );
    const s = summaryFromPreview(saved, saved, draft, preview);
    expect(s.changes).toEqual([
      { field: 'licences', kind: 'added', item: 'crm' },
      { field: 'permissions', kind: 'added', item: 'website_access', rule: 'A2' },
    ]);
    expect(s.billable).toEqual([{ key: 'crm', delta: 1 }]);
    expect(s.increasesBilling).toBe(true);
    expect(s.needsBillingPermission).toBe(false);
    expect(userAfter(draft, preview).permissions).toEqual(['website_access']);
  });

  it('C2: the server’s refusal is the warning; A4 marks a cleared primary group', () => {
    const saved = { ...base(), groups: ['g1'], primaryGroup: 'g1' };
    const draft = { ...saved, groups: [], supervisorLevel: 'report' as const };
    const c2 = { code: 'billable_permission_required', rule: 'C2', field: '/supervisorLevel', detail: 'needs it' };
    const s = summaryFromPreview(
      saved,
      saved,
      draft,
      answer(
        { ...draft, primaryGroup: null },
        {
          allowed: false,
          automatic: [{ rule: 'A4', field: '/primaryGroup', value: null }],
          billable: { added: ['supervisor_report'], removed: [] },
          violations: [c2],
        },
      ),
    );
    expect(s.changes).toContainEqual({ field: 'primaryGroup', kind: 'cleared', from: 'g1', to: '', rule: 'A4' });
    expect(s.needsBillingPermission).toBe(true);
    expect(s.violations).toEqual([c2]);
  });

  it('without an answer yet, the summary lists the draft’s own changes and claims nothing', () => {
    const saved = base();
    const s = summaryFromPreview(saved, saved, { ...saved, recordingScope: 'all' }, null);
    expect(s.changes).toEqual([{ field: 'recordingScope', kind: 'changed', from: 'own', to: 'all' }]);
    expect(s).toMatchObject({ billable: [], violations: [], needsBillingPermission: false });
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

  it('a bulk change asks the server for each user; a refused one is skipped with its rule', async () => {
    const sup: User = { ...base(), id: 'sup', permissions: ['website_access'], supervisorLevel: 'analytics' };
    const manual: User = sampleUser({ id: 'm' });
    const asked: Array<[string, unknown]> = [];
    const p = await previewBulk([sup, manual], { kind: 'addLicence', licence: 'agent' }, async (u, patch) => {
      asked.push([u.id, patch]);
      return u.id === 'm'
        ? answer(u, {
            allowed: false,
            violations: [{ code: 'platform_user_required', rule: 'G4', field: '/licences', detail: 'x' }],
          })
        : answer({ ...u, licences: ['essential', 'agent'] }, { billable: { added: ['agent'], removed: [] } });
    });
    expect(asked).toEqual([
      ['sup', { licences: ['essential', 'agent'] }],
      ['m', { licences: ['agent'] }],
    ]);
    expect(p.items[1]!.skip).toMatchObject({ rule: 'G4' });
    expect(p.changing).toBe(1);
    expect(p.billable).toEqual({ agent: 1 });
  });
});

describe('greying comes from the server’s preview (X1)', () => {
  const g1 = { rule: 'G1', code: 'website_access_required', detail: 'grant website access before manage_users' };
  const preview = answer(base(), {
    options: {
      'permission:manage_users': { disabled: true, locked: false, reasons: [g1] },
      'queue.agent': {
        disabled: true,
        locked: false,
        reasons: [{ rule: 'G14', code: 'agent_licence_required', detail: '' }],
      },
    },
  });

  it('G1: a control shows the server’s state and reasons with their rule ids', () => {
    expect(controlState(preview, 'permission:manage_users')).toEqual({ disabled: true, locked: false, reasons: [g1] });
  });

  it('G14: every queue’s role reads the one answer the server gives for the role', () => {
    expect(controlState(preview, 'queue.agent:q7').reasons[0]!.rule).toBe('G14');
    expect(controlState(preview, 'queue.supervisor:q7').disabled).toBe(false);
  });

  it('a control the server did not weigh, or with no answer, is open; before the first answer it waits', () => {
    expect(controlState(preview, 'licence:crm')).toEqual({ disabled: false, locked: false, reasons: [] });
    expect(controlState(null, 'licence:crm')).toEqual({ disabled: false, locked: false, reasons: [] });
    expect(controlState(null, 'licence:crm', true)).toEqual({ disabled: true, locked: false, reasons: [] });
  });

  it('C9: the superior banner is the violation refusing the whole change', () => {
    const c9 = { code: 'superior_user', rule: 'C9', field: '/', detail: 'the user holds what you do not' };
    expect(superiorViolation(answer(base(), { violations: [c9] }))).toEqual({
      rule: 'C9',
      code: 'superior_user',
      detail: c9.detail,
    });
    expect(superiorViolation(preview)).toBeNull();
  });
});
