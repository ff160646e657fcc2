import type { Server } from '../../src/app.js';
import { ALL_CAPABILITY_IDS } from '../../src/catalog/capabilities.js';
import { NAMED_PERMISSIONS } from '../../src/catalog/permissions.js';
import type { CreatedApiToken } from '../../src/contract/index.js';
import { api, type ApiClient } from '../support/api.js';
import { PROVIDER_TOKEN } from '../support/server.js';
import { operationsOf, type IdsByCollection, type OpenApiDocument } from './openapi-walk.js';

/** Every kind of credential a caller can hold (I1-I6). */
export type CredentialKind = 'provider' | 'admin' | 'plainUser' | 'apiToken' | 'narrowApiToken' | 'platformToken';

export interface SeededTenant {
  id: string;
  name: string;
  /** Ids of this tenant's resources by collection, `tenants` included, from every list the document has. */
  ids: IdsByCollection;
  /** Bearer secrets acting in this tenant (the provider's acts everywhere). */
  credentials: Record<CredentialKind, string>;
  adminId: string;
  plainUserId: string;
}

/** New sessions for the administrator and the plain user (a request may have signed one out). */
export async function renewSessions(server: Server, tenant: SeededTenant): Promise<void> {
  const a = api(server);
  tenant.credentials.admin = await a.session(tenant.id, tenant.adminId, 'portal');
  tenant.credentials.plainUser = await a.session(tenant.id, tenant.plainUserId, 'app');
}

/**
 * A tenant with one of everything: an administrator holding every named permission (superuser,
 * Contact Admin), a plain user with no permission, a group, a workspace, a queue, a profile, live
 * sessions, an API token with every scope the administrator holds and one with a single scope, and
 * a platform token. Ids are then read from every tenant collection the OpenAPI document lists, so
 * collections added later are picked up.
 */
export async function seedTenant(server: Server, doc: OpenApiDocument, label: string): Promise<SeededTenant> {
  const a: ApiClient = api(server);
  const name = `${label} ${Date.now()}`;
  const tenant = await a.tenant({ name, seats: 50 });
  const t = tenant.id;
  const admin = await a.user(t, {
    displayName: `${label} Admin`,
    email: `admin.${t.toLowerCase()}@example.test`,
    password: 'correct horse battery staple',
    permissions: [...NAMED_PERMISSIONS],
    profile: { kind: 'superuser' },
    contactCenter: { admin: true },
  });
  const plain = await a.user(t, { displayName: `${label} Plain` });
  const adminSession = await a.session(t, admin.id, 'portal');
  const plainSession = await a.session(t, plain.id, 'app');

  const must = async (method: 'POST', url: string, body: unknown, token = PROVIDER_TOKEN) => {
    const r = await a.call<{ id: string; token?: string }>(method, url, { token, body });
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await must('POST', `/v1/tenants/${t}/groups`, { name: `${label} group` });
  await must('POST', `/v1/tenants/${t}/workspaces`, { name: `${label} workspace` });
  await must('POST', `/v1/tenants/${t}/queues`, { name: `${label} queue`, kind: 'queue', wrapUpSeconds: 0 });
  await must('POST', `/v1/tenants/${t}/profiles`, { name: `${label} profile`, grants: [] });
  const platform = await must('POST', `/v1/tenants/${t}/platform-tokens`, { name: `${label} PBX` });

  // The widest token the administrator may create: every catalog capability but those it lacks (C3).
  let scopes: string[] = [...ALL_CAPABILITY_IDS];
  let wide = await a.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
    token: adminSession,
    body: { name: 'everything', scopes },
  });
  if (wide.status === 403) {
    const missing = new Set((wide.body as unknown as { missing?: string[] }).missing ?? []);
    scopes = scopes.filter((s) => !missing.has(s));
    wide = await a.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
      token: adminSession,
      body: { name: 'everything', scopes },
    });
  }
  if (wide.status !== 201) throw new Error(`api token: ${wide.status} ${JSON.stringify(wide.body)}`);
  const narrow = await a.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
    token: adminSession,
    body: { name: 'users only', scopes: ['users:view'] },
  });
  if (narrow.status !== 201) throw new Error(`narrow api token: ${narrow.status} ${JSON.stringify(narrow.body)}`);

  const ids: IdsByCollection = { tenants: [t], users: [admin.id, plain.id] };
  for (const op of operationsOf(doc)) {
    const m = /^\/v1\/tenants\/\{t\}\/([\w-]+)$/.exec(op.path);
    if (op.method !== 'GET' || !m) continue;
    const r = await a.asProvider<{ items?: Array<{ id?: unknown }> }>('GET', `/v1/tenants/${t}/${m[1]}`);
    const found = (r.status === 200 && Array.isArray(r.body?.items) ? r.body.items : [])
      .map((i) => i.id)
      .filter((id): id is string => typeof id === 'string');
    if (found.length) ids[m[1]!] = [...new Set([...(ids[m[1]!] ?? []), ...found])];
  }
  return {
    id: t,
    name,
    ids,
    adminId: admin.id,
    plainUserId: plain.id,
    credentials: {
      provider: PROVIDER_TOKEN,
      admin: adminSession,
      plainUser: plainSession,
      apiToken: wide.body.token,
      narrowApiToken: narrow.body.token,
      platformToken: platform.token!,
    },
  };
}
