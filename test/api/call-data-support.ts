import type { UserPage } from '../../src/contract/index.js';
import type { ApiClient } from '../support/api.js';

/**
 * A fresh tenant whose phone system (a platform token) has synced these people (and queues, none by default):
 * returns the tenant, the token and each person's user id by phone-system id.
 */
export async function tenantWithPhoneUsers(
  a: ApiClient,
  people: string[],
  queues: unknown[] = [],
): Promise<{ t: string; token: string; ids: Record<string, string> }> {
  const t = (await a.tenant()).id;
  const token = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, {})).body.token;
  const users = people.map((externalId, n) => ({
    externalId,
    displayName: externalId,
    email: `${externalId}.${t}@pbx.example`,
    extension: String(200 + n),
    devices: [],
    acdQueues: [],
  }));
  const sync = await a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, { token, body: { users, queues } });
  if (sync.status !== 200) throw new Error(`sync: ${sync.status} ${JSON.stringify(sync.body)}`);
  const synced = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?source=platform`)).body.items;
  return { t, token, ids: Object.fromEntries(synced.map((u) => [u.externalId!, u.id])) };
}
