import type { QueueRow, UserRow } from '../../db/schema.js';
import { AppError } from '../../infra/errors.js';
import type { User, UserPatch } from '../users/users.schemas.js';

/**
 * P4, one owner per field: who may change each field of a platform user and of a platform queue.
 * Data, read by the sync planner (what a sync writes), the users service (what a portal edit
 * overrides), the change rules' C5/P4 entry (what the portal may not change; a test holds the two
 * together) and docs/platform-sync.md.
 *
 * - `phone_system`: only a sync changes it; the portal's attempt answers `read_only_field`.
 * - `portal`: a sync never writes it (licences but A1/A3 and queue roles are explained below).
 * - `phone_system_with_portal_override`: a sync writes the phone system's value, which is kept beside
 *   the visible one; a portal edit overrides the visible value and sticks; a reset returns to the
 *   phone system's value.
 */
export type FieldOwner = 'phone_system' | 'portal' | 'phone_system_with_portal_override';

interface Ownership {
  owner: FieldOwner;
  /** The rule a refused portal change cites. */
  rule?: 'C5' | 'P4';
  /** How a sync touches a portal field all the same. */
  note?: string;
}

/** Platform users, by the field names of the users API. */
export const USER_FIELD_OWNERSHIP = {
  externalId: { owner: 'phone_system', rule: 'P4' },
  extension: { owner: 'phone_system', rule: 'C5' },
  devices: { owner: 'phone_system', rule: 'C5' },
  acdQueueIds: { owner: 'phone_system', rule: 'P4' },
  phoneSystem: { owner: 'phone_system', rule: 'P4' },
  displayName: { owner: 'phone_system_with_portal_override' },
  email: { owner: 'phone_system_with_portal_override' },
  status: { owner: 'portal', note: 'a sync removes users the phone system no longer lists, and brings them back' },
  licences: {
    owner: 'portal',
    note: 'A1: Essential on import, locked; A3: under the automatic policy Agent follows ACD membership',
  },
  supervisorLevel: { owner: 'portal' },
  permissions: { owner: 'portal' },
  recordingScope: { owner: 'portal' },
  ucClient: { owner: 'portal' },
  groups: { owner: 'portal' },
  primaryGroup: { owner: 'portal' },
  workspaces: { owner: 'portal' },
  contactCenter: {
    owner: 'portal',
    note: 'queue roles; a change of ACD membership gives (joining) or takes (leaving) the Agent role on that queue only, and G14 takes every Agent role with the licence',
  },
  profile: { owner: 'portal' },
  features: { owner: 'portal' },
} as const satisfies Record<string, Ownership>;

/** Platform queues (those with an external id), by the field names of the queues API. */
export const QUEUE_FIELD_OWNERSHIP = {
  name: { owner: 'phone_system', rule: 'P4' },
  kind: { owner: 'phone_system', rule: 'P4' },
  wrapUpSeconds: { owner: 'phone_system', rule: 'P4' },
} as const satisfies Record<string, Ownership>;

type UserField = keyof typeof USER_FIELD_OWNERSHIP;
/** The fields the phone system owns with a portal override. */
export type OverridableField = {
  [F in UserField]: (typeof USER_FIELD_OWNERSHIP)[F]['owner'] extends 'phone_system_with_portal_override' ? F : never;
}[UserField];
export const OVERRIDABLE_FIELDS = (Object.keys(USER_FIELD_OWNERSHIP) as UserField[]).filter(
  (f): f is OverridableField => USER_FIELD_OWNERSHIP[f].owner === 'phone_system_with_portal_override',
);

/** Refuses a change of a platform queue's settings: they are the phone system's (P4). */
export function refuseQueueSettingsChange(
  queue: QueueRow,
  patch: Partial<Record<keyof typeof QUEUE_FIELD_OWNERSHIP, unknown>>,
): void {
  if (queue.external_id === null) return;
  const current = { name: queue.name, kind: queue.kind, wrapUpSeconds: queue.wrap_up_seconds };
  for (const field of Object.keys(QUEUE_FIELD_OWNERSHIP) as Array<keyof typeof QUEUE_FIELD_OWNERSHIP>) {
    if (patch[field] !== undefined && patch[field] !== current[field])
      throw new AppError(
        'read_only_field',
        `${field} of a phone system queue is the phone system's: it changes only through platform sync`,
        { rule: QUEUE_FIELD_OWNERSHIP[field].rule, field: `/${field}` },
      );
  }
}

/**
 * A portal edit of a user's display name or email (or a reset of either to the phone system's
 * value): the patch to apply, and the override flags to store. On a platform user a value other
 * than the phone system's is an override that later syncs keep; the phone system's value (what a
 * reset sets) ends the override. Manual users have no phone system values: a reset is refused.
 */
export function applyPortalOverrides(
  row: UserRow,
  patch: UserPatch,
  resets: readonly OverridableField[],
): { patch: UserPatch; columns: { display_name_overridden?: boolean; email_overridden?: boolean } } {
  if (row.source !== 'platform') {
    if (resets.length)
      throw new AppError('platform_user_required', 'only platform users have phone system values to reset to', {
        rule: 'P4',
        field: '/field',
      });
    return { patch, columns: {} };
  }
  const next: UserPatch = { ...patch };
  const phone = { displayName: row.platform_display_name ?? row.display_name, email: row.platform_email };
  if (resets.includes('displayName')) next.displayName = phone.displayName;
  if (resets.includes('email')) next.email = phone.email;
  return {
    patch: next,
    columns: {
      ...(next.displayName !== undefined && { display_name_overridden: next.displayName !== phone.displayName }),
      ...(next.email !== undefined && { email_overridden: next.email !== phone.email }),
    },
  };
}

/** What the users API shows of the phone system's values (null for manual users). */
export function presentPhoneSystem(row: UserRow): User['phoneSystem'] {
  if (row.source !== 'platform') return null;
  return {
    displayName: row.platform_display_name ?? row.display_name,
    email: row.platform_email,
    overrides: OVERRIDABLE_FIELDS.filter((f) =>
      f === 'displayName' ? row.display_name_overridden : row.email_overridden,
    ),
  };
}

/**
 * P2, P4: what SCIM owns of a user it provisions, by SCIM attribute, and the users API field it
 * writes (null: kept with the SCIM resource only). Everything else stays where the table above puts
 * it: for a linked platform user the phone system keeps its external id, extension, devices and ACD
 * membership, and the portal keeps permissions, licences, supervisor level, groups it did not get
 * from SCIM, and the rest. Read by the SCIM service and docs/scim.md.
 */
const SCIM_FIELD_OWNERSHIP = {
  userName: { field: null },
  externalId: { field: null, note: "the identity provider's id, kept apart from the phone system's externalId" },
  'name, displayName': {
    field: 'displayName',
    note: "on a linked platform user a value other than the phone system's is an override that syncs keep (P4)",
  },
  emails: {
    field: 'email',
    note: 'the primary (else work, else first) valid address; an override on a linked platform user',
  },
  active: {
    field: 'status',
    note: 'active or suspended; a removed platform user returns only through platform sync (G13)',
  },
  'enterprise extension, phoneNumbers, title, …': {
    field: null,
    note: 'kept as sent; phoneNumbers never change the extension, which is the phone system’s',
  },
} as const satisfies Record<string, { field: keyof UserPatch | null; note?: string }>;

/** The users API fields a SCIM change writes (name, email, status). */
export const SCIM_OWNED_USER_FIELDS = Object.values(SCIM_FIELD_OWNERSHIP).flatMap((o) => (o.field ? [o.field] : []));
