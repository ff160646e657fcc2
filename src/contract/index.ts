/**
 * The contract between the server and its clients: the one door through which the SDK (`client/`)
 * and the portal (`web/`) see server code. It holds data and shapes only: the catalog (capabilities,
 * licences, plans, …), the wire types of every resource (from the same TypeBox schemas that validate
 * requests and generate the OpenAPI document) and the pure dial rule the SDK evaluates offline.
 * Nothing here reaches a database, a service or a route (checked by dependency-cruiser).
 */
export * from '../catalog/index.js';
export {
  checkDial,
  isEmergencyNumber,
  isFeatureCode,
  type DialChannel,
  type DialDecision,
  type DialPolicy,
  type DialReason,
} from '../access/dial.js';
export type { EffectiveConfig, SipCredentials } from '../access/effective-config.js';

export type { AccessAnswer, CheckAnswer, CheckBody } from '../modules/access/access.schemas.js';
export type { ApiToken, ApiTokenCreate, CreatedApiToken } from '../modules/api-tokens/api-tokens.schemas.js';
export type { AuditEntry, AuditPage, AuditQuery, AuditVerification } from '../modules/audit/audit.schemas.js';
export type { LoginBody, LoginResult } from '../modules/auth/auth.schemas.js';
export type { CallDataSettings, IngestResult } from '../modules/call-data/call-data.schemas.js';
export type { LiveSnapshot } from '../modules/call-data/live.schemas.js';
export type { Playback, Recording } from '../modules/call-data/recordings.schemas.js';
export type {
  ReportSchedule,
  ReportScheduleInput,
  ReportSchedulePatch,
  ReportScheduleSent,
} from '../modules/call-data/schedules.schemas.js';
export type {
  AgentReport,
  CallFilters,
  CallReport,
  CallReportQuery,
  Dashboard,
  QueueReport,
  ReportDimension,
  StoredCall,
  Wallboard,
} from '../modules/call-data/reports.schemas.js';
export type { ImportJob, ImportResult, ImportRowError } from '../modules/csv/users-csv.schemas.js';
export type { DialCheckAnswer, DialCheckBody } from '../modules/dial-check/dial-check.schemas.js';
export type { Named, NamedInput } from '../modules/directory/named.schemas.js';
export type { PreferencesAnswer, PreferencesPatch } from '../modules/me/me.schemas.js';
export type { OidcIssuer, OidcIssuerCreate, OidcIssuerPatch, SignInOption } from '../modules/oidc/oidc.schemas.js';
export type { PlatformToken } from '../modules/platform-tokens/platform-tokens.schemas.js';
export type { Plan, PlanCreate, PlanPatch } from '../modules/plans/plans.schemas.js';
export type { Snapshot, SnapshotQueue, SnapshotResult, SnapshotUser } from '../modules/platform/platform.schemas.js';
export type { Profile, ProfileCreate, ProfilePatch } from '../modules/profiles/profiles.schemas.js';
export type { Queue, QueueCreate, QueuePatch } from '../modules/queues/queues.schemas.js';
export type { Session } from '../modules/sessions/sessions.schemas.js';
export type { Tenant, TenantCreate, TenantDeleted, TenantPatch } from '../modules/tenants/tenants.schemas.js';
export type { TenantUsage, Usage } from '../modules/usage/usage.schemas.js';
export type { ChangePreview } from '../modules/users/users-preview.schemas.js';
export type { User, UserCreate, UserListQuery, UserPage, UserPatch } from '../modules/users/users.schemas.js';
export type {
  CreatedWebhook,
  Delivery as WebhookDelivery,
  EventTypeInfo as WebhookEventType,
  Queued as WebhookQueued,
  RotatedSecret,
  Webhook,
  WebhookCreate,
  WebhookPatch,
} from '../modules/webhooks/webhooks.schemas.js';
