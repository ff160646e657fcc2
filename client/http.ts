/**
 * The transport of the Switchboard client SDK: one `request` function, pluggable auth
 * (bearer token or HttpOnly cookie + CSRF header) and the typed `ApiError`.
 *
 * Runs in Node 20 and in browsers: it only uses the global `fetch`, `Headers` and `URL`.
 *
 * Resource types: while a server schema module does not exist yet, a minimal local type is
 * declared below with a `TODO(schema)` marker; each is replaced by an `import type` from
 * `src/modules/<feature>/<feature>.schemas.ts` once that file lands (type-only: no server code
 * enters the browser bundle).
 */

/** RFC 9457 problem document as Switchboard renders it (SPEC E1). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  rule?: string;
  field?: string;
  [extra: string]: unknown;
}

/** Every non-2xx answer becomes an `ApiError` carrying the problem document. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
  get code(): string | undefined {
    return this.problem.code;
  }
  get rule(): string | undefined {
    return this.problem.rule;
  }
  get field(): string | undefined {
    return this.problem.field;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'ApiError');
}

/**
 * How requests authenticate. `bearer` sends `Authorization: Bearer <token>`; `cookie` relies
 * on the browser's HttpOnly session cookie and echoes the non-HttpOnly `sb_csrf` cookie in
 * `x-csrf-token` on unsafe methods (SPEC I7); `none` sends nothing.
 */
export type ClientAuth = { kind: 'bearer'; token: string } | { kind: 'cookie'; csrfCookie?: string } | { kind: 'none' };

export interface ClientOptions {
  /** Origin (and optional prefix) of the server, e.g. `http://127.0.0.1:3000`; `''` means same origin. */
  baseUrl: string;
  /** Shorthand for `auth: {kind: 'bearer', token}`. */
  token?: string;
  auth?: ClientAuth;
  fetch?: typeof fetch;
  /** Called with every ApiError before it is thrown (e.g. to sign out on 401). */
  onError?: (error: ApiError) => void;
}

export type Query = Record<string, string | number | boolean | undefined | null | readonly string[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Sends `If-Match` (SPEC E3). */
  ifMatch?: number | string;
  /** A body that is not JSON (a CSV file): sent as it is with its content type. */
  text?: { type: string; body: string };
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Reads one cookie from `document.cookie` when running in a browser. */
export function readCookie(name: string): string | undefined {
  const doc = (globalThis as { document?: { cookie?: string } }).document;
  const raw = doc?.cookie;
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v as unknown[]) search.append(k, String(item));
    else search.set(k, String(v));
  }
  const qs = search.toString();
  return `${baseUrl.replace(/\/$/, '')}${path}${qs ? `?${qs}` : ''}`;
}

/** The low-level HTTP core every resource method goes through. */
export class HttpCore {
  private auth: ClientAuth;
  private readonly fetchImpl: typeof fetch;
  constructor(private readonly options: ClientOptions) {
    this.auth = options.auth ?? (options.token ? { kind: 'bearer', token: options.token } : { kind: 'none' });
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }
  get currentAuth(): ClientAuth {
    return this.auth;
  }
  /** Switches credentials (after sign-in or sign-out) without rebuilding the client. */
  setAuth(auth: ClientAuth): void {
    this.auth = auth;
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.ifMatch !== undefined) headers['if-match'] = `"${opts.ifMatch}"`;
    const init: RequestInit = { method, headers };
    if (this.auth.kind === 'bearer') headers.authorization = `Bearer ${this.auth.token}`;
    if (this.auth.kind === 'cookie') {
      init.credentials = 'include';
      const csrf = readCookie(this.auth.csrfCookie ?? 'sb_csrf');
      if (csrf && UNSAFE.has(method)) headers['x-csrf-token'] = csrf;
    }
    if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
    if (opts.text) {
      headers['content-type'] = opts.text.type;
      init.body = opts.text.body;
    }
    if (opts.signal) init.signal = opts.signal;

