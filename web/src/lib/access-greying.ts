/**
 * Greying of the user editor's controls (SPEC X1): every disabled control carries the reasons,
 * each a SPEC rule with a stable code. Reasons come from the user's `/access` answer where it
 * explains the block (its `blockedBy`), otherwise from the same rule applied to the draft being
 * edited, so the editor reacts before saving (e.g. ticking Website access un-greys permissions).
 */
import type { AccessAnswer, Block, Tenant, User } from '../../../client/index.js';
import {
  BILLABLE_CONTENT,
  CAPABILITIES,
  CAPABILITY_BY_ID,
  levelSelling,
  PERMISSION_CAPABILITIES,
  planHas,
  SUPERVISOR_LEVEL_NAMES,
  supervisorRank,
  type NamedPermission,
  type PlanFeature,
} from '../../../src/contract/index.js';
import { actorCan, type ActorPowers } from './actor.js';
import type { ShownBlock } from './problem-message.js';

export interface ControlState {
  disabled: boolean;
  /** Locked on by an automatic rule (A1, A3, viewQueueSettings): shown checked and disabled. */
  locked: boolean;
  reasons: ShownBlock[];
}

export interface GreyingContext {
  /** The draft being edited (what the form shows now). */
  user: User;
  access?: AccessAnswer | null;
  tenant?: (Pick<Tenant, 'plan' | 'policies'> & { planFeatures?: readonly string[] }) | null;
  actor: ActorPowers;
}

export type ControlId =
  | `permission:${string}`
  | `licence:${string}`
  | `channel:${string}`
  | `queue.agent:${string}`
  | `queue.supervisor:${string}`
  | `softphone.client:${string}`
  | 'ucClient.desktop'
  | 'ucClient.softphone'
  | 'softphone.device'
  | 'supervisorLevel'
  | 'recordingScope'
  | 'features.recording'
  | 'features.crmOverlay'
  | 'features.dialRestriction'
  | 'contactCenter.admin'
  | 'profile'
  | 'profile.superuser'
  | 'extension'
  | 'devices'
  | 'status';

const OPEN: ControlState = { disabled: false, locked: false, reasons: [] };

export const block = (rule: string, code: string, detail: string): Block => ({ rule, code, detail });

/** `blockedBy` entries of `capability` in the `/access` answer, optionally only those of `rules`. */
export function accessBlocks(
  access: AccessAnswer | null | undefined,
  capability: string,
  rules?: readonly string[],
): Block[] {
  const blocks = access?.capabilities[capability]?.blockedBy ?? [];
  return rules ? blocks.filter((b) => rules.includes(b.rule)) : blocks;
}

/** Prefer the server's explanation of a rule; fall back to the rule as applied to the draft. */
function reason(ctx: GreyingContext, capability: string, fallback: Block): Block {
  return accessBlocks(ctx.access, capability, [fallback.rule]).find((b) => b.code === fallback.code) ?? fallback;
}

function disabled(...reasons: Block[]): ControlState {
  return { disabled: true, locked: false, reasons };
}
function locked(...reasons: Block[]): ControlState {
  return { disabled: true, locked: true, reasons };
}

/** Whether the tenant's plan includes a feature (G8); unknown plans use the features the server sent. */
export function tenantHasFeature(tenant: GreyingContext['tenant'], feature: PlanFeature): boolean {
  if (!tenant) return true;
  if (tenant.planFeatures) return tenant.planFeatures.includes(feature);
  return planHas(tenant.plan, feature);
}

const hasWebsiteAccess = (u: User) => u.permissions.includes('website_access');
const hasLicence = (u: User, l: string) => (u.licences as string[]).includes(l);

