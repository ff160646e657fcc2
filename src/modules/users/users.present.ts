import type { DeviceRow, UserRow } from '../../db/schema.js';
import { presentPhoneSystem } from '../platform/ownership.js';
import { toUserAccess } from './users.mapping.js';
import type { User } from './users.schemas.js';

/** A stored user as the API shows it (never the password or SIP secrets). */
export function presentUser(row: UserRow, devices: DeviceRow[]): User {
  const a = toUserAccess(row, devices);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    source: row.source,
    externalId: row.external_id,
    status: row.status,
    displayName: row.display_name,
    email: row.email,
    extension: row.extension,
    devices: devices.map((d) => ({ id: d.id, externalId: d.external_id, name: d.name, kind: d.kind })),
    licences: a.licences,
    supervisorLevel: a.supervisorLevel,
    permissions: a.permissions,
    recordingScope: a.recordingScope,
    ucClient: a.ucClient,
    groups: a.groups,
    primaryGroup: a.primaryGroup,
    workspaces: a.workspaces,
    contactCenter: a.contactCenter,
    profile: a.profile,
    features: a.features,
    preferences: a.preferences,
    hasPassword: row.password_hash !== null,
    phoneSystem: presentPhoneSystem(row),
    acdQueueIds: row.acd_queue_ids,
    version: Number(row.version),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
