import type { Capability, CreatedApiToken, TenantCreate } from '../../src/contract/index.js';
import { api, type ApiClient, type Call, type HttpMethod } from '../support/api.js';
import type { TestServer } from '../support/server.js';

/** The scopes of the portal's "SCIM token" preset: users and groups, and billing for access templates with licences. */
export const SCIM_SCOPES: Capability[] = [
  'users:view',
  'users:create',
  'users:edit',
  'users:delete',
  'groups:view',
  'groups:create',
  'groups:edit',
  'groups:delete',
  'billing:edit',
];

export interface ScimTenant {
  t: string;
  adminId: string;
  /** The SCIM bearer token (an API token of the admin). */
  token: string;
  base: string;
  scim: <T = Record<string, unknown>>(
    method: HttpMethod,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<Call<T>>;
  a: ApiClient;
}

/**
 * A tenant whose administrator (superuser, Manage Billable Items) made an API token with the SCIM
 * scopes, as an identity provider is set up.
 */
export async function scimTenant(
  server: TestServer,
  tenant: Partial<TenantCreate> = {},
  scopes: Capability[] = SCIM_SCOPES,
): Promise<ScimTenant> {
  const a = api(server);
  const { id: t } = await a.tenant({ seats: 1000, ...tenant });
  const admin = await a.user(t, {
    permissions: ['website_access', 'manage_users', 'manage_billable_items', 'customer_settings', 'rest_api_admin'],
    profile: { kind: 'superuser' },
    email: `admin.${t.toLowerCase()}@example.test`,
  });
  const session = await a.session(t, admin.id);
  const created = await a.call<CreatedApiToken>('POST', `/v1/tenants/${t}/api-tokens`, {
    token: session,
    body: { name: 'Entra ID provisioning', scopes },
  });
  if (created.status !== 201) throw new Error(`api token: ${created.status} ${JSON.stringify(created.body)}`);
  const token = created.body.token;
  const base = `/v1/tenants/${t}/scim/v2`;
  return {
    t,
    adminId: admin.id,
    token,
    base,
    a,
    scim: (method, path, body, headers = {}) =>
      a.call(method, `${base}${path}`, {
        token,
        ...(body !== undefined && { body }),
        headers: { ...(body !== undefined && { 'content-type': 'application/scim+json' }), ...headers },
      }),
  };
}
