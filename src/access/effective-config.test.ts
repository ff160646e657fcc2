import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompiledTenant } from './compile.js';
import { buildEffectiveConfig, type SoftphoneDevice } from './effective-config.js';
import type { UserAccess } from './types.js';
import { arbScenario, makeQueue, makeTenant, makeUser } from '../../test/support/access-factories.js';

const tenant = makeTenant({
  id: 't1',
  plan: 'reach',
  homeRegion: 'PL',
  queues: [makeQueue({ id: 'q1', name: 'Sales', wrapUpSeconds: 20 }), makeQueue({ id: 'q2', name: 'Billing' })],
  rolePermissions: { agent: { callDispositions: true } },
});
const base = makeUser().features;
const softphoneUser = (kind: 'sip' | 'webrtc', overrides: Partial<UserAccess> = {}): UserAccess =>
  makeUser({
    licences: ['essential', 'softphone'],
    devices: [{ id: 'd1', kind }],
    ucClient: { desktop: false, softphone: { enabled: true, clients: ['crm', 'desktop'], deviceId: 'd1' } },
    ...overrides,
  });
const credentials: SoftphoneDevice = {
  id: 'd1',
  kind: 'webrtc',
  sip: { username: '1001', password: 's3cret', realm: 'pbx.example' },
};

/** Both paths: through the compiled snapshot and through explain; they must build the same document. */
function both(user: UserAccess, t = tenant, device?: SoftphoneDevice | null) {
  const fast = buildEffectiveConfig(user, t, CompiledTenant.build(t, [user]), 17, device);
  const slow = buildEffectiveConfig(user, t, null, 17, device);
  expect(fast).toEqual(slow);
  return fast;
}

describe('effective configuration (API.md)', () => {
  it('has exactly the documented shape', () => {
    const user = makeUser({
      permissions: ['website_access'],
      supervisorLevel: 'report',
      licences: ['essential', 'agent'],
      contactCenter: { admin: false, queues: { q1: ['agent'] } },
      features: { ...base, channels: 'calls', dialRestriction: { enabled: true, allowedRegions: ['DE'] } },
    });
    expect(both(user)).toEqual({
      userId: 'u1',
      tenantId: 't1',
      version: 17,
      status: 'active',
      capabilities: [
        'agenda:use',
        'cc:agent',
        'crm:overlay',
        'inbox:use',
        'portal:use',
        'reports:view',
        'telephony:call',
      ],
      queues: [{ id: 'q1', name: 'Sales', roles: ['agent'], capabilities: ['queue:join', 'queue:disposition'] }],
      features: {
        calls: true,
        sms: false,
        recording: false,
        crmOverlay: true,
        dialRestriction: { enabled: true, homeRegion: 'PL', allowedRegions: ['DE'] },
      },
      softphone: null,
      supervisor: {
        level: 'report',
        reports: true,
        dashboards: false,
        wallboards: false,
        liveCalls: false,
        ccData: false,
      },
    });
  });

  it('G8, G9: recording only when plan, admin setting and preference are on', () => {
    const user = makeUser({ features: { ...base, recording: true } });
    expect(both(user).features.recording).toBe(false); // reach has no recording
    expect(both(user, makeTenant({ plan: 'record' })).features.recording).toBe(true);
    expect(
      both({ ...user, preferences: { recording: false, crmOverlay: true } }, makeTenant({ plan: 'record' })).features
        .recording,
    ).toBe(false);
    expect(both(makeUser(), makeTenant({ plan: 'record' })).features.recording).toBe(false); // admin setting off
  });

  it('G10: the CRM overlay preference only restricts', () => {
    expect(both(makeUser({ preferences: { recording: true, crmOverlay: false } })).features.crmOverlay).toBe(false);
    expect(both(makeUser({ features: { ...base, crmOverlay: false } })).features.crmOverlay).toBe(false);
  });

  it('F3, G8: dial restriction applies only on plans with dial_restriction; the setting is kept', () => {
    const user = makeUser({ features: { ...base, dialRestriction: { enabled: true, allowedRegions: ['DE', 'ES'] } } });
    expect(both(user, makeTenant({ plan: 'basic', homeRegion: 'ES' })).features.dialRestriction).toEqual({
      enabled: false,
      homeRegion: 'ES',
      allowedRegions: ['DE', 'ES'],
    });
    expect(both(user, makeTenant({ plan: 'record' })).features.dialRestriction.enabled).toBe(true);
  });

  it('G4: a manual user has no telephony features', () => {
    expect(both(makeUser({ source: 'manual', licences: [] })).features).toMatchObject({ calls: false, sms: false });
  });

  it('G5: no softphone section without softphone:use', () => {
    expect(both(makeUser()).softphone).toBeNull();
    expect(both(softphoneUser('sip', { licences: ['essential'] })).softphone).toBeNull();
    expect(both(softphoneUser('sip', { devices: [] })).softphone).toBeNull();
  });

  it('G5: the crm softphone client needs a WebRTC device', () => {
    expect(both(softphoneUser('sip')).softphone).toEqual({ clients: ['desktop'], device: { id: 'd1', kind: 'sip' } });
    expect(both(softphoneUser('webrtc')).softphone?.clients).toEqual(['desktop', 'crm']);
  });

  it('softphone SIP credentials only when passed, and only for the softphone device', () => {
    expect(both(softphoneUser('webrtc'), tenant, credentials).softphone?.device).toEqual({
      id: 'd1',
      kind: 'webrtc',
      sip: credentials.sip,
    });
    expect(both(softphoneUser('webrtc'), tenant, { ...credentials, id: 'd2' }).softphone?.device).toEqual({
      id: 'd1',
      kind: 'webrtc',
    });
  });

  it('source 3: supervisor flags follow the cumulative levels, behind G1', () => {
    expect(both(makeUser({ permissions: ['website_access'], supervisorLevel: 'live' })).supervisor).toEqual({
      level: 'live',
      reports: true,
      dashboards: true,
      wallboards: true,
      liveCalls: true,
      ccData: false,
    });
    expect(both(makeUser({ supervisorLevel: 'contact_center' })).supervisor).toEqual({
      level: 'contact_center',
      reports: false,
      dashboards: false,
      wallboards: false,
      liveCalls: false,
      ccData: false,
    });
  });

  it('G13: a suspended user gets an empty configuration', () => {
    const config = both(
      softphoneUser('webrtc', {
        status: 'suspended',
        permissions: ['website_access'],
        contactCenter: { admin: true, queues: {} },
      }),
    );
    expect(config).toMatchObject({ status: 'suspended', capabilities: [], queues: [], softphone: null });
    expect(Object.values(config.features).filter((v) => v === true)).toEqual([]);
  });

  it("queues are listed by name then id, with the user's roles", () => {
    const admin = makeUser({ contactCenter: { admin: true, queues: { q1: ['supervisor'] } } });
    expect(both(admin).queues).toEqual([
      { id: 'q2', name: 'Billing', roles: [], capabilities: ['queue:view_settings', 'queue:edit_settings'] },
      {
        id: 'q1',
        name: 'Sales',
        roles: ['supervisor'],
        capabilities: ['queue:view_settings', 'queue:edit_settings', 'queue:monitor', 'queue:reports'],
      },
    ]);
  });

  it('the compiled and explained paths build the same configuration (property)', () => {
    fc.assert(
      fc.property(arbScenario(4), ({ tenant: t, users }) => {
        const compiled = CompiledTenant.build(t, users);
        for (const user of users) {
          expect(buildEffectiveConfig(user, t, compiled, 3, credentials)).toEqual(
            buildEffectiveConfig(user, t, null, 3, credentials),
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
