import type { Server } from '../../src/app.js';
import { insertSession } from './fixtures.js';
import { newId } from '../../src/infra/ids.js';
import { PROVIDER_TOKEN } from './server.js';

/** Small factories for API tests: HTTP calls through `inject`, fresh tenants, users, sessions. */
export interface Call {
  status: number;
  body: any;
  headers: Record<string, unknown>;
  cookies: Array<{ name: string; value: string; httpOnly?: boolean; sameSite?: string; secure?: boolean }>;
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

export function api(server: Server) {
  const call = async (method: string, url: string, opts: CallOptions = {}): Promise<Call> => {
    const res = await server.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
      ...(opts.cookies ? { cookies: opts.cookies } : {}),
      ...(opts.ip ? { remoteAddress: opts.ip } : {}),
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
    return {
      status: res.statusCode,
      body: res.body ? safeJson(res.body) : null,
      headers: res.headers,
      cookies: res.cookies as Call['cookies'],
    };
  };
  const asProvider = (method: string, url: string, body?: unknown, headers?: Record<string, string>) =>
    call(method, url, { token: PROVIDER_TOKEN, body, headers });
  return {
    call,
    asProvider,
    async tenant(body: Record<string, unknown> = {}): Promise<string> {
      const r = await asProvider('POST', '/v1/tenants', { name: `Tenant ${newId('x')}`, ...body });
      if (r.status !== 201) throw new Error(`tenant: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id;
    },
    async user(tenantId: string, body: Record<string, unknown> = {}): Promise<any> {
      const r = await asProvider('POST', `/v1/tenants/${tenantId}/users`, {
        displayName: `User ${newId('x')}`,
        ...body,
      });
      if (r.status !== 201) throw new Error(`user: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    /** A live session for a user, without going through the login flow. */
    async session(tenantId: string, userId: string, audience: 'portal' | 'app' = 'portal'): Promise<string> {
      return (await insertSession(server.deps.db, tenantId, userId, audience)).token;
    },
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export const uniqueEmail = (tag = 'user') => `${tag}.${newId('e').toLowerCase()}@example.test`;
