import { describe, expect, it } from 'vitest';
import { makeTenant, makeUser } from '../../test/support/access-factories.js';
import { changeContext as ctx, provider, violationCodes as codes } from '../../test/support/change-actors.js';

/** Constraints at change time (G1-G14, F1-F3, G8): what a user's state must hold whoever changes it. */

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
