import type { DeviceInfo, UserAccess } from '../../access/types.js';
import type { DeviceRow, UserRow } from '../../db/schema.js';
import type { PlanFeature } from '../../catalog/plans.js';

/** Defaults of a new user (SPEC 2): channels as far as the plan allows, recording off, CRM overlay on, no dial restriction. */
/** The access fields every new user starts with: all of `UserAccess` but who the user is. */
export type DefaultAccessFields = Omit<UserAccess, 'id' | 'source' | 'status' | 'email' | 'devices'>;

export function defaultUserAccessFields(planFeatures?: readonly PlanFeature[]): DefaultAccessFields {
  return {
    licences: [],
    supervisorLevel: 'none',
    permissions: [],
    recordingScope: 'own',
    ucClient: { desktop: false, softphone: { enabled: false, clients: [], deviceId: null } },
    groups: [],
    primaryGroup: null,
    workspaces: {},
    contactCenter: { admin: false, queues: {} },
    profile: { kind: 'none' },
    features: {
      channels: planFeatures ? defaultChannels(planFeatures) : 'both',
      recording: false,
      crmOverlay: true,
      dialRestriction: { enabled: false, allowedRegions: [] },
    },
    preferences: { recording: true, crmOverlay: true },
  };
}

/** SPEC 2: both channels as far as the plan allows (a calls-only or SMS-only plan, F1). */
function defaultChannels(planFeatures: readonly PlanFeature[]): DefaultAccessFields['features']['channels'] {
  const calls = planFeatures.includes('calls');
  const sms = planFeatures.includes('sms');
  return calls && sms ? 'both' : calls ? 'calls' : sms ? 'sms' : 'none';
}

/** The columns a user's access state is read from. */
type AccessRow = Pick<
  UserRow,
  | 'id'
  | 'source'
  | 'status'
  | 'email'
  | 'licences'
  | 'supervisor_level'
  | 'permissions'
  | 'recording_scope'
  | 'uc_client'
  | 'group_ids'
  | 'primary_group_id'
  | 'workspaces'
  | 'contact_center'
  | 'profile'
  | 'features'
  | 'preferences'
>;

/** A stored user as the engine reads it. */
export function toUserAccess(row: AccessRow, devices: Array<Pick<DeviceRow, 'id' | 'kind'>>): UserAccess {
  return {
    id: row.id,
    source: row.source,
    status: row.status,
    email: row.email,
    licences: row.licences,
    supervisorLevel: row.supervisor_level,
    permissions: row.permissions,
    recordingScope: row.recording_scope,
    ucClient: row.uc_client,
    groups: row.group_ids,
    primaryGroup: row.primary_group_id,
    workspaces: row.workspaces,
    contactCenter: row.contact_center,
    profile: row.profile,
    features: row.features,
    preferences: row.preferences,
    devices: devices.map((d): DeviceInfo => ({ id: d.id, kind: d.kind })),
  };
}

/** The columns that hold a user's access state, from the engine's shape. */
export function accessColumns(u: UserAccess) {
  return {
    status: u.status,
    email: u.email,
    licences: u.licences,
    supervisor_level: u.supervisorLevel,
    permissions: u.permissions,
    recording_scope: u.recordingScope,
    uc_client: JSON.stringify(u.ucClient),
    group_ids: u.groups,
    primary_group_id: u.primaryGroup,
    workspaces: JSON.stringify(u.workspaces),
    contact_center: JSON.stringify(u.contactCenter),
    profile: JSON.stringify(u.profile),
    features: JSON.stringify(u.features),
    preferences: JSON.stringify(u.preferences),
  };
}
