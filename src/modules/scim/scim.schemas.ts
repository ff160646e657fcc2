import { Type } from '@sinclair/typebox';
import {
  CapabilitySchema,
  LicenceSchema,
  NamedPermissionSchema,
  SupervisorLevelSchema,
} from '../../http/common-schemas.js';

/** Query of a SCIM list (RFC 7644 §3.4.2): filter, paging, attribute selection. */
export const ScimListQuery = Type.Object({
  filter: Type.Optional(Type.String({ maxLength: 2000 })),
  startIndex: Type.Optional(Type.Integer()),
  count: Type.Optional(Type.Integer()),
  attributes: Type.Optional(Type.String({ maxLength: 2000 })),
  excludedAttributes: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const ScimItemQuery = Type.Object({
  attributes: Type.Optional(Type.String({ maxLength: 2000 })),
  excludedAttributes: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const ScimParams = Type.Object({
  t: Type.String({ minLength: 1, maxLength: 100 }),
  id: Type.String({ minLength: 1, maxLength: 200 }),
});

/** A SCIM resource or message (RFC 7643): checked by the service, which answers SCIM errors. */
export const ScimBody = Type.Object({}, { additionalProperties: true, description: 'application/scim+json' });

/** What a SCIM group's members get (each through the users service and its rules). */
export const AccessTemplate = Type.Object(
  {
    permissions: Type.Optional(Type.Array(NamedPermissionSchema, { uniqueItems: true })),
    supervisorLevel: Type.Optional(SupervisorLevelSchema),
    profile: Type.Optional(
      Type.Object(
        {
          kind: Type.Union(['none', 'profile', 'custom', 'superuser'].map((k) => Type.Literal(k))),
          profileId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
          grants: Type.Optional(Type.Array(CapabilitySchema, { uniqueItems: true, maxItems: 200 })),
        },
        { additionalProperties: false },
      ),
    ),
    licences: Type.Optional(Type.Array(LicenceSchema, { uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const AccessTemplateBody = Type.Object(
  { accessTemplate: Type.Union([AccessTemplate, Type.Null()]) },
  { additionalProperties: false },
);
