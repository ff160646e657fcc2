import { CompiledTenant } from '../../access/compile.js';
import { buildEffectiveConfig, type EffectiveConfig, type SoftphoneDevice } from '../../access/effective-config.js';
import type { UserAccess } from '../../access/types.js';
import type { Executor } from '../../db/database.js';
import type { UserRow } from '../../db/schema.js';
import type { SecretBox } from '../../infra/crypto.js';
import { loadTenantAccess, loadUsersAccess } from './access.repo.js';
import { findTenant } from '../tenants/tenants.repo.js';
import { findDeviceSecrets } from './access.repo.js';
import { snapshotsOf } from '../snapshot/snapshot-store.js';
import type { SealedSoftphoneDevice } from '../snapshot/tenant-snapshot.js';

/** From this many users on, compiling the tenant once beats explaining each user. */
const COMPILE_FROM = 16;
/** IN lists are chunked so a 10,000-user refresh stays well under PostgreSQL's parameter limit. */
const CHUNK = 5_000;

/**
 * Loads the effective configurations of many users of one tenant in one batch (D1, D2): the tenant
 * once, the users in chunks, the softphone secrets of those who have one. The version of each is
 * max(user row version, tenant row version): both come from the global `change_seq`, so a
 * configuration's version only grows (D3). Missing users are absent from the result.
 * `withSecrets` decrypts SIP credentials: only for the users' own authenticated clients.
 * On the node's database handle it answers from the live snapshot (`src/modules/snapshot`); inside a
 * transaction it reads that transaction's rows.
 */
export async function loadEffectiveConfigs(
  db: Executor,
  secrets: SecretBox,
  tenantId: string,
  userIds: readonly string[],
  withSecrets = true,
): Promise<Map<string, EffectiveConfig>> {
  const out = new Map<string, EffectiveConfig>();
  if (userIds.length === 0) return out;
  const store = snapshotsOf(db);
  if (store) {
    // The node's live snapshot, SIP credentials included (sealed there, opened here): no database read.
    const snap = await store.get(tenantId);
    const users = [...new Set(userIds)].flatMap((id) => snap?.users.get(id) ?? []);
    if (!snap || users.length === 0) return out;
    for (const u of users) {
      const device = withSecrets && u.softphone ? openDevice(secrets, u.softphone) : null;
      out.set(u.access.id, buildEffectiveConfig(u.access, snap.tenant, snap.compiled, snap.userVersion(u), device));
    }
    return out;
  }
  const tenantRow = await findTenant(db, tenantId);
  if (!tenantRow) return out;
  const tenant = await loadTenantAccess(db, tenantRow);
  const ids = [...new Set(userIds)];
  const users = new Map<string, { row: UserRow; access: UserAccess }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const [id, u] of await loadUsersAccess(db, tenantId, ids.slice(i, i + CHUNK))) users.set(id, u);
  }
  const devices = withSecrets
    ? await loadSoftphoneDevices(
        db,
        secrets,
        tenantId,
        [...users.values()].map((u) => u.access),
      )
    : new Map<string, SoftphoneDevice>();
  const compiled =
    users.size >= COMPILE_FROM
      ? CompiledTenant.build(
          tenant,
          [...users.values()].map((u) => u.access),
        )
      : null;
  const tenantVersion = Number(tenantRow.version);
  for (const [id, u] of users) {
    const version = Math.max(Number(u.row.version), tenantVersion);
    out.set(id, buildEffectiveConfig(u.access, tenant, compiled, version, devices.get(id) ?? null));
  }
  return out;
}

async function loadSoftphoneDevices(
  db: Executor,
  secrets: SecretBox,
  tenantId: string,
  users: UserAccess[],
): Promise<Map<string, SoftphoneDevice>> {
  const wanted = new Map<string, string>();
  for (const u of users)
    if (u.ucClient.softphone.enabled && u.ucClient.softphone.deviceId) wanted.set(u.ucClient.softphone.deviceId, u.id);
  const out = new Map<string, SoftphoneDevice>();
  for (const d of await findDeviceSecrets(db, tenantId, [...wanted.keys()])) {
    // G5: only the user's own device; a device id pointing at someone else's device gets no secrets.
    if (wanted.get(d.id) !== d.user_id) continue;
    const device = openDevice(secrets, { id: d.id, kind: d.kind, sealedSip: d.sip_secret });
    if (device) out.set(d.user_id, device);
  }
  return out;
}

/**
 * A softphone device with its SIP credentials opened; null when they cannot be (a rotated key, a
 * corrupt row), which must not stop the push: the device then goes without credentials.
 */
function openDevice(secrets: SecretBox, d: SealedSoftphoneDevice): SoftphoneDevice | null {
  try {
    return { id: d.id, kind: d.kind, sip: JSON.parse(secrets.open(d.sealedSip)) as SoftphoneDevice['sip'] };
  } catch {
    return null;
  }
}
