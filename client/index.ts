/**
 * The Switchboard client SDK: a small typed REST client grouped by resource.
 *
 *   const sb = createClient({ baseUrl: 'http://127.0.0.1:3000', token });
 *   const page = await sb.users.list(tenantId, { q: 'ana', limit: 50 });
 *
 * Every non-2xx answer throws an `ApiError` carrying the problem+json document. The stream client
 * (`ConfigStream`) and the local checks (`can`, `canDial`) are exported from here too.
 */
import {
  HttpCore,
  buildUrl,
  type AccessAnswer,
  type ApiToken,
  type AuditEntry,
  type AuditQuery,
  type CheckItem,
  type ClientAuth,
  type ClientOptions,
  type Decision,
  type EffectiveConfig,
  type Group,
  type LoginAnswer,
  type Me,
  type OidcIssuer,
  type Page,
  type Profile,
  type ProfileCreate,
  type Queue,
  type QueueCreate,
  type RolePermissions,
  type RolePermissionsDoc,
  type Session,
  type Tenant,
  type TenantCreate,
  type Usage,
  type User,
  type UserCreate,
  type UserPatch,
  type UserQuery,
  type Workspace,
} from './http.js';
import type { Snapshot as PlatformSnapshot, SnapshotResult as PlatformSnapshotResult } from '../src/contract/index.js';
import type { ChangePreview } from '../src/contract/index.js';
import type { ImportJob } from '../src/contract/index.js';
import type {
  OidcIssuer as OidcIssuerRecord,
  OidcIssuerCreate,
  OidcIssuerPatch,
  Plan,
  PlanCreate,
  PlanPatch,
  PlatformToken,
  TenantDeleted,
} from '../src/contract/index.js';

export * from './http.js';
export * from './stream.js';
export * from './can.js';
export type { ChangePreview };
export type { ImportJob, PlatformSnapshot, PlatformSnapshotResult };
export type { OidcIssuerCreate, OidcIssuerPatch, Plan, PlanCreate, PlanPatch, PlatformToken, TenantDeleted };

const enc = encodeURIComponent;
const tenantPath = (t: string) => `/v1/tenants/${enc(t)}`;

/** CRUD for a simple named tenant resource (groups, workspaces, queues, profiles). */
function namedResource<T extends { id: string }, C = Partial<T>>(http: HttpCore, segment: string) {
  const base = (t: string) => `${tenantPath(t)}/${segment}`;
  return {
    list: (t: string, query?: { cursor?: string | null; limit?: number; q?: string }) =>
      http.request<Page<T>>('GET', base(t), { query }),
    get: (t: string, id: string) => http.request<T>('GET', `${base(t)}/${enc(id)}`),
    create: (t: string, body: C) => http.request<T>('POST', base(t), { body }),
    update: (t: string, id: string, body: Partial<C>, ifMatch?: number) =>
      http.request<T>('PATCH', `${base(t)}/${enc(id)}`, { body, ifMatch }),
    remove: (t: string, id: string) => http.request<void>('DELETE', `${base(t)}/${enc(id)}`),
  };
}

/** Where a user's invitation stands (`GET …/users/{u}/invitation`). */
export interface InvitationState {
  status: 'none' | 'invited' | 'expired' | 'accepted';
  sentAt: string | null;
  expiresAt: string | null;
  acceptedAt: string | null;
}

/** S5: what lowering seats or a licence cap below use means (`PATCH /v1/tenants/{t}` answers them). */
export interface CapWarning {
  code: 'seats_below_use' | 'licence_pool_below_use';
  rule: 'S5';
  field: string;
  limit: number;
  inUse: number;
  detail: string;
}