/** The state of one control of the user editor. */
export function controlState(id: ControlId, ctx: GreyingContext): ControlState {
  const { user, actor } = ctx;
  if (id === 'extension' || id === 'devices') {
    return user.source === 'platform'
      ? locked(block('C5', 'read_only_field', 'extension and devices of platform users change only through sync'))
      : OPEN;
  }
  if (!actorCan(actor, 'users:edit'))
    return disabled(block('C1', 'forbidden', 'changing users needs Manage Users (users:edit)'));
  const superior = superiorBlock(ctx);
  if (superior) return disabled(superior);

  const [kind, arg = ''] = id.split(':') as [string, string | undefined];
  switch (kind) {
    case 'permission':
      return permissionState(arg, ctx);
    case 'licence':
      return licenceState(arg, ctx);
    case 'channel': {
      if (user.source !== 'platform')
        return disabled(
          reason(
            ctx,
            'telephony:call',
            block('G4', 'platform_user_required', 'telephony exists only for platform users'),
          ),
        );
      const needs: PlanFeature[] = arg === 'both' ? ['calls', 'sms'] : arg === 'none' ? [] : [arg as PlanFeature];
      const missing = needs.find((f) => !tenantHasFeature(ctx.tenant, f));
      return missing ? disabled(block('F1', 'plan_feature_missing', `the plan does not include ${missing}`)) : OPEN;
    }
    case 'queue.agent':
      if (user.source !== 'platform')
        return disabled(block('G14', 'platform_user_required', 'queue roles are for platform users'));
      if (!hasLicence(user, 'agent'))
        return disabled(block('G14', 'agent_licence_required', 'the agent role needs the Agent licence'));
      return ccAdminGate(ctx);
    case 'queue.supervisor':
      if (user.source !== 'platform')
        return disabled(block('G14', 'platform_user_required', 'queue roles are for platform users'));
      return ccAdminGate(ctx);
    case 'softphone.client':
      if (arg === 'crm') {
        const device = user.devices?.find((d) => d.id === user.ucClient.softphone.deviceId);
        if (device && device.kind !== 'webrtc')
          return disabled(block('G5', 'webrtc_device_required', 'the CRM softphone needs a WebRTC device'));
      }
      return softphoneState(ctx);
  }
  switch (id) {
    case 'ucClient.desktop':
      return hasLicence(user, 'essential')
        ? OPEN
        : disabled(
            reason(
              ctx,
              'ucclient:desktop',
              block('G3', 'essential_required', 'UC client access needs the Essential licence'),
            ),
          );
    case 'ucClient.softphone':
    case 'softphone.device':
      return softphoneState(ctx);
    case 'recordingScope':
      return (user.permissions as string[]).includes('recording_playback')
        ? OPEN
        : disabled(block('G1', 'recording_playback_required', 'the scope applies to Recording playback & scope'));
    case 'features.recording':
      if (user.source !== 'platform')
        return disabled(block('G4', 'platform_user_required', 'telephony exists only for platform users'));
      return tenantHasFeature(ctx.tenant, 'recording')
        ? OPEN
        : disabled(
            reason(ctx, 'telephony:record', block('G8', 'plan_feature_missing', 'the plan does not include recording')),
          );
    case 'features.crmOverlay':
      return tenantHasFeature(ctx.tenant, 'crm_overlay')
        ? OPEN
        : disabled(
            reason(
              ctx,
              'crm:overlay',
              block('G8', 'plan_feature_missing', 'the plan does not include the CRM overlay'),
            ),
          );
    case 'features.dialRestriction':
      if (user.source !== 'platform')
        return disabled(block('G4', 'platform_user_required', 'telephony exists only for platform users'));
      return tenantHasFeature(ctx.tenant, 'dial_restriction')
        ? OPEN
        : disabled(block('F3', 'plan_feature_missing', 'the plan does not include dial restrictions'));
    case 'contactCenter.admin':
      return ccAdminGate(ctx);
    case 'profile.superuser':
      return actor.provider || actor.superuser || user.profile.kind === 'superuser'
        ? OPEN
        : disabled(block('C3', 'escalation_refused', 'only a superuser grants superuser'));
    default:
      return OPEN;
  }
}

function ccAdminGate(ctx: GreyingContext): ControlState {
  return actorCan(ctx.actor, 'cc:admin')
    ? OPEN
    : disabled(block('C7', 'cc_admin_required', 'queue assignments need Contact Admin (cc:admin)'));
}

function softphoneState(ctx: GreyingContext): ControlState {
  const { user } = ctx;
  const reasons: Block[] = [];
  if (!hasLicence(user, 'essential'))
    reasons.push(
      reason(ctx, 'softphone:use', block('G3', 'essential_required', 'UC client access needs the Essential licence')),
    );
  if (!hasLicence(user, 'softphone'))
    reasons.push(
      reason(
        ctx,
        'softphone:use',
        block('G5', 'softphone_licence_required', 'the softphone needs the Softphone licence'),
      ),
    );
  if (!user.devices?.length)
    reasons.push(block('G5', 'device_required', "the softphone needs a device of the user's own"));
  return reasons.length ? disabled(...reasons) : OPEN;
}

function permissionState(permission: string, ctx: GreyingContext): ControlState {
  const { user, actor } = ctx;
  const held = (user.permissions as string[]).includes(permission);
  if (permission !== 'website_access' && !hasWebsiteAccess(user)) {
    const caps = PERMISSION_CAPABILITIES[permission as NamedPermission] ?? [];
    const fromAccess = caps.flatMap((c) => accessBlocks(ctx.access, c, ['G1']))[0];
    return disabled(
      fromAccess ?? block('G1', 'website_access_required', 'named permissions need Website access first'),
    );
  }
  if (!held && !actor.provider) {
    const caps = PERMISSION_CAPABILITIES[permission as NamedPermission] ?? [];
    const billing = permission === 'manage_billable_items' && actor.capabilities.has('billing:edit');
    if (!billing && caps.some((c) => !actor.capabilities.has(c))) {
      return disabled(block('C3', 'escalation_refused', 'you can grant only permissions whose capabilities you hold'));
    }
  }
  return OPEN;
}

