import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGENT_SETTING_CAPABILITIES,
  CAPABILITIES,
  NAMED_PERMISSIONS,
  PERMISSION_CAPABILITIES,
  SUPERVISOR_LEVELS,
  SUPERVISOR_LEVEL_CAPABILITIES,
  SUPERVISOR_SETTING_CAPABILITIES,
  type NamedPermission,
} from '../catalog/index.js';
import { explainCapability, explainUser } from './explain.js';
import { collectGrants, grantsOf, SUPERUSER_CAPABILITIES } from './grants.js';
import type { Decision, TenantAccess, UserAccess } from './types.js';
import {
  arbScenario,
  makeQueue,
  makeTenant,
  makeUser,
  type TenantOverrides,
} from '../../test/support/access-factories.js';

/** Table tests per SPEC rule the engine decides (sections 3 and 5): each asserts `allowed` and the reason. */

const web = (...more: NamedPermission[]): NamedPermission[] => ['website_access', ...more];
const queues = [makeQueue({ id: 'q1', name: 'Sales', wrapUpSeconds: 30 }), makeQueue({ id: 'q2', name: 'Support' })];

interface Expect {
  allowed: boolean;
  grantedBy?: string;
  blockedBy?: string;
  code?: string;
}

/** Asserts the decision and that its reasons name the expected source and rule. */
function expectDecision(d: Decision, e: Expect): void {
  expect(d.allowed).toBe(e.allowed);
  if (e.grantedBy) expect(d.grantedBy).toContain(e.grantedBy);
  if (e.blockedBy) expect(d.blockedBy.map((b) => b.rule)).toContain(e.blockedBy);
  if (e.code) expect(d.blockedBy.map((b) => b.code)).toContain(e.code);
  // A refusal with a grant must say which rule blocked it (X1).
  if (!d.allowed && d.grantedBy.length > 0) expect(d.blockedBy.length).toBeGreaterThan(0);
  if (d.allowed) expect(d.blockedBy).toEqual([]);
}

interface Case extends Expect {
  name: string;
  user: Partial<UserAccess>;
  tenant?: TenantAccess;
  cap: string;
  resource?: string;
}

function runTable(cases: Case[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expectDecision(explainCapability(makeUser(c.user), c.tenant ?? makeTenant({ queues }), c.cap, c.resource), c);
  });
}

