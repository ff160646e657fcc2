import { Type, type Static } from '@sinclair/typebox';

export const Named = Type.Object({
  id: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
});
export type Named = Static<typeof Named>;
export const NamedInput = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type NamedInput = Static<typeof NamedInput>;
