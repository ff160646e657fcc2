import type { Licence, NamedPermission, SupervisorLevel } from '../../catalog/index.js';
import type {
  ContactCenter,
  DeviceInfo,
  Features,
  Preferences,
  ProfileAssignment,
  UcClient,
  UserAccess,
  WorkspaceRole,
} from '../../access/types.js';
import type { DeviceRow, UserRow } from '../../db/schema.js';

/** Defaults of a new user (SPEC 2): channels as far as the plan allows, recording off, CRM overlay on, no dial restriction. */
export function defaultUserAccessFields() {
  return {
    licences: [] as Licence[],
    supervisorLevel: 'none' as SupervisorLevel,
    permissions: [] as NamedPermission[],
    recordingScope: 'own' as const,
    ucClient: { desktop: false, softphone: { enabled: false, clients: [], deviceId: null } } as UcClient,
    groups: [] as string[],
    primaryGroup: null as string | null,
    workspaces: {} as Record<string, WorkspaceRole>,
    contactCenter: { admin: false, queues: {} } as ContactCenter,
    profile: { kind: 'none' } as ProfileAssignment,
    features: {
      channels: 'both',
      recording: false,
      crmOverlay: true,
      dialRestriction: { enabled: false, allowedRegions: [] },
    } as Features,
    preferences: { recording: true, crmOverlay: true } as Preferences,
  };
}

/** A stored user as the engine reads it. */
export function toUserAccess(row: UserRow, devices: Array<Pick<DeviceRow, 'id' | 'kind'>>): UserAccess {
  return {
    id: row.id,
    source: row.source,
    status: row.status,
    email: row.email,
    licences: row.licences as Licence[],
    supervisorLevel: row.supervisor_level as SupervisorLevel,
    permissions: row.permissions as NamedPermission[],
    recordingScope: row.recording_scope as UserAccess['recordingScope'],
    ucClient: row.uc_client as UcClient,
    groups: row.group_ids,
    primaryGroup: row.primary_group_id,
    workspaces: row.workspaces as Record<string, WorkspaceRole>,
    contactCenter: row.contact_center as ContactCenter,
    profile: row.profile as ProfileAssignment,
    features: row.features as Features,
    preferences: row.preferences as Preferences,
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