describe('sources that grant (SPEC 3)', () => {
  runTable([
    {
      name: 'source 1: every active user has inbox:use',
      user: {},
      cap: 'inbox:use',
      allowed: true,
      grantedBy: 'baseline',
    },
    {
      name: 'source 1: every active user has agenda:use, manual users too',
      user: { source: 'manual', licences: [] },
      cap: 'agenda:use',
      allowed: true,
      grantedBy: 'baseline',
    },
    {
      name: 'source 4: contact admin has cc:admin',
      user: { contactCenter: { admin: true, queues: {} } },
      cap: 'cc:admin',
      allowed: true,
      grantedBy: 'role:contact_admin',
    },
    {
      name: 'source 4: contact admin configures queues (with website access)',
      user: { permissions: web(), contactCenter: { admin: true, queues: {} } },
      cap: 'queues:edit',
      allowed: true,
      grantedBy: 'role:contact_admin',
    },
    {
      name: 'source 4: a manual user with website access is Contact Admin too (only queue roles need a platform user, G14)',
      user: { source: 'manual', licences: [], permissions: web(), contactCenter: { admin: true, queues: {} } },
      cap: 'cc:admin',
      allowed: true,
      grantedBy: 'role:contact_admin',
    },
    {
      name: 'source 4: a manual Contact Admin configures queues in the portal',
      user: { source: 'manual', licences: [], permissions: web(), contactCenter: { admin: true, queues: {} } },
      cap: 'queues:create',
      allowed: true,
      grantedBy: 'role:contact_admin',
    },
    {
      name: 'source 5: superuser includes cc:admin (G15 text)',
      user: { source: 'manual', licences: [], permissions: web(), profile: { kind: 'superuser' } },
      cap: 'cc:admin',
      allowed: true,
      grantedBy: 'profile:superuser',
    },
    { name: 'source 4: without contact admin, no cc:admin', user: {}, cap: 'cc:admin', allowed: false },
    {
      name: 'source 6: agent licence gives cc:agent',
      user: { licences: ['essential', 'agent'] },
      cap: 'cc:agent',
      allowed: true,
      grantedBy: 'licence:agent',
    },
    { name: 'source 6: without the agent licence, no cc:agent', user: {}, cap: 'cc:agent', allowed: false },
    {
      name: 'source 6: crm licence gives ucclient:crm',
      user: { licences: ['essential', 'crm'] },
      cap: 'ucclient:crm',
      allowed: true,
      grantedBy: 'licence:crm',
    },
    {
      name: 'source 6: UC desktop client',
      user: { ucClient: { desktop: true, softphone: { enabled: false, clients: [], deviceId: null } } },
      cap: 'ucclient:desktop',
      allowed: true,
      grantedBy: 'uc_client:desktop',
    },
    {
      name: 'source 6: softphone with licence and own device',
      user: {
        licences: ['essential', 'softphone'],
        devices: [{ id: 'd1', kind: 'sip' }],
        ucClient: { desktop: false, softphone: { enabled: true, clients: ['desktop'], deviceId: 'd1' } },
      },
      cap: 'softphone:use',
      allowed: true,
      grantedBy: 'uc_client:softphone',
    },
    {
      name: 'source 7: channels both gives calls',
      user: {},
      cap: 'telephony:call',
      allowed: true,
      grantedBy: 'feature:channels',
    },
    {
      name: 'source 7: channels sms gives no calls',
      user: { features: { ...makeUser().features, channels: 'sms' } },
      cap: 'telephony:call',
      allowed: false,
    },
    {
      name: 'source 7: channels sms gives sms',
      user: { features: { ...makeUser().features, channels: 'sms' } },
      cap: 'telephony:sms',
      allowed: true,
      grantedBy: 'feature:channels',
    },
    {
      name: 'source 7: channels none gives no sms',
      user: { features: { ...makeUser().features, channels: 'none' } },
      cap: 'telephony:sms',
      allowed: false,
    },
    {
      name: 'source 7: CRM overlay on by default',
      user: {},
      cap: 'crm:overlay',
      allowed: true,
      grantedBy: 'feature:crm_overlay',
    },
    {
      name: 'source 7: recording off by default',
      user: {},
      tenant: makeTenant({ plan: 'record' }),
      cap: 'telephony:record',
      allowed: false,
    },
    {
      name: 'source 7: recording on (record plan)',
      user: { features: { ...makeUser().features, recording: true } },
      tenant: makeTenant({ plan: 'record' }),
      cap: 'telephony:record',
      allowed: true,
      grantedBy: 'feature:recording',
    },
  ]);

  describe('source 2: named permissions are fixed bundles', () => {
    const rows = NAMED_PERMISSIONS.flatMap((p) => PERMISSION_CAPABILITIES[p].map((cap) => [p, cap] as const));
    it.each(rows)('%s grants %s', (p, cap) => {
      const tenant = makeTenant();
      expectDecision(explainCapability(makeUser({ permissions: web(p) }), tenant, cap), {
        allowed: true,
        grantedBy: `permission:${p}`,
      });
      if (p !== 'website_access')
        expect(explainCapability(makeUser({ permissions: web() }), tenant, cap).allowed).toBe(false);
    });
  });

  describe('source 3: supervisor levels are cumulative', () => {
    const rows = SUPERVISOR_LEVELS.flatMap((level, rank) =>
      SUPERVISOR_LEVELS.slice(1).flatMap((capLevel, i) =>
        SUPERVISOR_LEVEL_CAPABILITIES[capLevel].map((cap) => [level, cap, i + 1 <= rank] as const),
      ),
    );
    it.each(rows)('level %s: %s allowed=%s', (level, cap, allowed) => {
      const d = explainCapability(makeUser({ permissions: web(), supervisorLevel: level }), makeTenant(), cap);
      expectDecision(d, allowed ? { allowed, grantedBy: `supervisor_level:${level}` } : { allowed });
    });
  });

  describe('source 4: role permissions apply to supervisors and agents of any queue', () => {
    const supervisorRows = Object.entries(SUPERVISOR_SETTING_CAPABILITIES).map(
      ([s, cap]) => ['supervisor', s, cap] as const,
    );
    const agentRows = Object.entries(AGENT_SETTING_CAPABILITIES).map(([s, cap]) => ['agent', s, cap] as const);
    it.each([...supervisorRows, ...agentRows])('%s.%s gives %s only when on', (role, setting, cap) => {
      const user = makeUser({
        licences: ['essential', 'agent'],
        contactCenter: { admin: false, queues: { q1: [role] } },
      });
      const on = makeTenant({ queues, rolePermissions: { [role]: { [setting]: true } } });
      const off = makeTenant({ queues, rolePermissions: { [role]: { [setting]: false } } });
      expectDecision(explainCapability(user, on, cap), {
        allowed: true,
        grantedBy: `role_permission:${role}.${setting}`,
      });
      expectDecision(explainCapability(user, off, cap), { allowed: false });
      // The other role does not get it.
      const other = makeUser({
        licences: ['essential', 'agent'],
        contactCenter: { admin: false, queues: { q1: [role === 'agent' ? 'supervisor' : 'agent'] } },
      });
      expect(explainCapability(other, on, cap).allowed).toBe(false);
    });
  });

  describe('source 5: profiles', () => {
    const tenant = makeTenant({
      profiles: [
        { id: 'p1', name: 'Reporting', grants: ['reports:view', 'skills:view', 'cc:agent', 'telephony:record'] },
      ],
    });
    runTable([
      {
        name: 'profile: a tenant profile grants its module actions (billable content with its level, G15)',
        user: { permissions: web(), supervisorLevel: 'report', profile: { kind: 'profile', profileId: 'p1' } },
        tenant,
        cap: 'reports:view',
        allowed: true,
        grantedBy: 'profile:p1',
      },
      {
        name: 'profile: app-surface module actions too',
        user: { profile: { kind: 'profile', profileId: 'p1' } },
        tenant,
        cap: 'skills:view',
        allowed: true,
        grantedBy: 'profile:p1',
      },
      {
        name: 'profile: never licence-bound capabilities (cc:agent)',
        user: { profile: { kind: 'profile', profileId: 'p1' } },
        tenant,
        cap: 'cc:agent',
        allowed: false,
      },
      {
        name: 'profile: an unknown profile grants nothing',
        user: { permissions: web(), profile: { kind: 'profile', profileId: 'p9' } },
        tenant,
        cap: 'reports:view',
        allowed: false,
      },
      {
        name: 'custom profile: grants held on the user',
        user: { permissions: web(), profile: { kind: 'custom', grants: ['webhooks:view'] } },
        cap: 'webhooks:view',
        allowed: true,
        grantedBy: 'profile:custom',
      },
      {
        name: 'custom profile: only what it lists',
        user: { permissions: web(), profile: { kind: 'custom', grants: ['webhooks:view'] } },
        cap: 'webhooks:edit',
        allowed: false,
      },
      {
        name: 'custom profile: never feature-bound capabilities',
        user: {
          features: { ...makeUser().features, channels: 'none' },
          profile: { kind: 'custom', grants: ['telephony:call'] },
        },
        cap: 'telephony:call',
        allowed: false,
      },
    ]);

    it('superuser: every module capability of the profile matrix, and cc:admin (G15 text); not portal:use, licence- or feature-bound ones', () => {
      const user = makeUser({
        licences: [],
        permissions: ['website_access'],
        // The top level, so that G15 lets the billable content through (see the G15 tests).
        supervisorLevel: 'contact_center',
        features: { ...makeUser().features, channels: 'none', crmOverlay: false },
        profile: { kind: 'superuser' },
      });
      const decisions = explainUser(user, makeTenant());
      expect(SUPERUSER_CAPABILITIES).not.toContain('portal:use');
      expect(SUPERUSER_CAPABILITIES).toContain('dashboards:live_calls');
      for (const { id } of CAPABILITIES) {
        const expected = SUPERUSER_CAPABILITIES.includes(id) || ['portal:use', 'inbox:use', 'agenda:use'].includes(id);
        expect(decisions[id]!.allowed, id).toBe(expected);
        if (SUPERUSER_CAPABILITIES.includes(id)) expect(decisions[id]!.grantedBy).toContain('profile:superuser');
      }
      expect(decisions['cc:admin']).toMatchObject({ allowed: true, grantedBy: ['profile:superuser'] });
      expect(decisions['cc:agent']!.allowed).toBe(false);
      expect(decisions['telephony:call']!.allowed).toBe(false);
    });
  });
});

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

