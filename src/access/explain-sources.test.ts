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
} from '../catalog/index.js';
import { explainCapability, explainUser } from './explain.js';
import { collectGrants, grantsOf, SUPERUSER_CAPABILITIES } from './grants.js';
import { arbScenario, makeTenant, makeUser } from '../../test/support/access-factories.js';
import { expectDecision, queues, runTable, web } from '../../test/support/explain-table.js';

/** The sources that grant (SPEC 3): table tests per source, each asserting `allowed` and the reason; grantsOf held to collectGrants. */

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
