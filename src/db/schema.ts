import type { ColumnType, Generated, Selectable } from 'kysely';
import type {
  ContactCenter,
  Features,
  Preferences,
  ProfileAssignment,
  RecordingScope,
  UcClient,
  WorkspaceRole,
} from '../access/types.js';
import type {
  BillableKey,
  Capability,
  Licence,
  NamedPermission,
  PlanFeature,
  RolePermissions,
  SupervisorLevel,
} from '../catalog/index.js';

/** Column types of the Switchboard schema, as Kysely sees them. Versions are numbers (they stay below 2^53). */
type Json<T> = ColumnType<T, T | string, T | string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type BigNum = ColumnType<number, number | bigint | string, number | bigint | string>;
type Serial = ColumnType<number, number | undefined, number>;

export interface TenantsTable {
  id: string;
  name: string;
  plan: string;
  home_region: string;
  licence_pools: Json<Partial<Record<BillableKey, number | null>>>;
  seats: number | null;
  seats_peak: Generated<number>;
  policies: Json<{ agentAddOn: 'manual' | 'auto' }>;
  /** Tenant settings kept here: the session policy (S3); absent members take the defaults. */
  settings: Json<{ sessionPolicy?: { appLapseSeconds?: number; portalIdleMinutes?: number } }>;
  role_permissions: Json<RolePermissions>;
  /** `suspended`: sessions ended, sign-ins and tokens refused, data kept. */
  status: ColumnType<'active' | 'suspended', 'active' | 'suspended' | undefined, 'active' | 'suspended'>;
  suspended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: BigNum;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Plans (SPEC 7): the built-in catalog plans and the provider's own. */
export interface PlansTable {
  key: string;
  name: string;
  features: PlanFeature[];
  builtin: Generated<boolean>;
  version: BigNum;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  source: 'platform' | 'manual';
  external_id: string | null;
  status: 'active' | 'suspended' | 'removed';
  display_name: string;
  email: string | null;
  password_hash: string | null;
  extension: string | null;
  licences: Licence[];
  supervisor_level: SupervisorLevel;
  permissions: NamedPermission[];
  recording_scope: RecordingScope;
  uc_client: Json<UcClient>;
  group_ids: string[];
  primary_group_id: string | null;
  workspaces: Json<Record<string, WorkspaceRole>>;
  contact_center: Json<ContactCenter>;
  profile: Json<ProfileAssignment>;
  features: Json<Features>;
  preferences: Json<Preferences>;
  acd_queue_ids: string[];
  /** P4: the phone system's display name and email of a platform user (null for manual users). */
  platform_display_name: string | null;
  platform_email: string | null;
  /** P4: the portal overrode the display name / email; sync then updates only the phone system's value. */
  display_name_overridden: Generated<boolean>;
  email_overridden: Generated<boolean>;
  version: BigNum;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DevicesTable {
  id: string;
  tenant_id: string;
  user_id: string;
  external_id: string;
  name: string;
  kind: 'sip' | 'webrtc';
  sip_secret: string;
}

export interface NamedTable {
  id: string;
  tenant_id: string;
  name: string;
  version: BigNum;
  created_at: Timestamp;
}

export interface QueuesTable extends NamedTable {
  external_id: string | null;
  kind: 'queue' | 'inbox' | 'campaign';
  wrap_up_seconds: number;
}

export interface ProfilesTable extends NamedTable {
  grants: Capability[];
}

export interface SessionsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  token_hash: string;
  audience: 'portal' | 'app';
  client_addr: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  ended_at: Timestamp | null;
  ended_reason: string | null;
  /** The lapse this session was opened under (S3, the tenant's policy); null: the audience's default. */
  lapse_seconds: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface PlatformTokensTable {
  id: string;
  tenant_id: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_addr: string | null;
  name: string | null;
}

/** Single-use links: invitations, password resets and the operator's sign-in links (I3). */
export interface OneTimeTokensTable {
  id: string;
  tenant_id: string;
  user_id: string;
  purpose: 'invite' | 'reset' | 'sign_in';
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: string;
  tenant_id: string;
  user_id: string;
  name: string;
  scopes: string[];
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  last_used_addr: string | null;
  revoked_at: Timestamp | null;
}

export interface OidcIssuersTable {
  id: string;
  tenant_id: string;
  name: string;
  issuer: string;
  client_id: string;
  client_secret: string | null;
  created_at: Timestamp;
}

export interface OidcFlowsTable {
  state: string;
  issuer_id: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  return_to: string | null;
  expires_at: Timestamp;
}

export interface DevMailboxTable {
  id: Serial;
  to_addr: string;
  subject: string;
  body: string;
  /** JSON array of { filename, contentType, content } (a report's CSV), or null. */
  attachments: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface LoginFailuresTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
}

export interface AuditHeadsTable {
  chain: string;
  seq: BigNum;
  hash: string;
}

export interface AuditLogTable {
  id: Serial;
  chain: string;
  seq: BigNum;
  tenant_id: string | null;
  at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  credential: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  request_id: string | null;
  client_request_id: ColumnType<string | null, string | null | undefined, string | null>;
  client_addr: string | null;
  prev_hash: string;
  hash: string;
}

export interface OutboxTable {
  id: Serial;
  tenant_id: string;
  type: string;
  payload: Json<unknown>;
  created_at: Timestamp;
  dispatched_at: Timestamp | null;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_until: Timestamp | null;
  /** `delivered`, `failed` (gave up), `skipped` (nothing to do): set with dispatched_at. */
  outcome: string | null;
  last_error: string | null;
  endpoint_id: string | null;
  message_id: string | null;
}

export interface WebhookEndpointsTable {
  id: string;
  tenant_id: string;
  url: string;
  description: string;
  event_types: Json<string[]>;
  enabled: boolean;
  disabled_reason: string | null;
  /** Sealed with the server's secret box. */
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Timestamp | null;
  failing_since: Timestamp | null;
  version: BigNum;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookMessagesTable {
  id: string;
  tenant_id: string;
  type: string;
  /** The JSON body exactly as signed and sent. */
  body: string;
  created_at: Timestamp;
}

export interface WebhookAttemptsTable {
  id: Serial;
  tenant_id: string;
  endpoint_id: string;
  outbox_id: BigNum;
  message_id: string;
  status_code: number | null;
  latency_ms: number;
  response: string | null;
  error: string | null;
  created_at: Timestamp;
}

export interface SystemSettingsTable {
  key: string;
  value: string;
}

/** SCIM 2.0 (P2): the identity provider's attributes of a user it provisions (`resource`: name, emails, enterprise …). */
export interface ScimUsersTable {
  user_id: string;
  tenant_id: string;
  user_name: string;
  external_id: string | null;
  resource: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** SCIM 2.0 (P2): a Switchboard group the identity provider manages, with the access template its members get. */
export interface ScimGroupsTable {
  group_id: string;
  tenant_id: string;
  external_id: string | null;
  access_template: Json<AccessTemplate> | null;
  /** Members the template could not be applied to in full, and why (latest change). */
  template_report: ColumnType<TemplateIssue[], string | undefined, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** What a SCIM group's members get (each change through the users service, with every rule). */
export interface AccessTemplate {
  permissions?: NamedPermission[];
  supervisorLevel?: SupervisorLevel;
  profile?: ProfileAssignment;
  licences?: Licence[];
}

/** What a SCIM group's template gave one member (taken away when the member leaves the group). */
export interface TemplateGrants {
  permissions: NamedPermission[];
  licences: Licence[];
  supervisorLevel?: { to: SupervisorLevel; from: SupervisorLevel };
  profile?: { to: ProfileAssignment; from: ProfileAssignment };
}

export interface ScimTemplateGrantsTable {
  tenant_id: string;
  group_id: string;
  user_id: string;
  grants: Json<TemplateGrants>;
  created_at: Generated<Date>;
}

export interface TemplateIssue {
  userId: string;
  code: string;
  rule?: string;
  detail: string;
  /** What of the template the member got (`membership` only, or the template without its licences). */
  applied: 'membership' | 'without_licences';
}

/** Call data (issue 14): who held Essential and the Agent add-on from when (written by a trigger on users). */
export interface UserDataLicencesTable {
  tenant_id: string;
  user_id: string;
  valid_from: Timestamp;
  essential: boolean;
  agent: boolean;
  primary_group_id: string | null;
}

/** Call data retention per tenant (days), within the provider's bound. */
export interface CallDataSettingsTable {
  tenant_id: string;
  retention_days: number;
  retention_max_days: number;
}

/** A CSV import of users (P3): its progress, then its counts and per-row errors. */
export interface UserImportJobsTable {
  id: string;
  tenant_id: string;
  actor_type: string;
  actor_id: string | null;
  dry_run: boolean;
  /** `all` (all or nothing) or `valid` (only the valid rows). */
  mode: string;
  /** `running`, `done` (rows written, or a dry run finished), `rejected` (all or nothing, with errors), `failed`. */
  status: string;
  total_rows: number;
  processed_rows: Generated<number>;
  result: Json<Record<string, unknown>> | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
  /** The node running the import, and until when it holds the job (renewed while it runs). */
  node_id: string | null;
  lease_until: Date | null;
}

export interface Database {
  system_settings: SystemSettingsTable;
  tenants: TenantsTable;
  plans: PlansTable;
  users: UsersTable;
  scim_users: ScimUsersTable;
  scim_groups: ScimGroupsTable;
  scim_template_grants: ScimTemplateGrantsTable;
  devices: DevicesTable;
  groups: NamedTable;
  workspaces: NamedTable;
  queues: QueuesTable;
  profiles: ProfilesTable;
  sessions: SessionsTable;
  platform_tokens: PlatformTokensTable;
  audit_heads: AuditHeadsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_messages: WebhookMessagesTable;
  webhook_attempts: WebhookAttemptsTable;
  one_time_tokens: OneTimeTokensTable;
  api_tokens: ApiTokensTable;
  oidc_issuers: OidcIssuersTable;
  oidc_flows: OidcFlowsTable;
  dev_mailbox: DevMailboxTable;
  login_failures: LoginFailuresTable;
  user_data_licences: UserDataLicencesTable;
  call_data_settings: CallDataSettingsTable;
  user_import_jobs: UserImportJobsTable;
}

export type TenantRow = Selectable<TenantsTable>;
export type UserRow = Selectable<UsersTable>;
export type QueueRow = Selectable<QueuesTable>;
export type ProfileRow = Selectable<ProfilesTable>;
export type DeviceRow = Selectable<DevicesTable>;
