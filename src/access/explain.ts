import {
  CAPABILITIES,
  CAPABILITY_BY_ID,
  levelSelling,
  planHas,
  SUPERVISOR_LEVEL_NAMES,
  supervisorRank,
  type PlanFeature,
} from '../catalog/index.js';
import { collectGrants, grantsOf, isSupervisorAnywhere } from './grants.js';
import type { Block, Decision, TenantAccess, UserAccess } from './types.js';

/**
 * The slow path: every decision with its reasons (X1, X2). The compiled fast path must agree
 * with it on every input (held together by a property test).
 */

const block = (rule: string, code: string, detail: string): Block => ({ rule, code, detail });

const PLAN_FEATURE_OF: Record<string, PlanFeature> = {
  'telephony:call': 'calls',
  'telephony:sms': 'sms',
  'telephony:record': 'recording',
  'crm:overlay': 'crm_overlay',
};

/** Constraints on one unscoped capability, given whether `portal:use` is allowed (G1). */
function constraintsOn(cap: string, user: UserAccess, tenant: TenantAccess, portalAllowed: boolean): Block[] {
  const out: Block[] = [];
  if (user.status !== 'active') out.push(block('G13', 'account_inactive', `the user is ${user.status}`));
  const def = CAPABILITY_BY_ID.get(cap);
  if (def?.surface === 'portal' && !portalAllowed) {
    out.push(block('G1', 'website_access_required', 'portal capabilities need website access'));
  }
  // G15: billable content needs the level that sells it, whichever source grants it.
  const sold = levelSelling(cap);
  if (sold && supervisorRank(user.supervisorLevel) < supervisorRank(sold)) {
    out.push(
      block('G15', 'supervisor_level_required', `needs ${SUPERVISOR_LEVEL_NAMES[sold]} or a higher supervisor level`),
    );
  }
  switch (cap) {
    case 'ucclient:desktop':
    case 'ucclient:crm':
      if (!user.licences.includes('essential'))
        out.push(block('G3', 'essential_required', 'UC client access needs the Essential licence'));
      break;
    case 'softphone:use':
      if (!user.licences.includes('essential'))
        out.push(block('G3', 'essential_required', 'UC client access needs the Essential licence'));
      if (!user.licences.includes('softphone'))
        out.push(block('G5', 'softphone_licence_required', 'the softphone needs the Softphone licence'));
      if (!user.devices.some((d) => d.id === user.ucClient.softphone.deviceId)) {
        out.push(block('G5', 'device_required', "the softphone needs a device of the user's own"));
      }
      break;
    case 'cc:agent':
      if (user.source !== 'platform')
        out.push(block('G4', 'platform_user_required', 'agent-state tracking exists only for platform users'));
      break;
  }
  if (cap.startsWith('telephony:') && user.source !== 'platform') {
    out.push(block('G4', 'platform_user_required', 'telephony exists only for platform users'));
  }
  const feature = PLAN_FEATURE_OF[cap];
  if (feature && !planHas(tenant.planFeatures, feature)) {
    out.push(
      block('G8', 'plan_feature_missing', `the ${tenant.plan} plan does not include ${feature.replace('_', ' ')}`),
    );
  }
  if (cap === 'telephony:record' && !user.preferences.recording) {
    out.push(block('G10', 'preference_off', 'the user turned recording off in the app'));
  }
  if (cap === 'crm:overlay' && !user.preferences.crmOverlay) {
    out.push(block('G10', 'preference_off', 'the user turned the CRM overlay off in the app'));
  }
  return out;
}

function decide(grantedBy: string[], blockedBy: Block[]): Decision {
  return { allowed: grantedBy.length > 0 && blockedBy.length === 0, grantedBy, blockedBy };
}

/** Decision with reasons for every unscoped capability of the catalog (X1). */
export function explainUser(user: UserAccess, tenant: TenantAccess): Record<string, Decision> {
  const grants = collectGrants(user, tenant);
  const portal = decide(grants.get('portal:use') ?? [], constraintsOn('portal:use', user, tenant, true));
  const out: Record<string, Decision> = {};
  for (const { id } of CAPABILITIES) {
    out[id] =
      id === 'portal:use' ? portal : decide(grants.get(id) ?? [], constraintsOn(id, user, tenant, portal.allowed));
  }
  return out;
}

/** Decision with reasons for one capability, optionally on one queue (X2). */
export function explainCapability(
  user: UserAccess,
  tenant: TenantAccess,
  capability: string,
  resource?: string,
): Decision {
  const def = CAPABILITY_BY_ID.get(capability);
  if (!def) return decide([], [block('X2', 'unknown_capability', `${capability} is not in the catalog`)]);
  if (def.surface === 'queue') {
    const queueId = parseQueueResource(resource);
    if (!queueId)
      return decide(
        [],
        [block('X2', 'resource_required', `${capability} is checked on a queue: resource "queue:<id>"`)],
      );
    return explainQueueCapability(user, tenant, capability, queueId);
  }
  // Only the capability asked (and portal:use, which G1 reads): the same decision explainUser gives it.
  const portalAllowed =
    def.surface !== 'portal' ||
    capability === 'portal:use' ||
    decide(grantsOf(user, tenant, 'portal:use'), constraintsOn('portal:use', user, tenant, true)).allowed;
  return decide(grantsOf(user, tenant, capability), constraintsOn(capability, user, tenant, portalAllowed));
}