function licenceState(licence: string, ctx: GreyingContext): ControlState {
  const { user } = ctx;
  const held = hasLicence(user, licence);
  if (licence === 'essential' || licence === 'agent') {
    if (user.source !== 'platform')
      return disabled(
        block('G4', 'platform_user_required', 'Essential and Agent add-on exist only for platform users'),
      );
    if (licence === 'essential' && held)
      return locked(block('A1', 'essential_locked', 'platform users always hold Essential'));
    if (licence === 'agent' && ctx.tenant?.policies?.agentAddOn === 'auto') {
      return {
        ...locked(
          block('A3', 'agent_auto_policy', 'the Agent add-on is assigned automatically by your service provider'),
        ),
        locked: held,
      };
    }
    return OPEN;
  }
  if ((licence === 'crm' || licence === 'softphone') && !held && !hasLicence(user, 'essential')) {
    return disabled(block('G3', 'essential_required', 'UC client licences need the Essential licence'));
  }
  return OPEN;
}

/**
 * G15: why billable content (reports, dashboards, wallboards, live call statistics, contact-center data)
 * is blocked for the draft, or null when it is not billable content or the draft's level sells it. The
 * reason names the level; its sentence comes from `/access` when the server explains the same rule.
 */
export function contentBlock(capability: string, ctx: GreyingContext): ShownBlock | null {
  const level = levelSelling(capability);
  if (!level || supervisorRank(ctx.user.supervisorLevel) >= supervisorRank(level)) return null;
  const server = accessBlocks(ctx.access, capability, ['G15']).find((b) => b.code === 'supervisor_level_required');
  return {
    ...(server ?? block('G15', 'supervisor_level_required', `needs ${SUPERVISOR_LEVEL_NAMES[level]}`)),
    level,
  };
}

/** G15 reasons for the billable content the draft's profile (tenant, custom or superuser) bundles, in catalog order. */
export function profileContentBlocks(
  ctx: GreyingContext,
  profileGrants: readonly string[] = [],
): Array<[string, ShownBlock]> {
  const p = ctx.user.profile;
  const grants =
    p.kind === 'superuser' ? [...BILLABLE_CONTENT.keys()] : p.kind === 'custom' ? (p.grants ?? []) : profileGrants;
  return [...BILLABLE_CONTENT.keys()]
    .filter((cap) => p.kind !== 'none' && grants.includes(cap))
    .flatMap((cap) => {
      const b = contentBlock(cap, ctx);
      return b ? [[cap, b] as [string, ShownBlock]] : [];
    });
}

/** Sources an actor gives only by holding them (C3, C7): what they give is a power over others (C9). */
const isGuardedSource = (source: string) =>
  source.startsWith('permission:') || source.startsWith('profile:') || source === 'role:contact_admin';

/**
 * C9 from the saved record, when `/access` cannot tell (not loaded yet, or the user is suspended and G13
 * blocks everything): named permissions and custom grants (portal ones with website access, G1) and the
 * Contact Admin role. A tenant profile's grants are the server's to weigh.
 */
function recordPowers(u: User): string[] {
  const web = u.permissions.includes('website_access');
  const works = (cap: string) => CAPABILITY_BY_ID.get(cap)?.surface !== 'portal' || web;
  const caps: string[] = u.permissions.flatMap((p) => PERMISSION_CAPABILITIES[p] ?? []);
  if (u.profile.kind === 'custom')
    caps.push(...(u.profile.grants ?? []).filter((g) => CAPABILITY_BY_ID.get(g)?.profileGrantable));
  if (u.contactCenter.admin)
    caps.push('cc:admin', ...CAPABILITIES.filter((c) => c.module === 'queues').map((c) => c.id));
  return caps.filter((c) => works(c) && !levelSelling(c));
}

/**
 * C9: the reason the actor may not change this user at all: the user (as saved, `/access`) holds powers,
 * given by named permissions, profiles or the Contact Admin role, that the actor lacks, or is a superuser
 * and the actor is not. Billable content follows the level (G15, C2) and is no power. Null when the actor
 * may act on the user (the provider always may).
 */
export function superiorBlock(ctx: GreyingContext): ShownBlock | null {
  const { user, access, actor } = ctx;
  if (actor.provider) return null;
  const decided = access ? Object.entries(access.capabilities) : [];
  const active = decided.some(([, d]) => d.allowed);
  const powers = active
    ? decided
        .filter(([cap, d]) => d.allowed && !levelSelling(cap) && d.grantedBy.some(isGuardedSource))
        .map(([cap]) => cap)
    : recordPowers(user);
  const beyond = [...new Set(powers.filter((c) => !actor.capabilities.has(c)))].sort();
  if (user.profile.kind === 'superuser' && !actor.superuser) beyond.push('superuser');
  if (beyond.length === 0) return null;
  return block('C9', 'superior_user', `the user holds what you do not: ${beyond.join(', ')}`);
}
