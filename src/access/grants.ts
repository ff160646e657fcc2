import {
  AGENT_SETTING_CAPABILITIES,
  CAPABILITIES,
  PERMISSION_CAPABILITIES,
  SUPERVISOR_LEVELS,
  SUPERVISOR_LEVEL_CAPABILITIES,
  SUPERVISOR_SETTING_CAPABILITIES,
  supervisorRank,
  type Capability,
} from '../catalog/index.js';
import type { TenantAccess, UserAccess } from './types.js';

/**
 * Sources that grant unscoped capabilities (SPEC 3, sources 1-7), as `capability -> [source]`.
 * Source names are what `grantedBy` shows: `baseline`, `permission:<p>`, `supervisor_level:<l>`,
 * `role:contact_admin`, `role_permission:<role>.<setting>`, `profile:<id>`, `profile:custom`,
 * `profile:superuser`, `licence:<l>`, `uc_client:<x>`, `feature:<f>`.
 */
export const BASELINE = ['inbox:use', 'agenda:use'] as const;

/** Capabilities a Contact Admin holds (seed 001: assign CC licences, map queues, configure queues). */
export const CONTACT_ADMIN_CAPABILITIES = [
  'cc:admin',
  'queues:view',
  'queues:create',
  'queues:edit',
  'queues:delete',
] as const;

/**
 * What a tenant profile or custom grant may carry: the module actions of the profile matrix (seed 003).
 * Profiles never carry `portal:use` (that is website access, with its G2 email rule), nor licence-,
 * role- or feature-bound capabilities.
 */
export const PROFILE_CAPABILITIES: readonly string[] = CAPABILITIES.filter((c) => c.profileGrantable).map((c) => c.id);
const FROM_PROFILES = new Set(PROFILE_CAPABILITIES);

/**
 * What `superuser` grants: every capability of every module of the profile matrix, monitoring dashboards
 * included (their billable content still needs its level, G15), and `cc:admin`: a superuser runs the
 * contact center (G15 text), with every queue's settings (see explainQueueCapability).
 */
export const SUPERUSER_CAPABILITIES: readonly string[] = [...PROFILE_CAPABILITIES, 'cc:admin'];

export function isSupervisorAnywhere(user: UserAccess): boolean {
  return Object.values(user.contactCenter.queues).some((r) => r.includes('supervisor'));
}
export function isAgentAnywhere(user: UserAccess): boolean {
  return Object.values(user.contactCenter.queues).some((r) => r.includes('agent'));
}

/** G14: a queue role counts (for the tenant-wide role permissions) only for platform users; the agent role also needs Agent. */
export function holdsSupervisorRole(user: UserAccess): boolean {
  return user.source === 'platform' && isSupervisorAnywhere(user);
}
export function holdsAgentRole(user: UserAccess): boolean {
  return user.source === 'platform' && user.licences.includes('agent') && isAgentAnywhere(user);
}

/** Every source granting each unscoped capability to `user`. Constraints are not applied here. */
export function collectGrants(user: UserAccess, tenant: TenantAccess): Map<string, string[]> {
  const grants = new Map<string, string[]>();
  const add = (cap: string, source: string) => {
    const list = grants.get(cap);
    if (list) {
      if (!list.includes(source)) list.push(source);
    } else grants.set(cap, [source]);
  };

  for (const cap of BASELINE) add(cap, 'baseline');
  for (const p of user.permissions) for (const cap of PERMISSION_CAPABILITIES[p] ?? []) add(cap, `permission:${p}`);

  const rank = supervisorRank(user.supervisorLevel);
  for (const level of SUPERVISOR_LEVELS) {
    if (level !== 'none' && supervisorRank(level) <= rank) {
      for (const cap of SUPERVISOR_LEVEL_CAPABILITIES[level]) add(cap, `supervisor_level:${user.supervisorLevel}`);
    }
  }

  if (user.contactCenter.admin) for (const cap of CONTACT_ADMIN_CAPABILITIES) add(cap, 'role:contact_admin');
  const rp = tenant.rolePermissions;
  if (holdsSupervisorRole(user)) {
    for (const [setting, cap] of Object.entries(SUPERVISOR_SETTING_CAPABILITIES)) {
      if (cap && rp.supervisor[setting as keyof typeof rp.supervisor])
        add(cap, `role_permission:supervisor.${setting}`);
    }
  }
  if (holdsAgentRole(user)) {
    for (const [setting, cap] of Object.entries(AGENT_SETTING_CAPABILITIES)) {
      if (cap && rp.agent[setting as keyof typeof rp.agent]) add(cap, `role_permission:agent.${setting}`);
    }
  }

  const profile = user.profile;
  if (profile.kind === 'superuser') for (const cap of SUPERUSER_CAPABILITIES) add(cap, 'profile:superuser');
  else if (profile.kind === 'custom') {
    for (const cap of profile.grants ?? []) if (FROM_PROFILES.has(cap)) add(cap, 'profile:custom');
  } else if (profile.kind === 'profile' && profile.profileId) {
    const p = tenant.profiles.get(profile.profileId);
    for (const cap of p?.grants ?? []) if (FROM_PROFILES.has(cap)) add(cap, `profile:${profile.profileId}`);
  }

  if (user.licences.includes('agent')) add('cc:agent', 'licence:agent');
  if (user.licences.includes('crm')) add('ucclient:crm', 'licence:crm');
  if (user.ucClient.desktop) add('ucclient:desktop', 'uc_client:desktop');
  if (user.ucClient.softphone.enabled) add('softphone:use', 'uc_client:softphone');

  const ch = user.features.channels;
  if (ch === 'calls' || ch === 'both') add('telephony:call', 'feature:channels');
  if (ch === 'sms' || ch === 'both') add('telephony:sms', 'feature:channels');
  if (user.features.recording) add('telephony:record', 'feature:recording');
  if (user.features.crmOverlay) add('crm:overlay', 'feature:crm_overlay');
  return grants;
}

