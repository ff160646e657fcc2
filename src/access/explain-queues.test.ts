import { describe, expect, it } from 'vitest';
import { explainCapability, explainUser } from './explain.js';
import type { UserAccess } from './types.js';
import { makeTenant, makeUser, type TenantOverrides } from '../../test/support/access-factories.js';
import { queues, runTable } from '../../test/support/explain-table.js';

/** Queue-scoped capabilities (SPEC 5, G7, G12, G14, X1): roles on a queue, their role permissions and the reasons. */

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