/** Builds a client. `token` is a bearer token; pass `auth: {kind: 'cookie'}` in a browser session. */
export function createClient(options: ClientOptions) {
  const http = new HttpCore(options);
  return {
    http,
    setAuth: (auth: ClientAuth) => http.setAuth(auth),

    auth: {
      /** `tenantId`: the organisation chosen after a 409 `organisation_choice_required` (G2). */
      login: (body: { email: string; password: string; audience: 'portal' | 'app'; tenantId?: string }) =>
        http.request<LoginAnswer>('POST', '/v1/auth/login', { body }),
      logout: () => http.request<void>('POST', '/v1/auth/logout', { body: {} }),
      heartbeat: () => http.request<void>('POST', '/v1/auth/heartbeat', { body: {} }),
      /** Always answers 202 `{status: 'accepted'}`, whether or not the address belongs to an account. */
      requestPasswordReset: (email: string) =>
        http.request<{ status: 'accepted' }>('POST', '/v1/auth/password-reset', { body: { email } }),
      confirmPasswordReset: (token: string, password: string) =>
        http.request<void>('POST', '/v1/auth/password-reset/confirm', { body: { token, password } }),
      /** Signs in to the portal once with an operator's sign-in link token (`switchboard demo`; cookie session). */
      signInWithLink: (token: string) =>
        http.request<LoginAnswer>('POST', '/v1/auth/sign-in-link', { body: { token } }),
      /** Chooses the first password with an invitation link's token (`POST /v1/auth/invitations/accept`). */
      acceptInvitation: (token: string, password: string) =>
        http.request<void>('POST', '/v1/auth/invitations/accept', { body: { token, password } }),
      /** Emails the user a link to choose a password (`users:edit` or `users:create`); valid 7 days. */
      invite: (t: string, u: string) =>
        http.request<{ sentTo: string; expiresAt: string }>('POST', `${tenantPath(t)}/users/${enc(u)}/invitation`, {
          body: {},
        }),
      /** Where the user's invitation stands (`users:view`): none, invited (until `expiresAt`), expired or accepted. */
      invitation: (t: string, u: string) =>
        http.request<InvitationState>('GET', `${tenantPath(t)}/users/${enc(u)}/invitation`),
      /**
       * The OIDC sign-in buttons of one tenant (`GET /v1/auth/oidc/issuers?tenant={t}`, public and
       * rate-limited): `{items: [{id, name, startPath}]}`, empty when the tenant has none or does not exist.
       */
      oidcIssuers: (tenant: string) =>
        http.request<{ items: OidcIssuer[] }>('GET', '/v1/auth/oidc/issuers', { query: { tenant } }),
      /**
       * URL that starts an OIDC sign-in (a browser navigation, not a fetch): the issuer's `startPath`
       * (`GET /v1/auth/oidc/{issuerId}/start`), with `returnTo` when it is a same-site path. The server
       * answers with a redirect to the identity provider, and after the callback to `returnTo`.
       */
      oidcStartUrl: (issuer: string | Pick<OidcIssuer, 'id' | 'startPath'>, returnTo?: string) =>
        buildUrl(
          options.baseUrl,
          typeof issuer === 'string' ? `/v1/auth/oidc/${enc(issuer)}/start` : issuer.startPath,
          { returnTo: returnTo && /^\/(?!\/)/.test(returnTo) && returnTo.length <= 500 ? returnTo : undefined },
        ),
    },

    me: {
      get: () => http.request<Me>('GET', '/v1/me'),
      config: () => http.request<EffectiveConfig>('GET', '/v1/me/config'),
      setPreferences: (body: { recording?: boolean; crmOverlay?: boolean }) =>
        http.request<unknown>('PATCH', '/v1/me/preferences', { body }),
      /**
       * A single-use, 30-second ticket (D1): without `resource` for the user's streams; with a path, for that
       * one link or WebSocket only (`?ticket=`), which is how the provider opens them too.
       */
      streamTicket: (resource?: string) =>
        http.request<{ ticket: string; expiresAt?: string }>('POST', '/v1/stream/tickets', {
          body: resource ? { resource } : {},
        }),
    },

    tenants: {
      list: (query?: { cursor?: string | null; limit?: number }) =>
        http.request<Page<Tenant>>('GET', '/v1/tenants', { query }),
      get: (t: string) => http.request<Tenant>('GET', tenantPath(t)),
      create: (body: TenantCreate) => http.request<Tenant>('POST', '/v1/tenants', { body }),
      /** Answers the tenant with `warnings` (S5: a limit lowered below use); `dryRun` writes nothing. */
      update: (t: string, body: Partial<TenantCreate>, ifMatch?: number, opts: { dryRun?: boolean } = {}) =>
        http.request<Tenant & { warnings: CapWarning[] }>('PATCH', tenantPath(t), {
          body,
          ifMatch,
          query: opts.dryRun ? { dryRun: true } : undefined,
        }),
      createPlatformToken: (t: string, name?: string) =>
        http.request<{ id: string; token: string }>('POST', `${tenantPath(t)}/platform-tokens`, {
          body: name ? { name } : {},
        }),
      /** The tenant's platform tokens (never their secrets), and revoking one (I6). */
      platformTokens: (t: string) =>
        http.request<{ items: PlatformToken[] }>('GET', `${tenantPath(t)}/platform-tokens`),
      revokePlatformToken: (t: string, id: string) =>
        http.request<void>('DELETE', `${tenantPath(t)}/platform-tokens/${enc(id)}`),
      plans: () => http.request<{ items: Plan[] }>('GET', '/v1/plans'),
      /** Suspension (sessions end, sign-ins and tokens refused, data kept) and its end; provider only. */
      suspend: (t: string) => http.request<Tenant>('POST', `${tenantPath(t)}/suspend`, { body: {} }),
      resume: (t: string) => http.request<Tenant>('POST', `${tenantPath(t)}/resume`, { body: {} }),
      /** Deletes a suspended tenant and all its data (409 tenant_not_suspended otherwise). */
      remove: (t: string) => http.request<TenantDeleted>('DELETE', tenantPath(t)),
      /** OIDC issuers of the tenant (settings:edit, or the provider). */
      oidcIssuers: (t: string) => http.request<{ items: OidcIssuerRecord[] }>('GET', `${tenantPath(t)}/oidc-issuers`),
      createOidcIssuer: (t: string, body: OidcIssuerCreate) =>
        http.request<OidcIssuerRecord>('POST', `${tenantPath(t)}/oidc-issuers`, { body }),
      updateOidcIssuer: (t: string, id: string, body: OidcIssuerPatch) =>
        http.request<OidcIssuerRecord>('PATCH', `${tenantPath(t)}/oidc-issuers/${enc(id)}`, { body }),
      removeOidcIssuer: (t: string, id: string) =>
        http.request<void>('DELETE', `${tenantPath(t)}/oidc-issuers/${enc(id)}`),
    },

    /** Plans (SPEC 7): every plan for the provider, the tenant's own for its users; writes are the provider's. */
    plans: {
      list: () => http.request<{ items: Plan[] }>('GET', '/v1/plans'),
      get: (key: string) => http.request<Plan>('GET', `/v1/plans/${enc(key)}`),
      create: (body: PlanCreate) => http.request<Plan>('POST', '/v1/plans', { body }),
      update: (key: string, body: PlanPatch, ifMatch?: number) =>
        http.request<Plan>('PATCH', `/v1/plans/${enc(key)}`, { body, ifMatch }),
    },

    users: {
      list: (t: string, query: UserQuery = {}) =>
        http.request<Page<User>>('GET', `${tenantPath(t)}/users`, { query: { ...query } }),
      get: (t: string, u: string) => http.request<User>('GET', `${tenantPath(t)}/users/${enc(u)}`),
      create: (t: string, body: UserCreate) => http.request<User>('POST', `${tenantPath(t)}/users`, { body }),
      update: (t: string, u: string, body: UserPatch, ifMatch?: number) =>
        http.request<User>('PATCH', `${tenantPath(t)}/users/${enc(u)}`, { body, ifMatch }),
      /** What a save of `body` would do, without saving: the user after it, A1/A2/A4, the billable impact, every violation. */
      preview: (t: string, u: string | null, body: UserPatch) =>
        http.request<ChangePreview>('POST', `${tenantPath(t)}/users/${u === null ? '' : `${enc(u)}/`}preview`, {
          body,
        }),
      remove: (t: string, u: string) => http.request<void>('DELETE', `${tenantPath(t)}/users/${enc(u)}`),
      access: (t: string, u: string) => http.request<AccessAnswer>('GET', `${tenantPath(t)}/users/${enc(u)}/access`),
      config: (t: string, u: string) => http.request<EffectiveConfig>('GET', `${tenantPath(t)}/users/${enc(u)}/config`),
      endSessions: (t: string, u: string) => http.request<void>('DELETE', `${tenantPath(t)}/users/${enc(u)}/sessions`),
      /** The users the list's filters select, as CSV text (P3; columns in docs/csv.md). */
      exportCsv: (
        t: string,
        query: Omit<UserQuery, 'cursor' | 'limit'> & { delimiter?: ',' | ';'; bom?: boolean } = {},
      ) => http.request<string>('GET', `${tenantPath(t)}/users/export`, { query: { ...query } }),
      /** Starts a CSV import (P3): a job to follow with `importJob` until it is no longer `running`. */
      importCsv: (t: string, csv: string, query: { dryRun?: boolean; mode?: 'all' | 'valid' } = {}) =>
        http.request<ImportJob>('POST', `${tenantPath(t)}/users/import`, {
          query,
          text: { type: 'text/csv', body: csv },
        }),
      importJob: (t: string, id: string) => http.request<ImportJob>('GET', `${tenantPath(t)}/users/import/${enc(id)}`),
    },

    access: {
      check: (t: string, checks: CheckItem[]) =>
        http.request<{ results: Decision[] }>('POST', `${tenantPath(t)}/check`, { body: { checks } }),
      dialCheck: (t: string, body: { userId: string; number: string; channel: 'call' | 'sms' }) =>
        http.request<{ allowed: boolean; region: string | null; code?: string; rule?: string }>(
          'POST',
          `${tenantPath(t)}/dial-check`,
          { body },
        ),
    },

    groups: namedResource<Group, { name: string }>(http, 'groups'),
    workspaces: namedResource<Workspace, { name: string }>(http, 'workspaces'),
    queues: namedResource<Queue, QueueCreate>(http, 'queues'),
    profiles: namedResource<Profile, ProfileCreate>(http, 'profiles'),

    rolePermissions: {
      get: (t: string) => http.request<RolePermissionsDoc>('GET', `${tenantPath(t)}/role-permissions`),
      /** The body carries no `version` (the server refuses unknown fields); pass it as `ifMatch`. */
      put: (t: string, body: RolePermissions, ifMatch?: number) =>
        http.request<RolePermissionsDoc>('PUT', `${tenantPath(t)}/role-permissions`, { body, ifMatch }),
    },

    sessions: {
      list: (t: string, query?: { userId?: string; cursor?: string | null }) =>
        http.request<Page<Session>>('GET', `${tenantPath(t)}/sessions`, { query }),
      end: (t: string, id: string) => http.request<void>('DELETE', `${tenantPath(t)}/sessions/${enc(id)}`),
    },

    platform: {
      /** Platform sync (P1): a full snapshot of the platform's users and queues (platform token or provider). */
      snapshot: (t: string, body: PlatformSnapshot, opts: { dryRun?: boolean } = {}) =>
        http.request<PlatformSnapshotResult>('PUT', `${tenantPath(t)}/platform/snapshot`, {
          body,
          query: { dryRun: opts.dryRun },
        }),
    },

    usage: {
      get: (t: string) => http.request<Usage>('GET', `${tenantPath(t)}/usage`),
    },

    audit: {
      list: (t: string, query: AuditQuery = {}) =>
        http.request<Page<AuditEntry>>('GET', `${tenantPath(t)}/audit`, { query: { ...query } }),
    },

    apiTokens: {
      list: (t: string) => http.request<Page<ApiToken>>('GET', `${tenantPath(t)}/api-tokens`),
      create: (t: string, body: { name: string; scopes: string[] }) =>
        http.request<ApiToken & { token: string }>('POST', `${tenantPath(t)}/api-tokens`, { body }),
      revoke: (t: string, id: string) => http.request<void>('DELETE', `${tenantPath(t)}/api-tokens/${enc(id)}`),
    },
  };
}

export type SwitchboardClient = ReturnType<typeof createClient>;
