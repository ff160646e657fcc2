import { Type, type Static } from '@sinclair/typebox';

/** One audit entry (AU1): `before` and `after` are any JSON (an object, a list, a string, or absent). */
export const AuditEntry = Type.Object(
  {
    id: Type.Integer(),
    seq: Type.Integer(),
    at: Type.String(),
    tenantId: Type.Union([Type.String(), Type.Null()]),
    actorType: Type.String(),
    actorId: Type.Union([Type.String(), Type.Null()]),
    credential: Type.Union([Type.String(), Type.Null()]),
    action: Type.String(),
    targetType: Type.String(),
    targetId: Type.Union([Type.String(), Type.Null()]),
    before: Type.Optional(Type.Unknown()),
    after: Type.Optional(Type.Unknown()),
    requestId: Type.Union([Type.String(), Type.Null()]),
    clientRequestId: Type.Optional(Type.String({ description: "the client's X-Request-Id, when well-formed" })),
    clientAddr: Type.Union([Type.String(), Type.Null()]),
    prevHash: Type.String(),
    hash: Type.String(),
    actorName: Type.Optional(
      Type.String({ description: "the acting user's display name (or email) now; not part of the chained entry" }),
    ),
    targetName: Type.Optional(
      Type.String({ description: "the target user's display name (or email) now; not part of the chained entry" }),
    ),
  },
  { $id: 'AuditEntry' },
);
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object(
  {
    target: Type.Optional(Type.String({ maxLength: 100 })),
    actor: Type.Optional(Type.String({ maxLength: 100 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = Type.Object({
  items: Type.Array(AuditEntry),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type AuditPage = Static<typeof AuditPage>;

export const AuditVerification = Type.Object({
  entries: Type.Integer(),
  intact: Type.Boolean(),
  brokenAt: Type.Union([Type.Integer(), Type.Null()]),
});
export type AuditVerification = Static<typeof AuditVerification>;
