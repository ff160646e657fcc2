import { QUEUE_CAPABILITIES, planHas, type SupervisorLevel } from '../catalog/index.js';
import type { CompiledQueueAccess, CompiledTenant } from './compile.js';
import { explainQueueCapability, explainUser } from './explain.js';
import type { QueueRole, SoftphoneClient, TenantAccess, UserAccess, UserStatus } from './types.js';

/**
 * The effective configuration (API.md "The effective configuration"; D1, F4): what a client app
 * enforces. Every value is the effective one, after plan (G8), admin setting and preference (G9, G10),
 * so an app never re-derives a rule.
 */

export interface SipCredentials {
  username: string;
  password: string;
  realm: string;
}

/** The softphone device with its SIP credentials, as the caller decrypted them (platform users only). */
export interface SoftphoneDevice {
  id: string;
  kind: 'sip' | 'webrtc';
  sip: SipCredentials;
}

export interface EffectiveConfig {
  userId: string;
  tenantId: string;
  version: number;
  status: UserStatus;
  /** Allowed unscoped capabilities, sorted. */
  capabilities: string[];
  /** Queues where the user holds any queue capability, by name then id; capabilities in catalog order. */
  queues: Array<{ id: string; name: string; roles: QueueRole[]; capabilities: string[] }>;
  features: {
    calls: boolean;
    sms: boolean;
    recording: boolean;
    crmOverlay: boolean;
    dialRestriction: { enabled: boolean; homeRegion: string; allowedRegions: string[] };
  };
  /**
   * Null unless `softphone:use` is allowed. `device.sip` is present only when the caller passed the
   * credentials, which it does for the user's own authenticated clients only.
   */
  softphone: null | {
    clients: SoftphoneClient[];
    device: { id: string; kind: 'sip' | 'webrtc'; sip?: SipCredentials };
  };
  supervisor: {
    level: SupervisorLevel;
    reports: boolean;
    dashboards: boolean;
    wallboards: boolean;
    liveCalls: boolean;
    ccData: boolean;
  };
}

/** The dial restriction a client applies (F3). */
export function dialRestrictionOf(
  user: UserAccess,
  tenant: TenantAccess,
): EffectiveConfig['features']['dialRestriction'] {
  return {
    // F3, G8: without the plan's dial_restriction the setting is kept but not applied.
    enabled:
      user.status === 'active' &&
      user.features.dialRestriction.enabled &&
      planHas(tenant.planFeatures, 'dial_restriction'),
    homeRegion: tenant.homeRegion,
    allowedRegions: [...new Set(user.features.dialRestriction.allowedRegions)],
  };
}

/** Softphone clients in a stable order, whatever order the admin ticked them in. */
const CLIENT_ORDER: readonly SoftphoneClient[] = ['desktop', 'mobile', 'crm'];

/**
 * Builds the effective configuration of one user. With `compiled` (the tenant's snapshot, holding this
 * user at the same state) decisions come from the fast path; with `null` (or a snapshot without the
 * user) from `explainUser`, which gives the same answers (property-tested) but costs more.
 * `device` carries the softphone device's SIP credentials; pass it only for the user's own clients.
 */
export function buildEffectiveConfig(
  user: UserAccess,
  tenant: TenantAccess,
  compiled: CompiledTenant | null,
  version: number,
  device?: SoftphoneDevice | null,
): EffectiveConfig {
  const fast = compiled?.has(user.id) ? compiled : null;
  let allowed: (cap: string) => boolean;
  let capabilities: string[];
  let queues: CompiledQueueAccess[];
  if (fast) {
    allowed = (cap) => fast.check(user.id, cap);
    capabilities = fast.allowedCapabilities(user.id);
    queues = fast.queueCapabilities(user.id);
  } else {
    const decisions = explainUser(user, tenant);
    allowed = (cap) => decisions[cap]?.allowed === true;
    capabilities = Object.keys(decisions).filter(allowed).sort();
    queues = explainQueues(user, tenant);
  }

  return {
    userId: user.id,
    tenantId: tenant.id,
    version,
    status: user.status,
    capabilities,
    queues,
    features: {
      calls: allowed('telephony:call'),
      sms: allowed('telephony:sms'),
      recording: allowed('telephony:record'),
      crmOverlay: allowed('crm:overlay'),
      dialRestriction: dialRestrictionOf(user, tenant),
    },
    softphone: allowed('softphone:use') ? softphoneOf(user, device ?? null) : null,
    supervisor: {
      level: user.supervisorLevel,
      reports: allowed('reports:view'),
      dashboards: allowed('dashboards:view'),
      wallboards: allowed('wallboards:view'),
      liveCalls: allowed('dashboards:live_calls'),
      ccData: allowed('cc_data:view'),
    },
  };
}

/** The softphone section; only called once `softphone:use` is allowed, so G5 guarantees the user's own device. */
function softphoneOf(user: UserAccess, device: SoftphoneDevice | null): NonNullable<EffectiveConfig['softphone']> {
  const { clients, deviceId } = user.ucClient.softphone;
  const own = user.devices.find((d) => d.id === deviceId);
  // The engine's view of the device (kind) wins; credentials are used only if they are for that device.
  const kind = own?.kind ?? 'sip';
  const sip = device && device.id === deviceId ? device.sip : undefined;
  return {
    // G5: the CRM softphone client runs in the browser and needs a WebRTC device.
    clients: CLIENT_ORDER.filter((c) => clients.includes(c) && (c !== 'crm' || kind === 'webrtc')),
    device: { id: deviceId ?? '', kind, ...(sip ? { sip: { ...sip } } : {}) },
  };
}

/** Slow-path queue listing: every tenant queue, by name then id, with the allowed queue capabilities. */
function explainQueues(user: UserAccess, tenant: TenantAccess): CompiledQueueAccess[] {
  const sorted = [...tenant.queues.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const out: CompiledQueueAccess[] = [];
  for (const queue of sorted) {
    const capabilities = QUEUE_CAPABILITIES.filter((c) => explainQueueCapability(user, tenant, c, queue.id).allowed);
    if (capabilities.length === 0) continue;
    const roles = user.contactCenter.queues[queue.id] ?? [];
    out.push({
      id: queue.id,
      name: queue.name,
      capabilities,
      roles: (['agent', 'supervisor'] as const).filter((r) => roles.includes(r)),
    });
  }
  return out;
}