describe('queue-scoped capabilities (seed 001, SPEC 5)', () => {
  const agent = {
    licences: ['essential', 'agent'],
    contactCenter: { admin: false, queues: { q1: ['agent'] } },
  } satisfies Partial<UserAccess>;
  const supervisor = { contactCenter: { admin: false, queues: { q1: ['supervisor'] } } } satisfies Partial<UserAccess>;
  const withRp = (rolePermissions: TenantOverrides['rolePermissions']) => makeTenant({ queues, rolePermissions });
  runTable([
    {
      name: 'G12: agents join their assigned queues',
      user: agent,
      cap: 'queue:join',
      resource: 'queue:q1',
      allowed: true,
      grantedBy: 'role:agent@q1',
    },
    {
      name: 'G12: not other queues',
      user: agent,
      cap: 'queue:join',
      resource: 'queue:q2',
      allowed: false,
      blockedBy: 'G12',
      code: 'queue_not_assigned',
    },
    {
      name: 'G12: any queue with agentsMayJoinUnassignedQueues',
      user: agent,
      tenant: withRp({ organisation: { agentsMayJoinUnassignedQueues: true } }),
      cap: 'queue:join',
      resource: 'queue:q2',
      allowed: true,
      grantedBy: 'setting:organisation.agentsMayJoinUnassignedQueues',
    },
    {
      name: 'G14: the agent role needs the agent licence',
      user: { contactCenter: agent.contactCenter },
      cap: 'queue:join',
      resource: 'queue:q1',
      allowed: false,
      blockedBy: 'G14',
      code: 'agent_licence_required',
    },
    {
      name: 'G14: queue roles are for platform users (agent)',
      user: { ...agent, source: 'manual' },
      cap: 'queue:join',
      resource: 'queue:q1',
      allowed: false,
      blockedBy: 'G14',
      code: 'platform_user_required',
    },
    {
      name: 'G14: queue roles are for platform users (supervisor)',
      user: { ...supervisor, source: 'manual' },
      cap: 'queue:monitor',
      resource: 'queue:q1',
      allowed: false,
      blockedBy: 'G14',
    },
    {
      name: 'G14: contact admin does not validate a manual supervisor role',
      user: { source: 'manual', contactCenter: { admin: true, queues: { q1: ['supervisor'] } } },
      cap: 'queue:monitor',
      resource: 'queue:q1',
      allowed: false,
      blockedBy: 'G14',
    },
    {
      name: 'G14: a manual contact admin still configures queues',
      user: { source: 'manual', contactCenter: { admin: true, queues: { q1: ['supervisor'] } } },
      cap: 'queue:view_settings',
      resource: 'queue:q1',
      allowed: true,
      grantedBy: 'role:contact_admin',
    },
    {
      name: 'G7: dispositions on queues with wrap-up',
      user: agent,
      tenant: withRp({ agent: { callDispositions: true } }),
      cap: 'queue:disposition',
      resource: 'queue:q1',
      allowed: true,
      grantedBy: 'role:agent@q1+role_permission:agent.callDispositions',
    },
    {
      name: 'G7: no dispositions without wrap-up',
      user: { ...agent, contactCenter: { admin: false, queues: { q2: ['agent'] } } },
      tenant: withRp({ agent: { callDispositions: true } }),
      cap: 'queue:disposition',
      resource: 'queue:q2',
      allowed: false,
      blockedBy: 'G7',
      code: 'wrap_up_required',
    },
    {
      name: 'role permissions: callDispositions off means no dispositions',
      user: agent,
      cap: 'queue:disposition',
      resource: 'queue:q1',
      allowed: false,
    },
    {
      name: 'G11: supervisors monitor their queues',
      user: supervisor,
      cap: 'queue:monitor',
      resource: 'queue:q1',
      allowed: true,
      grantedBy: 'role:supervisor@q1',
    },
    {
      name: 'G11: supervisors see reports of their queues',
      user: supervisor,
      cap: 'queue:reports',
      resource: 'queue:q1',
      allowed: true,
      grantedBy: 'role:supervisor@q1',
    },
    {
      name: 'G11: restricted to assigned queues by default',
      user: supervisor,
      cap: 'queue:monitor',
      resource: 'queue:q2',
      allowed: false,
      blockedBy: 'G11',
      code: 'queue_not_assigned',
    },
    {
      name: 'G11: unrestricted supervisors act on every queue',
      user: supervisor,
      tenant: withRp({ supervisor: { restrictToAssignedQueues: false } }),
      cap: 'queue:monitor',
      resource: 'queue:q2',
      allowed: true,
      grantedBy: 'role_permission:supervisor.restrictToAssignedQueues=off',
    },
    {
      name: 'role permissions: viewQueueSettings',
      user: supervisor,
      cap: 'queue:view_settings',
      resource: 'queue:q1',
      allowed: true,
      grantedBy: 'role:supervisor@q1',
    },
    {
      name: 'role permissions: manageQueueSettings off by default',
      user: supervisor,
      cap: 'queue:edit_settings',
      resource: 'queue:q1',
      allowed: false,
    },
    {
      name: 'role permissions: manageQueueSettings on',
      user: supervisor,
      tenant: withRp({ supervisor: { manageQueueSettings: true } }),
      cap: 'queue:edit_settings',
      resource: 'queue:q1',
      allowed: true,
      grantedBy: 'role:supervisor@q1',
    },
    {
      name: 'source 4: contact admin configures every queue',
      user: { contactCenter: { admin: true, queues: {} } },
      cap: 'queue:edit_settings',
      resource: 'queue:q2',
      allowed: true,
      grantedBy: 'role:contact_admin',
    },
    {
      name: 'source 4: contact admin does not monitor',
      user: { contactCenter: { admin: true, queues: {} } },
      cap: 'queue:monitor',
      resource: 'queue:q2',
      allowed: false,
    },
    {
      name: 'superuser: monitors every queue',
      user: { source: 'manual', profile: { kind: 'superuser' } },
      cap: 'queue:monitor',
      resource: 'queue:q2',
      allowed: true,
      grantedBy: 'profile:superuser',
    },
    {
      name: 'superuser: does not join queues',
      user: { profile: { kind: 'superuser' } },
      cap: 'queue:join',
      resource: 'queue:q2',
      allowed: false,
    },
    {
      name: 'X2: unknown queue',
      user: agent,
      cap: 'queue:join',
      resource: 'queue:q9',
      allowed: false,
      code: 'not_found',
    },
    {
      name: 'X2: queue capability without resource',
      user: agent,
      cap: 'queue:join',
      allowed: false,
      code: 'resource_required',
    },
    { name: 'X2: unknown capability', user: agent, cap: 'nope:nothing', allowed: false, code: 'unknown_capability' },
  ]);
});

