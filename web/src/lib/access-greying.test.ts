import { describe, expect, it } from 'vitest';
import type { AccessAnswer } from '../../../client/index.js';
import { makeTranslator } from '../i18n/index.js';
import {
  contentBlock,
  controlState,
  profileContentBlocks,
  superiorBlock,
  type GreyingContext,
} from './access-greying.js';
import { actorFromCapabilities, PROVIDER_ACTOR } from './actor.js';
import { grantableBy } from './capability-matrix.js';
import { describeBlock } from './problem-message.js';
import { sampleUser } from '../test-user.js';

const platformUser = () => ({
  ...sampleUser(),
  id: 'u1',
  source: 'platform' as const,
  licences: ['essential' as const],
  devices: [{ id: 'd1', externalId: 'x', name: 'Desk', kind: 'sip' as const }],
});
const admin = actorFromCapabilities([
  'users:edit',
  'users:view',
  'portal:use',
  'billing:edit',
  'settings:view',
  'settings:edit',
  'groups:view',
  'groups:create',
  'groups:edit',
  'groups:delete',
]);
const ctx = (over: Partial<GreyingContext> = {}): GreyingContext => ({
  user: platformUser(),
  actor: admin,
  tenant: { plan: 'basic', policies: { agentAddOn: 'manual' } },
  ...over,
});

describe('greying from /access (X1)', () => {
  it('G1: named permissions are greyed until website access, with the reason from /access', () => {
    const access: AccessAnswer = {
      userId: 'u1',
      version: 1,
      queues: {},
      capabilities: {
        'users:edit': {
          allowed: false,
          grantedBy: [],
          blockedBy: [
            { rule: 'G1', code: 'website_access_required', detail: 'portal capabilities need website access' },
          ],
        },
      },
    };
    const s = controlState('permission:manage_users', ctx({ access }));
    expect(s.disabled).toBe(true);
    expect(s.reasons[0]).toMatchObject({
      rule: 'G1',
      code: 'website_access_required',
      detail: 'portal capabilities need website access',
    });
    const u = { ...platformUser(), permissions: ['website_access' as const] };
    expect(controlState('permission:customer_settings', ctx({ user: u })).disabled).toBe(false);
  });

  it('C3: a permission whose capabilities the actor lacks is greyed (no escalation)', () => {
    const u = { ...platformUser(), permissions: ['website_access' as const] };
    expect(controlState('permission:webhook_admin', ctx({ user: u })).reasons[0]?.rule).toBe('C3');
    expect(controlState('permission:webhook_admin', ctx({ user: u, actor: PROVIDER_ACTOR })).disabled).toBe(false);
  });

  it('A1: Essential is locked on platform users; G4: manual users cannot have it', () => {
    expect(controlState('licence:essential', ctx())).toMatchObject({
      disabled: true,
      locked: true,
      reasons: [{ rule: 'A1' }],
    });
    expect(controlState('licence:essential', ctx({ user: sampleUser() })).reasons[0]?.rule).toBe('G4');
  });

  it('A3: the Agent add-on is locked under the automatic policy', () => {
    const s = controlState('licence:agent', ctx({ tenant: { plan: 'basic', policies: { agentAddOn: 'auto' } } }));
    expect(s.disabled).toBe(true);
    expect(s.reasons[0]?.rule).toBe('A3');
    expect(controlState('licence:agent', ctx()).disabled).toBe(false);
  });

  it('G3 and G5: UC client needs Essential; the softphone its licence and a device; CRM softphone a WebRTC device', () => {
    expect(controlState('ucClient.desktop', ctx({ user: { ...platformUser(), licences: [] } })).reasons[0]?.rule).toBe(
      'G3',
    );
    expect(controlState('ucClient.softphone', ctx()).reasons.map((r) => r.code)).toEqual([
      'softphone_licence_required',
    ]);
    const sp = {
      ...platformUser(),
      licences: ['essential' as const, 'softphone' as const],
      ucClient: { desktop: false, softphone: { enabled: true, clients: [], deviceId: 'd1' } },
    };
    expect(controlState('softphone.client:crm', ctx({ user: sp })).reasons[0]?.code).toBe('webrtc_device_required');
    expect(controlState('softphone.client:mobile', ctx({ user: sp })).disabled).toBe(false);
  });

  it('G8/F2/F3: features the plan lacks are greyed', () => {
    expect(controlState('features.recording', ctx()).reasons[0]?.rule).toBe('G8');
    expect(controlState('features.dialRestriction', ctx()).reasons[0]?.rule).toBe('F3');
    expect(
      controlState('features.recording', ctx({ tenant: { plan: 'record', policies: { agentAddOn: 'manual' } } }))
        .disabled,
    ).toBe(false);
  });

  it('G14 and C5: queue roles need a platform user with the Agent licence; extension is read-only', () => {
    const cc = actorFromCapabilities([...admin.capabilities, 'cc:admin']);
    expect(controlState('queue.agent:q1', ctx({ actor: cc })).reasons[0]?.code).toBe('agent_licence_required');
    expect(controlState('queue.supervisor:q1', ctx({ actor: cc })).disabled).toBe(false);
    expect(controlState('queue.supervisor:q1', ctx()).reasons[0]?.rule).toBe('C7');
    expect(controlState('extension', ctx())).toMatchObject({ disabled: true, reasons: [{ rule: 'C5' }] });
  });

  it('C1: without users:edit everything is greyed', () => {
    expect(controlState('licence:crm', ctx({ actor: actorFromCapabilities(['users:view']) })).reasons[0]?.rule).toBe(
      'C1',
    );
  });
});

