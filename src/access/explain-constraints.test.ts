import { describe, expect, it } from 'vitest';
import { CAPABILITIES, NAMED_PERMISSIONS, SUPERVISOR_LEVELS, SUPERVISOR_LEVEL_CAPABILITIES } from '../catalog/index.js';
import { explainCapability, explainUser } from './explain.js';
import { makeTenant, makeUser } from '../../test/support/access-factories.js';
import { expectDecision, queues, runTable, web } from '../../test/support/explain-table.js';

/** The constraints that block (SPEC 3, G1-G15): table tests per rule, each asserting `allowed` and the reason. */

describe('constraints that block (SPEC 3)', () => {
  runTable([
    {
      name: 'G1: portal capabilities need website access',
      user: { permissions: ['manage_users'] },
      cap: 'users:edit',
      allowed: false,
      grantedBy: 'permission:manage_users',
      blockedBy: 'G1',
      code: 'website_access_required',
    },
    {
      name: 'G1: with website access they work',
      user: { permissions: web('manage_users') },
      cap: 'users:edit',
      allowed: true,
      grantedBy: 'permission:manage_users',
    },
    {
      name: 'G1: supervisor reports need website access',
      user: { supervisorLevel: 'report' },
      cap: 'reports:view',
      allowed: false,
      blockedBy: 'G1',
    },
    {
      name: 'G1: contact admin queue pages need website access',
      user: { contactCenter: { admin: true, queues: {} } },
      cap: 'queues:view',
      allowed: false,
      blockedBy: 'G1',
    },
    {
      name: 'G1: app-surface contact-center capabilities do not',
      user: { contactCenter: { admin: true, queues: {} } },
      cap: 'cc:admin',
      allowed: true,
    },
    {
      name: 'G1: role permissions (app surface) do not',
      user: { contactCenter: { admin: false, queues: { q1: ['supervisor'] } } },
      tenant: makeTenant({ queues, rolePermissions: { supervisor: { viewSkills: true } } }),
      cap: 'skills:view',
      allowed: true,
    },
    {
      name: 'G1: a suspended superuser has no portal either',
      user: { status: 'suspended', profile: { kind: 'superuser' } },
      cap: 'users:view',
      allowed: false,
      blockedBy: 'G13',
    },
    {
      name: 'G3: UC desktop needs Essential',
      user: { licences: [], ucClient: { desktop: true, softphone: { enabled: false, clients: [], deviceId: null } } },
      cap: 'ucclient:desktop',
      allowed: false,
      grantedBy: 'uc_client:desktop',
      blockedBy: 'G3',
      code: 'essential_required',
    },
    {
      name: 'G3: CRM client needs Essential',
      user: { licences: ['crm'] },
      cap: 'ucclient:crm',
      allowed: false,
      blockedBy: 'G3',
    },
    {
      name: 'G3: softphone needs Essential',
      cap: 'softphone:use',
      allowed: false,
      blockedBy: 'G3',
      user: {
        licences: ['softphone'],
        devices: [{ id: 'd1', kind: 'sip' }],
        ucClient: { desktop: false, softphone: { enabled: true, clients: [], deviceId: 'd1' } },
      },
    },
    {
      name: 'G4: agent-state tracking only for platform users',
      user: { source: 'manual', licences: ['agent'] },
      cap: 'cc:agent',
      allowed: false,
      grantedBy: 'licence:agent',
      blockedBy: 'G4',
      code: 'platform_user_required',
    },
    {
      name: 'G4: manual users have no telephony',
      user: { source: 'manual', licences: [] },
      cap: 'telephony:call',
      allowed: false,
      blockedBy: 'G4',
    },
    {
      name: 'G4: manual users have no SMS',
      user: { source: 'manual', licences: [] },
      cap: 'telephony:sms',
      allowed: false,
      blockedBy: 'G4',
    },
    {
      name: 'G5: softphone needs the softphone licence',
      cap: 'softphone:use',
      allowed: false,
      blockedBy: 'G5',
      code: 'softphone_licence_required',
      user: {
        devices: [{ id: 'd1', kind: 'sip' }],
        ucClient: { desktop: false, softphone: { enabled: true, clients: [], deviceId: 'd1' } },
      },
    },
    {
      name: "G5: softphone needs a device of the user's own",
      cap: 'softphone:use',
      allowed: false,
      blockedBy: 'G5',
      code: 'device_required',
      user: {
        licences: ['essential', 'softphone'],
        devices: [{ id: 'd1', kind: 'sip' }],
        ucClient: { desktop: false, softphone: { enabled: true, clients: [], deviceId: 'd2' } },
      },
    },
    {
      name: 'G8: recording is off on a plan without it',
      user: { features: { ...makeUser().features, recording: true } },
      tenant: makeTenant({ plan: 'reach' }),
      cap: 'telephony:record',
      allowed: false,
      grantedBy: 'feature:recording',
      blockedBy: 'G8',
      code: 'plan_feature_missing',
    },
    {
      name: 'G8: an unknown plan has no calls',
      user: {},
      tenant: makeTenant({ plan: 'legacy' }),
      cap: 'telephony:call',
      allowed: false,
      blockedBy: 'G8',
    },
    {
      name: 'G8: an unknown plan has no CRM overlay',
      user: {},
      tenant: makeTenant({ plan: 'legacy' }),
      cap: 'crm:overlay',
      allowed: false,
      blockedBy: 'G8',
    },
    {
      name: 'G10: the recording preference only restricts',
      user: {
        features: { ...makeUser().features, recording: true },
        preferences: { recording: false, crmOverlay: true },
      },
      tenant: makeTenant({ plan: 'record' }),
      cap: 'telephony:record',
      allowed: false,
      blockedBy: 'G10',
      code: 'preference_off',
    },
    {
      name: 'G10: the CRM overlay preference only restricts',
      user: { preferences: { recording: true, crmOverlay: false } },
      cap: 'crm:overlay',
      allowed: false,
      blockedBy: 'G10',
    },
    {
      name: 'G10: a preference never turns on what the admin turned off',
      user: {
        features: { ...makeUser().features, crmOverlay: false },
        preferences: { recording: true, crmOverlay: true },
      },
      cap: 'crm:overlay',
      allowed: false,
    },
  ]);

  describe('G13: suspended and removed users have no capability', () => {
    const everything = makeUser({
      permissions: [...NAMED_PERMISSIONS],
      supervisorLevel: 'contact_center',
      profile: { kind: 'superuser' },
      licences: ['essential', 'agent', 'crm', 'softphone'],
      devices: [{ id: 'd1', kind: 'webrtc' }],
      ucClient: { desktop: true, softphone: { enabled: true, clients: ['crm'], deviceId: 'd1' } },
      contactCenter: { admin: true, queues: { q1: ['agent', 'supervisor'] } },
    });
    const tenant = makeTenant({
      plan: 'record',
      queues: queues.map((q) => ({ ...q, wrapUpSeconds: 10 })),
      rolePermissions: { organisation: { agentsMayJoinUnassignedQueues: true }, agent: { callDispositions: true } },
    });
    it.each(['suspended', 'removed'] as const)('%s', (status) => {
      const active = explainUser(everything, tenant);
      const inactive = explainUser({ ...everything, status }, tenant);
      expect(Object.values(active).filter((d) => d.allowed).length).toBeGreaterThan(60);
      for (const { id } of CAPABILITIES)
        expectDecision(inactive[id]!, { allowed: false, blockedBy: 'G13', code: 'account_inactive' });
      for (const q of ['q1', 'q2']) {
        for (const cap of ['queue:join', 'queue:monitor', 'queue:view_settings', 'queue:disposition']) {
          expect(explainCapability(everything, tenant, cap, `queue:${q}`).allowed).toBe(true);
          expectDecision(explainCapability({ ...everything, status }, tenant, cap, `queue:${q}`), {
            allowed: false,
            blockedBy: 'G13',
          });
        }
      }
    });
  });
});