describe('role permissions follow valid roles only (G14, X1)', () => {
  const tenant = makeTenant({
    queues,
    rolePermissions: { supervisor: { configPortal: true }, agent: { createCustomTags: true, callDispositions: false } },
  });
  it('G14: a manual user holding a supervisor role gets no supervisor role permissions', () => {
    const manual = makeUser({
      source: 'manual',
      licences: [],
      contactCenter: { admin: false, queues: { q1: ['supervisor'] } },
    });
    expect(explainUser(manual, tenant)['cc:config_portal']!.allowed).toBe(false);
    const platform = makeUser({ contactCenter: { admin: false, queues: { q1: ['supervisor'] } } });
    expect(explainUser(platform, tenant)['cc:config_portal']).toMatchObject({
      allowed: true,
      grantedBy: ['role_permission:supervisor.configPortal'],
    });
  });
  it('G14: an agent role without the Agent licence gives no agent role permissions', () => {
    const noLicence = makeUser({ contactCenter: { admin: false, queues: { q1: ['agent'] } } });
    expect(explainUser(noLicence, tenant)['tags:create']!.allowed).toBe(false);
    expect(explainUser({ ...noLicence, licences: ['essential', 'agent'] }, tenant)['tags:create']!.allowed).toBe(true);
  });
  it('X1, G7: an agent denied dispositions because the role permission is off is told why', () => {
    const agent = makeUser({
      licences: ['essential', 'agent'],
      contactCenter: { admin: false, queues: { q1: ['agent'] } },
    });
    const d = explainCapability(agent, tenant, 'queue:disposition', 'queue:q1');
    expect(d.allowed).toBe(false);
    expect(d.blockedBy.map((b) => b.code)).toEqual(['dispositions_off']);
  });
});

describe('grantsOf: the sources of one capability, as collectGrants lists them (X2 explains only what is asked)', () => {
  it('agrees with collectGrants on every capability of random tenants and users (property)', () => {
    fc.assert(
      fc.property(arbScenario(6), ({ tenant, users }) => {
        for (const user of users) {
          const all = collectGrants(user, tenant);
          for (const { id } of CAPABILITIES)
            expect(grantsOf(user, tenant, id), `${user.id} ${id}`).toEqual(all.get(id) ?? []);
        }
      }),
      { numRuns: 400 },
    );
  });
});