describe('billable content (G15)', () => {
  const web = (over: Partial<ReturnType<typeof platformUser>> = {}) => ({
    ...platformUser(),
    permissions: ['website_access' as const],
    ...over,
  });

  it('G15: a profile’s reports wait for Report Supervisor; the reason names the level', () => {
    const user = web({ profile: { kind: 'custom', grants: ['reports:view', 'dashboards:view', 'users:view'] } });
    expect(contentBlock('reports:view', ctx({ user }))).toMatchObject({
      rule: 'G15',
      code: 'supervisor_level_required',
      level: 'report',
    });
    expect(contentBlock('dashboards:view', ctx({ user: { ...user, supervisorLevel: 'report' } }))).toMatchObject({
      rule: 'G15',
      level: 'analytics',
    });
    expect(contentBlock('reports:view', ctx({ user: { ...user, supervisorLevel: 'report' } }))).toBeNull();
    expect(contentBlock('users:view', ctx({ user }))).toBeNull();
    expect(profileContentBlocks(ctx({ user })).map(([cap, b]) => [cap, b.level])).toEqual([
      ['reports:view', 'report'],
      ['dashboards:view', 'analytics'],
    ]);
  });

  it('G15: prefers the server’s explanation from /access for the same rule', () => {
    const user = web({ profile: { kind: 'superuser' } });
    const access: AccessAnswer = {
      userId: 'u1',
      version: 1,
      queues: {},
      capabilities: {
        'cc_data:view': {
          allowed: false,
          grantedBy: ['profile:superuser'],
          blockedBy: [{ rule: 'G15', code: 'supervisor_level_required', detail: 'needs Contact Center Supervisor' }],
        },
      },
    };
    expect(contentBlock('cc_data:view', ctx({ user, access }))).toEqual({
      rule: 'G15',
      code: 'supervisor_level_required',
      detail: 'needs Contact Center Supervisor',
      level: 'contact_center',
    });
    // A superuser's content: every level's, each with its own level.
    expect(profileContentBlocks(ctx({ user })).map(([cap]) => cap)).toEqual([
      'reports:view',
      'dashboards:view',
      'wallboards:view',
      'dashboards:live_calls',
      'cc_data:view',
    ]);
  });

  it('G15: in plain words, in every language, with the level’s name', () => {
    const b = { rule: 'G15', code: 'supervisor_level_required', detail: 'needs Report Supervisor', level: 'report' };
    expect(describeBlock(b, makeTranslator('en'))).toBe('Needs Report Supervisor (rule G15)');
    for (const lang of ['de', 'es', 'id', 'pl']) {
      const tr = makeTranslator(lang);
      const text = describeBlock(b, tr);
      expect(text, lang).toContain(tr.t('supervisorLevel.report'));
      expect(text, lang).toContain('G15');
      expect(text, lang).not.toContain('{level}');
    }
  });

  it('C3, G15: the profile matrix lets an actor bundle billable content it does not hold', () => {
    const g = grantableBy(admin)!;
    expect(g.has('reports:view')).toBe(true);
    expect(g.has('cc_data:view')).toBe(true);
    expect(g.has('users:edit')).toBe(true);
    expect(g.has('webhooks:edit')).toBe(false);
    expect(grantableBy(PROVIDER_ACTOR)).toBeNull();
  });
});