    let res: Response;
    try {
      res = await this.fetchImpl(buildUrl(this.options.baseUrl, path, opts.query), init);
    } catch (e) {
      throw this.fail({ status: 0, code: 'network_error', title: 'Network error', detail: (e as Error).message });
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let data: unknown = undefined;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (!res.ok) {
      const problem: Problem =
        typeof data === 'object' && data !== null
          ? { ...(data as Problem), status: (data as Problem).status ?? res.status }
          : { status: res.status, title: res.statusText, detail: typeof data === 'string' ? data : undefined };
      if (!problem.code && res.status === 404) problem.code = 'not_found';
      throw this.fail(problem);
    }
    return data as T;
  }

  private fail(problem: Problem): ApiError {
    const error = new ApiError(problem);
    this.options.onError?.(error);
    return error;
  }
}

// ---------------------------------------------------------------------------------------------
// Resource types: `import type` from the server's modules. TODO(schema) marks the few still declared
// here because the server exports no type for them yet (the user's own record).
// ---------------------------------------------------------------------------------------------

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// Types shared with the server, through its contract (type-only: no server code enters the browser bundle).
import type {
  AccessAnswer as ServerAccessAnswer,
  ApiToken as ServerApiToken,
  AuditEntry as ServerAuditEntry,
  AuditQuery as ServerAuditQuery,
  EffectiveConfig as ServerEffectiveConfig,
  LoginResult,
  Named,
  OidcIssuer as ServerOidcIssuer,
  Profile as ServerProfile,
  ProfileCreate as ServerProfileCreate,
  Queue as ServerQueue,
  QueueCreate as ServerQueueCreate,
  RolePermissions as ServerRolePermissions,
  Session as ServerSession,
  SignInOption,
  Tenant as ServerTenant,
  TenantCreate as ServerTenantCreate,
  Usage as ServerUsage,
  User as ServerUser,
  UserCreate as ServerUserCreate,
  UserListQuery,
  UserPage as ServerUserPage,
  UserPatch as ServerUserPatch,
} from '../src/contract/index.js';

export type User = ServerUser;
export type Device = ServerUser['devices'][number];
export type UserPatch = ServerUserPatch;
export type UserCreate = ServerUserCreate;
export type UserPage = ServerUserPage;
export type UserQuery = Partial<UserListQuery> & { cursor?: string | null };
export type Tenant = ServerTenant;
export type TenantCreate = ServerTenantCreate;
export type AccessAnswer = ServerAccessAnswer;
export type Decision = ServerAccessAnswer['capabilities'][string];
export type Block = Decision['blockedBy'][number];
export interface CheckItem {
  userId: string;
  capability: string;
  resource?: string;
}
export type EffectiveConfig = ServerEffectiveConfig;
export type Session = ServerSession & { displayName?: string; email?: string | null };
export type LoginAnswer = LoginResult;

export type Group = Named;
export type Workspace = Named;
export type Queue = ServerQueue;
export type QueueCreate = ServerQueueCreate;
/** A profile with `holders`, the number of users holding it. */
export type Profile = ServerProfile;
export type ProfileCreate = ServerProfileCreate;

/** Contact-center role permissions (SPEC 5): the PUT body; the GET and PUT answers add `version`. */
export type RolePermissions = ServerRolePermissions;
export type RolePermissionsDoc = ServerRolePermissions & { version: number };

/** Usage (B1): licences against caps; seats in use, limit, peak and `history` (last 24 hours). */
export type Usage = ServerUsage;
export type SeatSample = Usage['seats']['history'][number];

/** An audit entry (AU1): `before` and `after` are any JSON (an object, a list, a string, or absent). */
export type AuditEntry = ServerAuditEntry;
export type AuditQuery = Partial<ServerAuditQuery> & { cursor?: string | null };

export type ApiToken = ServerApiToken;

/** TODO(schema): the user's own record (GET /v1/me). */
export interface Me extends Partial<User> {
  id: string;
  tenantId: string;
  displayName: string;
  email: string | null;
}
/**
 * An OIDC sign-in button of one tenant, from the public `GET /v1/auth/oidc/issuers?tenant={t}`: the
 * issuer's id, its display name and `startPath` (`/v1/auth/oidc/{id}/start`), never issuer URLs or
 * client ids. The admin record (`GET /v1/tenants/{t}/oidc-issuers`, settings:edit) is `OidcIssuerRecord`.
 */
export type OidcIssuer = SignInOption;
export type OidcIssuerRecord = ServerOidcIssuer;
