import type { OutgoingHttpHeaders } from 'node:http';
import type { LightMyRequestResponse } from 'fastify';
import type { Server } from '../../src/app.js';
import type { ErrorCode, Tenant, TenantCreate, User, UserCreate } from '../../src/contract/index.js';
import { insertSession } from './fixtures.js';
import { newId } from '../../src/infra/ids.js';
import { afterAll, beforeAll } from 'vitest';
import { PROVIDER_TOKEN, startTestServer, type DbKind, type TestServer } from './server.js';

/**
 * The API test client: HTTP calls through `inject`, typed by the server's contract, and small
 * factories for fresh tenants, users and sessions.
 *
 * A call says which body it expects: `a.call<User>('GET', …)` for a success answer (the contract's
 * wire types, `src/contract`), and by default the problem document every refusal carries. The type
 * is the test's expectation, not a check: the test still asserts the status.
 */

/** RFC 9457 problem+json as the server renders every error (SPEC E1, E2). */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  rule?: string;
  /** JSON pointer to the offending field of the request, e.g. `/licences/0`. */
  field?: string;
  /** Members some refusals add, e.g. `limit` and `inUse` (S2), `holders` (profile_in_use), `missing` (C3). */
  [extra: string]: unknown;
}

/** A cursor-paged list answer (`GET /v1/tenants/{t}/queues`, `…/api-tokens`, …). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Call<T = ProblemBody> {
  status: number;
  /** The parsed JSON answer (the raw text when it is not JSON, `null` when empty). */
  body: T;
  headers: OutgoingHttpHeaders;
  cookies: LightMyRequestResponse['cookies'];
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Cookies to send (the portal's session cookie). */
  cookies?: Record<string, string>;
  /** The client address the server sees (throttling per address). */
  ip?: string;
}

/** Function-valued members (not methods), so that a test may pass them around unbound. */
export interface ApiClient {
  call: <T = ProblemBody>(method: HttpMethod, url: string, opts?: CallOptions) => Promise<Call<T>>;
  /** A call with the provider token. */
  asProvider: <T = ProblemBody>(
    method: HttpMethod,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<Call<T>>;
  /** A fresh tenant, created by the provider; `body` overrides the defaults (a unique name). */
  tenant: (body?: Partial<TenantCreate>) => Promise<Tenant>;
  /** A manual user created by the provider through the users API; `body` overrides a unique display name. */
  user: (tenantId: string, body?: Partial<UserCreate>) => Promise<User>;
  /** A live session for a user, without going through the login flow; returns its bearer token. */
  session: (tenantId: string, userId: string, audience?: 'portal' | 'app') => Promise<string>;
}

/** The client of a server, or of the server a suite starts (`apiSuite`: read when a call is made). */
export function api(server: Server | (() => Server)): ApiClient {
  const current = typeof server === 'function' ? server : () => server;
  const call = async <T = ProblemBody>(method: HttpMethod, url: string, opts: CallOptions = {}): Promise<Call<T>> => {
    const res = await current().app.inject({
      method,
      url,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
      ...(opts.cookies ? { cookies: opts.cookies } : {}),
      ...(opts.ip ? { remoteAddress: opts.ip } : {}),
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
    return {
      status: res.statusCode,
      // The body is what the test says it expects (T); the test asserts the status that goes with it.
      body: (res.body ? parseBody(res.body) : null) as T,
      headers: res.headers,
      cookies: res.cookies,
    };
  };
  const asProvider = <T = ProblemBody>(
    method: HttpMethod,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Call<T>> => call<T>(method, url, { token: PROVIDER_TOKEN, body, ...(headers ? { headers } : {}) });
  return {
    call,
    asProvider,
    tenant: async (body = {}) => {
      const r = await asProvider<Tenant>('POST', '/v1/tenants', { name: `Tenant ${newId('x')}`, ...body });
      if (r.status !== 201) throw new Error(`tenant: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    user: async (tenantId, body = {}) => {
      const r = await asProvider<User>('POST', `/v1/tenants/${tenantId}/users`, {
        displayName: `User ${newId('x')}`,
        ...body,
      });
      if (r.status !== 201) throw new Error(`user: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    session: async (tenantId, userId, audience = 'portal') =>
      (await insertSession(current().deps.db, tenantId, userId, audience)).token,
  };
}

/**
 * The setup most API suites share: a server on a fresh database of `kind`, started before the
 * suite's tests and stopped after them, and the API client on it. `server()` is for what the client
 * does not do (the database, raw `inject`), inside tests.
 */
export function serverSuite(
  kind: DbKind,
  env: Record<string, string> = {},
): { a: ApiClient; server: () => TestServer } {
  let started: TestServer | undefined;
  beforeAll(async () => {
    started = await startTestServer(kind, env);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const server = () => {
    if (!started) throw new Error('the suite server has not started (use it inside tests)');
    return started;
  };
  return { a: api(server), server };
}

/** `serverSuite` for suites that need only the API client. */
export function apiSuite(kind: DbKind, env: Record<string, string> = {}): ApiClient {
  return serverSuite(kind, env).a;
}

function parseBody(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

export const uniqueEmail = (tag = 'user') => `${tag}.${newId('e').toLowerCase()}@example.test`;
