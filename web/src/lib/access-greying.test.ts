import { describe, expect, it } from 'vitest';
import type { AccessAnswer } from '../../../client/index.js';
import { controlState, type GreyingContext } from './access-greying.js';
import { actorFromCapabilities, PROVIDER_ACTOR } from './actor.js';
import { blankManualUser } from './user-draft.js';

const platformUser = () => ({
  ...blankManualUser(),
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
    expect(controlState('licence:essential', ctx({ user: blankManualUser() })).reasons[0]?.rule).toBe('G4');
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
