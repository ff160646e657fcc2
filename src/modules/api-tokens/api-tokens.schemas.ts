import { Type, type Static } from '@sinclair/typebox';
import { NameText } from '../../http/common-schemas.js';

const Capability = Type.String({ pattern: '^[a-z_]+:[a-z_]+$', maxLength: 100 });

export const ApiTokenCreate = Type.Object(
  {
    name: NameText,
    scopes: Type.Array(Capability, {
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
      description: 'capabilities; each must be one the creator holds (C3)',
    }),
    expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ApiTokenCreate = Static<typeof ApiTokenCreate>;

export const ApiToken = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    userId: Type.String(),
    scopes: Type.Array(Type.String()),
    createdAt: Type.String(),
    expiresAt: Type.Union([Type.String(), Type.Null()]),
    lastUsedAt: Type.Union([Type.String(), Type.Null()]),
    lastUsedAddr: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'ApiToken' },
);
export type ApiToken = Static<typeof ApiToken>;

export const CreatedApiToken = Type.Intersect([
  ApiToken,
  Type.Object({ token: Type.String({ description: 'shown once; only its hash is kept' }) }),
]);
export type CreatedApiToken = Static<typeof CreatedApiToken>;
