import { Type, type Static } from '@sinclair/typebox';
import { CapabilitySchema, NameText } from '../../http/common-schemas.js';

export const Profile = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    grants: Type.Array(CapabilitySchema),
    holders: Type.Integer({ description: 'users holding this profile' }),
    version: Type.Integer(),
    createdAt: Type.String(),
  },
  { $id: 'Profile' },
);
export type Profile = Static<typeof Profile>;

export const ProfileCreate = Type.Object(
  {
    name: NameText,
    grants: Type.Array(CapabilitySchema, {
      uniqueItems: true,
      maxItems: 200,
      description: 'module:action capabilities of the profile matrix',
    }),
  },
  { additionalProperties: false },
);
export type ProfileCreate = Static<typeof ProfileCreate>;
export const ProfilePatch = Type.Partial(ProfileCreate, { additionalProperties: false });
export type ProfilePatch = Static<typeof ProfilePatch>;

export const ProfileDeleteQuery = Type.Object(
  {
    moveTo: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'move holders to this profile id, or "none"' }),
    ),
  },
  { additionalProperties: false },
);
export type ProfileDeleteQuery = Static<typeof ProfileDeleteQuery>;