export function parseQueueResource(resource: string | undefined): string | null {
  if (!resource?.startsWith('queue:')) return null;
  const id = resource.slice('queue:'.length);
  return id.length > 0 ? id : null;
}

/** What the supervisor role gives on a queue it covers (seed 001), given the tenant's role permissions. */
function supervisorGrants(capability: string, rp: TenantAccess['rolePermissions']): boolean {
  switch (capability) {
    case 'queue:view_settings':
      return rp.supervisor.viewQueueSettings;
    case 'queue:edit_settings':
      return rp.supervisor.manageQueueSettings;
    case 'queue:monitor':
    case 'queue:reports':
      return true;
    default:
      return false;
  }
}

/** Queue-scoped decision (seed 001; G7, G11, G12, G13, G14). */
export function explainQueueCapability(
  user: UserAccess,
  tenant: TenantAccess,
  capability: string,
  queueId: string,
): Decision {
  const queue = tenant.queues.get(queueId);
  if (!queue) return decide([], [block('E4', 'not_found', `queue ${queueId} not found`)]);
  const roles = user.contactCenter.queues[queueId] ?? [];
  const rp = tenant.rolePermissions;
  const grantedBy: string[] = [];
  const blockedBy: Block[] = [];
  if (user.status !== 'active') blockedBy.push(block('G13', 'account_inactive', `the user is ${user.status}`));

  const isAgentHere = roles.includes('agent');
  const supervisesHere = roles.includes('supervisor');
  const supervisorScope = supervisesHere || (!rp.supervisor.restrictToAssignedQueues && isSupervisorAnywhere(user));
  const supervisorSource = supervisesHere
    ? `role:supervisor@${queueId}`
    : 'role_permission:supervisor.restrictToAssignedQueues=off';
  const superuser = user.profile.kind === 'superuser';

  if (capability === 'queue:join' || capability === 'queue:disposition') {
    if (isAgentHere) grantedBy.push(`role:agent@${queueId}`);
    else if (rp.organisation.agentsMayJoinUnassignedQueues && user.licences.includes('agent')) {
      grantedBy.push('setting:organisation.agentsMayJoinUnassignedQueues');
    }
    if (capability === 'queue:disposition' && grantedBy.length > 0) {
      if (rp.agent.callDispositions) grantedBy[0] = `${grantedBy[0]}+role_permission:agent.callDispositions`;
      else
        blockedBy.push(
          block('G7', 'dispositions_off', 'call dispositions are turned off for agents (role permissions)'),
        );
    }
    if (capability === 'queue:disposition' && queue.wrapUpSeconds <= 0) {
      blockedBy.push(block('G7', 'wrap_up_required', `queue ${queue.name} has no wrap-up time`));
    }
    if (grantedBy.length > 0) {
      if (user.source !== 'platform')
        blockedBy.push(block('G14', 'platform_user_required', 'queue roles are for platform users'));
      if (!user.licences.includes('agent'))
        blockedBy.push(block('G14', 'agent_licence_required', 'the agent role needs the Agent licence'));
    } else if (!isAgentHere && (user.licences.includes('agent') || Object.keys(user.contactCenter.queues).length > 0)) {
      blockedBy.push(block('G12', 'queue_not_assigned', `the user is not an agent of queue ${queue.name}`));
    }
    return decide(grantedBy, blockedBy);
  }

  if (supervisorScope && supervisorGrants(capability, rp)) grantedBy.push(supervisorSource);
  const adminGrants =
    user.contactCenter.admin && (capability === 'queue:view_settings' || capability === 'queue:edit_settings');
  if (adminGrants) grantedBy.push('role:contact_admin');
  if (superuser) grantedBy.push('profile:superuser');
  // Only a source that is not a queue role (contact admin, superuser) lifts G14; being contact admin does not
  // make a manual user's supervisor role valid for capabilities the admin role itself does not grant.
  if (grantedBy.length > 0 && supervisorScope && !adminGrants && !superuser && user.source !== 'platform') {
    blockedBy.push(block('G14', 'platform_user_required', 'queue roles are for platform users'));
  }
  if (grantedBy.length === 0 && isSupervisorAnywhere(user) && rp.supervisor.restrictToAssignedQueues) {
    blockedBy.push(block('G11', 'queue_not_assigned', `the user does not supervise queue ${queue.name}`));
  }
  return decide(grantedBy, blockedBy);
}
