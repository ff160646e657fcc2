import type { Server } from '../../src/app.js';
import { generateToken, hashToken } from '../../src/infra/crypto.js';
import { newId } from '../../src/infra/ids.js';
import { PROVIDER_TOKEN } from './server.js';

/** Small factories for API tests: HTTP calls through `inject`, fresh tenants, users, sessions. */
export interface Call { status: number; body: any; headers: Record<string, unknown> }

export function api(server: Server) {
  const call = async (method: string, url: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Call> => {
    const res = await server.app.inject({
      method: method as 'GET', url,
      headers: { ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
    return { status: res.statusCode, body: res.body ? safeJson(res.body) : null, headers: res.headers };
  };
  const asProvider = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => call(method, url, { token: PROVIDER_TOKEN, body, headers });
  return {
    call,
    asProvider,
    async tenant(body: Record<string, unknown> = {}): Promise<string> {
      const r = await asProvider('POST', '/v1/tenants', { name: `Tenant ${newId('x')}`, ...body });
      if (r.status !== 201) throw new Error(`tenant: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id;
    },
    async user(tenantId: string, body: Record<string, unknown> = {}): Promise<any> {
      const r = await asProvider('POST', `/v1/tenants/${tenantId}/users`, { displayName: `User ${newId('x')}`, ...body });
      if (r.status !== 201) throw new Error(`user: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    /** A live session for a user, without going through the login flow. */
    async session(tenantId: string, userId: string, audience: 'portal' | 'app' = 'portal'): Promise<string> {
      const token = generateToken('sbs');
      await server.deps.db.insertInto('sessions').values({ id: newId('ses'), tenant_id: tenantId, user_id: userId, token_hash: hashToken(token), audience, client_addr: null }).execute();
      return token;
    },
  };
}

function safeJson(s: string): unknown { try { return JSON.parse(s); } catch { return s; } }

export const uniqueEmail = (tag = 'user') => `${tag}.${newId('e').toLowerCase()}@example.test`;
