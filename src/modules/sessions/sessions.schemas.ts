import { Type, type Static } from '@sinclair/typebox';

export const Session = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    audience: Type.Union([Type.Literal('portal'), Type.Literal('app')]),
    clientAddr: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    lastSeenAt: Type.String(),
    expiresAt: Type.String({
      description:
        'when the session lapses unless used (app: 90 s after the last heartbeat or stream activity; portal: 30 idle minutes)',
    }),
    displayName: Type.Optional(Type.String({ description: "in lists: the user's display name now" })),
    email: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "in lists: the user's email now" })),
  },
  { $id: 'Session' },
);
export type Session = Static<typeof Session>;

export const SessionList = Type.Object({ items: Type.Array(Session), nextCursor: Type.Null() });

export const TenantUserParams = Type.Object({
  t: Type.String({ minLength: 1, maxLength: 100 }),
  u: Type.String({ minLength: 1, maxLength: 100 }),
});

export const SessionListQuery = Type.Object(
  { userId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);
