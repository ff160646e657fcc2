import { Type, type Static } from '@sinclair/typebox';
import { Email } from '../users/users.schemas.js';

const ExternalId = Type.String({ minLength: 1, maxLength: 200 });
const lit = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));

export const SnapshotDevice = Type.Object(
  {
    externalId: ExternalId,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: lit('sip', 'webrtc'),
    sip: Type.Object(
      {
        username: Type.String({ maxLength: 200 }),
        password: Type.String({ maxLength: 500 }),
        realm: Type.String({ maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const SnapshotUser = Type.Object(
  {
    externalId: ExternalId,
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    extension: Type.Union([Type.String({ maxLength: 50 }), Type.Null()]),
    devices: Type.Array(SnapshotDevice, { maxItems: 50 }),
    acdQueues: Type.Array(ExternalId, { maxItems: 2000 }),
  },
  { additionalProperties: false },
);
export type SnapshotUser = Static<typeof SnapshotUser>;

export const SnapshotQueue = Type.Object(
  {
    externalId: ExternalId,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: lit('queue', 'inbox', 'campaign'),
    wrapUpSeconds: Type.Integer({ minimum: 0, maximum: 86400 }),
  },
  { additionalProperties: false },
);
export type SnapshotQueue = Static<typeof SnapshotQueue>;

export const Snapshot = Type.Object(
  {
    users: Type.Array(SnapshotUser, { maxItems: 200_000 }),
    queues: Type.Array(SnapshotQueue, { maxItems: 20_000 }),
  },
  { additionalProperties: false },
);
export type Snapshot = Static<typeof Snapshot>;

/**
 * A row applied without one of its values, because that value would break a unique constraint or a
 * rule (P4: one bad row never fails a sync). The rest of the row, and of the snapshot, is applied.
 */
export const SyncConflict = Type.Object({
  externalId: Type.String({ description: "the snapshot row's external id" }),
  field: lit('externalId', 'email', 'extension', 'devices'),
  code: lit('duplicate_external_id', 'extension_not_unique', 'device_not_unique', 'email_not_unique', 'email_required'),
  rule: lit('P4', 'G2'),
  detail: Type.String(),
});
export type SyncConflict = Static<typeof SyncConflict>;

const Counts = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  removed: Type.Integer(),
  unchanged: Type.Integer(),
});
export const SnapshotResult = Type.Object({
  dryRun: Type.Boolean(),
  created: Type.Integer(),
  updated: Type.Integer(),
  removed: Type.Integer(),
  unchanged: Type.Integer(),
  queues: Counts,
  changes: Type.Array(
    Type.Object({
      externalId: Type.String(),
      userId: Type.Union([Type.String(), Type.Null()]),
      action: lit('create', 'update', 'remove'),
      fields: Type.Array(Type.String()),
    }),
  ),
  changesTruncated: Type.Boolean(),
  conflicts: Type.Array(SyncConflict, { description: 'rows applied without a value (P4), at most 1,000' }),
  conflictsTruncated: Type.Boolean(),
  warnings: Type.Array(Type.String()),
  version: Type.Union([Type.Integer(), Type.Null()]),
});
export type SnapshotResult = Static<typeof SnapshotResult>;

export const SnapshotQuery = Type.Object(
  { dryRun: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);

/** P4: return a field the portal overrode to the phone system's value. */
export const ResetFieldBody = Type.Object(
  {
    field: lit('displayName', 'email'),
  },
  { additionalProperties: false },
);
export type ResetFieldBody = Static<typeof ResetFieldBody>;
