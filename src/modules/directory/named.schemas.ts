import { Type, type Static } from '@sinclair/typebox';
import { NameText } from '../../http/common-schemas.js';

export const Named = Type.Object({
  id: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
});
export type Named = Static<typeof Named>;
export const NamedInput = Type.Object({ name: NameText }, { additionalProperties: false });
export type NamedInput = Static<typeof NamedInput>;
