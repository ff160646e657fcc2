import { Type, type Static } from '@sinclair/typebox';

export const PlatformToken = Type.Object(
  {
    id: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    lastUsedAt: Type.Union([Type.String(), Type.Null()]),
    lastUsedAddr: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'PlatformToken' },
);
export type PlatformToken = Static<typeof PlatformToken>;

export const PlatformTokenCreate = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
export const CreatedPlatformToken = Type.Object({
  id: Type.String(),
  token: Type.String({ description: 'shown once (sbk_…)' }),
});