const BASELINE_SET: ReadonlySet<string> = new Set(BASELINE);
const CONTACT_ADMIN_SET: ReadonlySet<string> = new Set(CONTACT_ADMIN_CAPABILITIES);
const SUPERUSER_SET: ReadonlySet<string> = new Set(SUPERUSER_CAPABILITIES);
const PERMISSION_SETS = new Map<string, ReadonlySet<string>>(
  Object.entries(PERMISSION_CAPABILITIES).map(([p, caps]) => [p, new Set<string>(caps)]),
);
/** The rank of the lowest supervisor level whose capabilities include each capability. */
const LOWEST_LEVEL_RANK = new Map<string, number>();
for (const level of SUPERVISOR_LEVELS) {
  if (level === 'none') continue;
  for (const cap of SUPERVISOR_LEVEL_CAPABILITIES[level]) {
    const rank = supervisorRank(level);
    if (rank < (LOWEST_LEVEL_RANK.get(cap) ?? Infinity)) LOWEST_LEVEL_RANK.set(cap, rank);
  }
}
const settingsGranting = (table: Readonly<Record<string, string | undefined>>, cap: string) =>
  Object.entries(table)
    .filter(([, c]) => c === cap)
    .map(([setting]) => setting);
const SUPERVISOR_SETTINGS_OF = new Map<string, string[]>(
  CAPABILITIES.map((c) => [c.id, settingsGranting(SUPERVISOR_SETTING_CAPABILITIES, c.id)] as const),
);
const AGENT_SETTINGS_OF = new Map<string, string[]>(
  CAPABILITIES.map((c) => [c.id, settingsGranting(AGENT_SETTING_CAPABILITIES, c.id)] as const),
);

/**
 * The sources granting one unscoped capability: exactly `collectGrants(user, tenant).get(capability) ?? []`
 * (same sources, same order; a property test holds them together), without building every other
 * capability's list. The check path explains only the capability asked, so this is what it calls.
 */
export function grantsOf(user: UserAccess, tenant: TenantAccess, capability: string): string[] {
  const out: string[] = [];
  const add = (source: string) => {
    if (!out.includes(source)) out.push(source);
  };
  if (BASELINE_SET.has(capability)) add('baseline');
  for (const p of user.permissions) if (PERMISSION_SETS.get(p)?.has(capability)) add(`permission:${p}`);
  const lowest = LOWEST_LEVEL_RANK.get(capability);
  if (lowest !== undefined && lowest <= supervisorRank(user.supervisorLevel))
    add(`supervisor_level:${user.supervisorLevel}`);
  if (user.contactCenter.admin && CONTACT_ADMIN_SET.has(capability)) add('role:contact_admin');
  const rp = tenant.rolePermissions;
  const supervisorSettings = SUPERVISOR_SETTINGS_OF.get(capability) ?? [];
  if (supervisorSettings.length > 0 && holdsSupervisorRole(user)) {
    for (const setting of supervisorSettings)
      if (rp.supervisor[setting as keyof typeof rp.supervisor]) add(`role_permission:supervisor.${setting}`);
  }
  const agentSettings = AGENT_SETTINGS_OF.get(capability) ?? [];
  if (agentSettings.length > 0 && holdsAgentRole(user)) {
    for (const setting of agentSettings)
      if (rp.agent[setting as keyof typeof rp.agent]) add(`role_permission:agent.${setting}`);
  }
  const profile = user.profile;
  if (profile.kind === 'superuser') {
    if (SUPERUSER_SET.has(capability)) add('profile:superuser');
  } else if (FROM_PROFILES.has(capability)) {
    if (profile.kind === 'custom') {
      if (profile.grants?.includes(capability as Capability)) add('profile:custom');
    } else if (profile.kind === 'profile' && profile.profileId) {
      if (tenant.profiles.get(profile.profileId)?.grants.includes(capability as Capability))
        add(`profile:${profile.profileId}`);
    }
  }
  switch (capability) {
    case 'cc:agent':
      if (user.licences.includes('agent')) add('licence:agent');
      break;
    case 'ucclient:crm':
      if (user.licences.includes('crm')) add('licence:crm');
      break;
    case 'ucclient:desktop':
      if (user.ucClient.desktop) add('uc_client:desktop');
      break;
    case 'softphone:use':
      if (user.ucClient.softphone.enabled) add('uc_client:softphone');
      break;
    case 'telephony:call':
      if (user.features.channels === 'calls' || user.features.channels === 'both') add('feature:channels');
      break;
    case 'telephony:sms':
      if (user.features.channels === 'sms' || user.features.channels === 'both') add('feature:channels');
      break;
    case 'telephony:record':
      if (user.features.recording) add('feature:recording');
      break;
    case 'crm:overlay':
      if (user.features.crmOverlay) add('feature:crm_overlay');
      break;
  }
  return out;
}