/** `expect.stringContaining`, typed `unknown` for object patterns (vitest types it `any`). */
const containing = (text: string): unknown => expect.stringContaining(text);

describe('G15: billable content needs its licence, whatever grants it', () => {
  /** Every billable content capability with the level that sells it (the lowest level whose set holds it). */
  const SOLD = SUPERVISOR_LEVELS.flatMap((level) =>
    SUPERVISOR_LEVEL_CAPABILITIES[level].map((cap) => [cap, level] as const),
  );
  const LEVEL_NAME: Record<string, string> = {
    report: 'Report Supervisor',
    analytics: 'Analytics Supervisor',
    live: 'Live Analytics Supervisor',
    contact_center: 'Contact Center Supervisor',
  };
  const tenant = makeTenant({
    profiles: [{ id: 'p1', name: 'Reporting', grants: ['reports:view', 'dashboards:view', 'users:view'] }],
  });

  it('G15: the content is exactly what the supervisor levels sell', () => {
    expect(SOLD.map(([cap]) => cap).sort()).toEqual(
      ['cc_data:view', 'dashboards:live_calls', 'dashboards:view', 'reports:view', 'wallboards:view'].sort(),
    );
  });

  it.each(['profile', 'custom', 'superuser'] as const)(
    'G15: a %s granting the content gives nothing below the level that sells it, and names the level',
    (kind) => {
      for (const [cap, sold] of SOLD) {
        const profile =
          kind === 'profile' ? { kind, profileId: 'p2' } : kind === 'custom' ? { kind, grants: [cap] } : { kind };
        const withCap = makeTenant({ profiles: [{ id: 'p2', name: 'Content', grants: [cap] }] });
        const rank = SUPERVISOR_LEVELS.indexOf(sold);
        for (const level of SUPERVISOR_LEVELS) {
          const user = makeUser({ permissions: web(), supervisorLevel: level, profile });
          const d = explainCapability(user, withCap, cap);
          const source = kind === 'profile' ? 'profile:p2' : `profile:${kind}`;
          expect(d.grantedBy, `${kind} ${cap} at ${level}`).toContain(source);
          if (SUPERVISOR_LEVELS.indexOf(level) >= rank) {
            expectDecision(d, { allowed: true, grantedBy: source });
          } else {
            expectDecision(d, { allowed: false, blockedBy: 'G15', code: 'supervisor_level_required' });
            const g15 = d.blockedBy.find((b) => b.rule === 'G15')!;
            expect(g15.detail, `${cap} at ${level}`).toContain(`needs ${LEVEL_NAME[sold]}`);
          }
        }
      }
    },
  );

  it('G15: a profile keeps the module actions it bundles; only the billable content waits for the level', () => {
    const user = makeUser({ permissions: web(), profile: { kind: 'profile', profileId: 'p1' } });
    const d = explainUser(user, tenant);
    expectDecision(d['users:view']!, { allowed: true, grantedBy: 'profile:p1' });
    expectDecision(d['reports:view']!, { allowed: false, blockedBy: 'G15', code: 'supervisor_level_required' });
    expectDecision(d['dashboards:view']!, { allowed: false, blockedBy: 'G15' });
    expect(d['reports:view']!.blockedBy).toEqual([
      { rule: 'G15', code: 'supervisor_level_required', detail: containing('needs Report Supervisor') },
    ]);
    const report = explainUser({ ...user, supervisorLevel: 'report' }, tenant);
    expectDecision(report['reports:view']!, { allowed: true, grantedBy: 'profile:p1' });
    expect(report['reports:view']!.grantedBy).toEqual(['supervisor_level:report', 'profile:p1']);
    expectDecision(report['dashboards:view']!, { allowed: false, blockedBy: 'G15' });
    expect(report['dashboards:view']!.blockedBy[0]!.detail).toContain('needs Analytics Supervisor');
    expectDecision(explainUser({ ...user, supervisorLevel: 'analytics' }, tenant)['dashboards:view']!, {
      allowed: true,
    });
  });

  it('G15: a superuser at level none holds no reports, dashboards, wallboards, live statistics or contact-center data', () => {
    const su = makeUser({ permissions: web(), profile: { kind: 'superuser' } });
    const d = explainUser(su, makeTenant());
    for (const [cap] of SOLD) expectDecision(d[cap]!, { allowed: false, blockedBy: 'G15' });
    expectDecision(d['users:edit']!, { allowed: true, grantedBy: 'profile:superuser' });
    expectDecision(d['billing:edit']!, { allowed: true, grantedBy: 'profile:superuser' });
  });

  it('G1 and G15 both explain a supervisor level without website access: the level is kept, G1 blocks', () => {
    const d = explainCapability(makeUser({ supervisorLevel: 'report' }), makeTenant(), 'reports:view');
    expectDecision(d, { allowed: false, grantedBy: 'supervisor_level:report', blockedBy: 'G1' });
    expect(d.blockedBy.map((b) => b.rule)).toEqual(['G1']);
  });
});