describe('no acting on superiors (C9)', () => {
  const delegate = actorFromCapabilities(['portal:use', 'users:view', 'users:create', 'users:edit', 'users:delete']);
  const ownerAccess: AccessAnswer = {
    userId: 'owner',
    version: 3,
    queues: {},
    capabilities: {
      'portal:use': { allowed: true, grantedBy: ['permission:website_access'], blockedBy: [] },
      'users:edit': { allowed: true, grantedBy: ['permission:manage_users', 'profile:superuser'], blockedBy: [] },
      'billing:edit': {
        allowed: true,
        grantedBy: ['permission:manage_billable_items', 'profile:superuser'],
        blockedBy: [],
      },
      'inbox:use': { allowed: true, grantedBy: ['baseline'], blockedBy: [] },
      'reports:view': {
        allowed: false,
        grantedBy: ['profile:superuser'],
        blockedBy: [{ rule: 'G15', code: 'supervisor_level_required', detail: 'needs Report Supervisor' }],
      },
    },
  };
  const owner = () => ({
    ...sampleUser(),
    id: 'owner',
    permissions: ['website_access' as const, 'manage_users' as const, 'manage_billable_items' as const],
    profile: { kind: 'superuser' as const },
  });

  it('C9: every control of a user holding powers the actor lacks is greyed, naming them', () => {
    for (const id of ['permission:manage_billable_items', 'recordingScope', 'status', 'supervisorLevel'] as const) {
      const s = controlState(id, ctx({ user: owner(), access: ownerAccess, actor: delegate }));
      expect(s.disabled, id).toBe(true);
      expect(s.reasons[0], id).toMatchObject({ rule: 'C9', code: 'superior_user' });
    }
    expect(superiorBlock(ctx({ user: owner(), access: ownerAccess, actor: delegate }))?.detail).toContain(
      'billing:edit',
    );
  });

  it('C9: not for the provider, nor for an actor holding all of it (superuser included)', () => {
    expect(superiorBlock(ctx({ user: owner(), access: ownerAccess, actor: PROVIDER_ACTOR }))).toBeNull();
    const peer = actorFromCapabilities(['portal:use', 'users:edit', 'billing:edit'], { superuser: true });
    expect(superiorBlock(ctx({ user: owner(), access: ownerAccess, actor: peer }))).toBeNull();
    // Held in everything but superuser: still a superior.
    const almost = actorFromCapabilities(['portal:use', 'users:edit', 'billing:edit']);
    expect(superiorBlock(ctx({ user: owner(), access: ownerAccess, actor: almost }))).toMatchObject({
      rule: 'C9',
    });
  });

  it('C9: ordinary users and billable content (G15, C2) do not make a superior', () => {
    const ordinary = { ...sampleUser(), id: 'o', permissions: ['website_access' as const] };
    expect(superiorBlock(ctx({ user: ordinary, actor: delegate }))).toBeNull();
    expect(controlState('recordingScope', ctx({ user: ordinary, actor: delegate })).reasons[0]?.rule).not.toBe('C9');
    const reporter = { ...ordinary, supervisorLevel: 'analytics' as const };
    expect(superiorBlock(ctx({ user: reporter, actor: delegate }))).toBeNull();
  });

  it('C9: without an /access answer (or for a suspended user) the saved record tells', () => {
    expect(superiorBlock(ctx({ user: owner(), actor: delegate }))).toMatchObject({ code: 'superior_user' });
    const suspended = { ...owner(), status: 'suspended' as const };
    const blocked: AccessAnswer = {
      ...ownerAccess,
      capabilities: Object.fromEntries(
        Object.keys(ownerAccess.capabilities).map((c) => [
          c,
          { allowed: false, grantedBy: [], blockedBy: [{ rule: 'G13', code: 'account_inactive', detail: '' }] },
        ]),
      ),
    };
    expect(superiorBlock(ctx({ user: suspended, access: blocked, actor: delegate }))).toMatchObject({ rule: 'C9' });
  });

  it('C9: in plain words', () => {
    const text = describeBlock({ rule: 'C9', code: 'superior_user', detail: '' }, makeTranslator('en'));
    expect(text).toContain('(rule C9)');
    expect(text).not.toBe(' (rule C9)');
  });
});
