import type {
  Capability,
  Licence,
  NamedPermission,
  PlanFeature,
  RolePermissions,
  SupervisorLevel,
} from '../catalog/index.js';

/** Plain data the engine decides on. No I/O, no classes: services load it, the engine reads it. */

export type UserStatus = 'active' | 'suspended' | 'removed';
export type UserSource = 'platform' | 'manual';
export type QueueRole = 'agent' | 'supervisor';
export type WorkspaceRole = 'viewer' | 'editor' | 'owner';
export type RecordingScope = 'own' | 'group' | 'all';
export type Channels = 'calls' | 'sms' | 'both' | 'none';
export type SoftphoneClient = 'desktop' | 'mobile' | 'crm';

export interface ProfileAssignment {
  kind: 'none' | 'profile' | 'custom' | 'superuser';
  profileId?: string | null;
  /** For `custom`: the capabilities held on the user. */
  grants?: Capability[];
}

export interface UcClient {
  desktop: boolean;
  softphone: { enabled: boolean; clients: SoftphoneClient[]; deviceId: string | null };
}

export interface Features {
  channels: Channels;
  recording: boolean;
  crmOverlay: boolean;
  dialRestriction: { enabled: boolean; allowedRegions: string[] };
}

export interface Preferences {
  recording: boolean;
  crmOverlay: boolean;
}

export interface ContactCenter {
  admin: boolean;
  queues: Record<string, QueueRole[]>;
}

export interface DeviceInfo {
  id: string;
  kind: 'sip' | 'webrtc';
}

/** Everything about one user that access decisions read. */
export interface UserAccess {
  id: string;
  source: UserSource;
  status: UserStatus;
  email: string | null;
  licences: Licence[];
  supervisorLevel: SupervisorLevel;
  permissions: NamedPermission[];
  recordingScope: RecordingScope;
  ucClient: UcClient;
  groups: string[];
  primaryGroup: string | null;
  workspaces: Record<string, WorkspaceRole>;
  contactCenter: ContactCenter;
  profile: ProfileAssignment;
  features: Features;
  preferences: Preferences;
  /** The user's own devices (platform users only). */
  devices: DeviceInfo[];
}

export interface QueueInfo {
  id: string;
  name: string;
  kind: 'queue' | 'inbox' | 'campaign';
  wrapUpSeconds: number;
}
export interface ProfileInfo {
  id: string;
  name: string;
  grants: Capability[];
}

/** Everything tenant-wide that access decisions read. */
export interface TenantAccess {
  id: string;
  plan: string;
  /** The plan's features (SPEC 7), loaded with the tenant: plans live in the database, the engine receives them. */
  planFeatures: readonly PlanFeature[];
  homeRegion: string;
  policies: { agentAddOn: 'manual' | 'auto' };
  rolePermissions: RolePermissions;
  queues: ReadonlyMap<string, QueueInfo>;
  profiles: ReadonlyMap<string, ProfileInfo>;
}

/** Why a capability is blocked: a SPEC rule, a stable code and a sentence. */
export interface Block {
  rule: string;
  code: string;
  detail: string;
}

export interface Decision {
  allowed: boolean;
  grantedBy: string[];
  blockedBy: Block[];
}
