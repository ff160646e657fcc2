import type { Server } from '../../src/app.js';
import { hashPassword } from '../../src/infra/crypto.js';
import { newId } from '../../src/infra/ids.js';
import { PROVIDER_TOKEN } from '../support/server.js';

/** Helpers of the identity suites: HTTP through `inject` (with cookies), tenants and users. */
export interface Res { status: number; body: any; headers: Record<string, unknown>; cookies: Array<{ name: string; value: string; httpOnly?: boolean; sameSite?: string; secure?: boolean }> }

export const PASSWORD = 'correct horse battery staple';
export const uniqueEmail = (tag = 'user') => `${tag}.${newId('e').toLowerCase()}@example.test`;

export function client(server: Server) {
  const call = async (method: string, url: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; cookies?: Record<string, string>; ip?: string } = {}): Promise<Res> => {
    const res = await server.app.inject({
      method: method as 'GET', url,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
      ...(opts.cookies ? { cookies: opts.cookies } : {}),
      ...(opts.ip ? { remoteAddress: opts.ip } : {}),
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
    let body: unknown = null;
    try { body = res.body ? JSON.parse(res.body) : null; } catch { body = res.body; }
    return { status: res.statusCode, body, headers: res.headers, cookies: res.cookies as Res['cookies'] };
  };
  const provider = (method: string, url: string, body?: unknown) => call(method, url, { token: PROVIDER_TOKEN, body });

  return {
    call,
    provider,
    async tenant(body: Record<string, unknown> = {}): Promise<string> {
      const r = await provider('POST', '/v1/tenants', { name: `Tenant ${newId('x')}`, ...body });
      if (r.status !== 201) throw new Error(`tenant: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id;
    },
    /** A manual user (portal-only, G4) created through the users API as the provider. */
    async portalUser(tenantId: string, extra: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
      const email = uniqueEmail('portal');
      const r = await provider('POST', `/v1/tenants/${tenantId}/users`, { displayName: `Portal ${email}`, email, password: PASSWORD, permissions: ['website_access'], ...extra });
      if (r.status !== 201) throw new Error(`user: ${r.status} ${JSON.stringify(r.body)}`);
      return { id: r.body.id, email };
    },
    /** Platform users without website access (app users), with a password set directly (platform sync sends none). */
    async appUsers(tenantId: string, n: number, opts: { email?: (i: number) => string } = {}): Promise<Array<{ id: string; email: string }>> {
      return createPlatformUsers(server, tenantId, n, opts);
    },
  };
}

let sharedHash: Promise<string> | null = null;

/** Inserts platform users straight into the database: a fixture shortcut, since sync carries no passwords. */
export async function createPlatformUsers(server: Server, tenantId: string, n: number, opts: { email?: (i: number) => string } = {}): Promise<Array<{ id: string; email: string }>> {
  const hash = await (sharedHash ??= hashPassword(PASSWORD));
  const rows = Array.from({ length: n }, (_, i) => {
    const email = opts.email ? opts.email(i) : uniqueEmail(`app${i}`);
    return {
      id: newId('usr'), tenant_id: tenantId, source: 'platform' as const, external_id: newId('ext'), status: 'active' as const,
      display_name: `App user ${i}`, email, password_hash: hash, extension: String(1000 + i), licences: ['essential'], supervisor_level: 'none',
      permissions: [], recording_scope: 'own', uc_client: JSON.stringify({ desktop: false, softphone: { enabled: false, clients: [], deviceId: null } }),
      group_ids: [], primary_group_id: null, workspaces: JSON.stringify({}), contact_center: JSON.stringify({ admin: false, queues: {} }),
      profile: JSON.stringify({ kind: 'none' }), features: JSON.stringify({ channels: 'both', recording: false, crmOverlay: true, dialRestriction: { enabled: false, allowedRegions: [] } }),
      preferences: JSON.stringify({ recording: true, crmOverlay: true }), acd_queue_ids: [], version: 1,
    };
  });
  for (let i = 0; i < rows.length; i += 200) await server.deps.db.insertInto('users').values(rows.slice(i, i + 200)).execute();
  return rows.map((r) => ({ id: r.id, email: r.email }));
}
