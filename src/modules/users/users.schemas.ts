import { Type, type Static } from '@sinclair/typebox';
import {
  CapabilitySchema,
  LicenceSchema,
  NamedPermissionSchema,
  NameText,
  RegionCode,
  SupervisorLevelSchema,
} from '../../http/common-schemas.js';

const lit = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));
const Id = Type.String({ minLength: 1, maxLength: 100 });

const SoftphoneClients = Type.Array(lit('desktop', 'mobile', 'crm'), { uniqueItems: true, maxItems: 3 });
const Softphone = Type.Object(
  { enabled: Type.Boolean(), clients: SoftphoneClients, deviceId: Type.Union([Id, Type.Null()]) },
  { additionalProperties: false },
);
const UcClient = Type.Object({ desktop: Type.Boolean(), softphone: Softphone }, { additionalProperties: false });
const QueueRoles = Type.Array(lit('agent', 'supervisor'), { uniqueItems: true, maxItems: 2 });
const ContactCenter = Type.Object(
  { admin: Type.Boolean(), queues: Type.Record(Id, QueueRoles) },
  { additionalProperties: false },
);
const Profile = Type.Object(
  {
    kind: lit('none', 'profile', 'custom', 'superuser'),
    profileId: Type.Optional(Type.Union([Id, Type.Null()])),
    grants: Type.Optional(Type.Array(CapabilitySchema, { uniqueItems: true, maxItems: 200 })),
  },
  { additionalProperties: false },
);
const DialRestriction = Type.Object(
  { enabled: Type.Boolean(), allowedRegions: Type.Array(RegionCode, { uniqueItems: true, maxItems: 250 }) },
  { additionalProperties: false },
);
const Features = Type.Object(
  {
    channels: lit('calls', 'sms', 'both', 'none'),
    recording: Type.Boolean(),
    crmOverlay: Type.Boolean(),
    dialRestriction: DialRestriction,
  },
  { additionalProperties: false },
);
const Preferences = Type.Object(
  { recording: Type.Boolean(), crmOverlay: Type.Boolean() },
  { additionalProperties: false },
);
const Workspaces = Type.Record(Id, lit('viewer', 'editor', 'owner'));
const Status = lit('active', 'suspended', 'removed');
/** Letters, marks and digits of any script, and the ASCII specials of RFC 5322 `atext`. */
const EMAIL_ATOM = "[\\p{L}\\p{M}\\p{N}!#$%&'*+/=?^_`{|}~-]+";
const EMAIL_LABEL = '[\\p{L}\\p{M}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]*[\\p{L}\\p{M}\\p{N}])?';
/**
 * An email address, internationalised ones included (RFC 6531: a UTF-8 local part, an IDN domain in
 * Unicode or `xn--` form): `sławek@example.pl`, `zoë@bücher.example`. A pattern (Ajv compiles it with
 * the `u` flag) rather than `format: 'email'`, which knows ASCII only.
 */
export const Email = Type.String({
  maxLength: 254,
  pattern: `^${EMAIL_ATOM}(?:\\.${EMAIL_ATOM})*@(?:${EMAIL_LABEL}\\.)+${EMAIL_LABEL}$`,
  description: 'an email address; internationalised addresses (RFC 6531) are accepted',
});

export const Device = Type.Object({
  id: Type.String(),
  externalId: Type.String(),
  name: Type.String(),
  kind: lit('sip', 'webrtc'),
});

export const User = Type.Object(
  {
    id: Type.String(),
    tenantId: Type.String(),
    source: lit('platform', 'manual'),
    externalId: Type.Union([Type.String(), Type.Null()]),
    status: Status,
    displayName: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    extension: Type.Union([Type.String(), Type.Null()]),
    devices: Type.Array(Device),
    licences: Type.Array(LicenceSchema),
    supervisorLevel: SupervisorLevelSchema,
    permissions: Type.Array(NamedPermissionSchema),
    recordingScope: lit('own', 'group', 'all'),
    ucClient: UcClient,
    groups: Type.Array(Type.String()),
    primaryGroup: Type.Union([Type.String(), Type.Null()]),
    workspaces: Workspaces,
    contactCenter: ContactCenter,
    profile: Profile,
    features: Features,
    preferences: Preferences,
    hasPassword: Type.Boolean(),
    phoneSystem: Type.Optional(
      Type.Union([
        Type.Object(
          {
            displayName: Type.String(),
            email: Type.Union([Type.String(), Type.Null()]),
            overrides: Type.Array(lit('displayName', 'email'), {
              description: 'fields the portal overrode: the visible value is not the phone system one',
            }),
          },
          { description: "platform users: the phone system's values (P4); null for manual users" },
        ),
        Type.Null(),
      ]),
    ),
    acdQueueIds: Type.Optional(
      Type.Array(Type.String(), { description: "the queues the phone system's ACD lists the user in (P4)" }),
    ),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'User' },
);
export type User = Static<typeof User>;

/** Objects merge, arrays and sets replace (API.md). Read-only fields are accepted only to be refused by name (C5). */
export const UserPatch = Type.Object(
  {
    displayName: Type.Optional(NameText),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    password: Type.Optional(Type.String({ maxLength: 256, description: 'write-only' })),
    status: Type.Optional(Status),
    licences: Type.Optional(Type.Array(LicenceSchema, { uniqueItems: true })),
    supervisorLevel: Type.Optional(SupervisorLevelSchema),
    permissions: Type.Optional(Type.Array(NamedPermissionSchema, { uniqueItems: true })),
    recordingScope: Type.Optional(lit('own', 'group', 'all')),
    ucClient: Type.Optional(
      Type.Object(
        {
          desktop: Type.Optional(Type.Boolean()),
          softphone: Type.Optional(Type.Partial(Softphone, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    groups: Type.Optional(Type.Array(Id, { uniqueItems: true, maxItems: 500 })),
    primaryGroup: Type.Optional(Type.Union([Id, Type.Null()])),
    workspaces: Type.Optional(Workspaces),
    contactCenter: Type.Optional(Type.Partial(ContactCenter, { additionalProperties: false })),
    profile: Type.Optional(Profile),
    features: Type.Optional(
      Type.Object(
        {
          channels: Type.Optional(lit('calls', 'sms', 'both', 'none')),
          recording: Type.Optional(Type.Boolean()),
          crmOverlay: Type.Optional(Type.Boolean()),
          dialRestriction: Type.Optional(Type.Partial(DialRestriction, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    extension: Type.Optional(Type.Unknown({ description: 'read-only: changes only through platform sync (C5)' })),
    devices: Type.Optional(Type.Unknown({ description: 'read-only: changes only through platform sync (C5)' })),
    externalId: Type.Optional(Type.Unknown({ description: 'read-only' })),
    acdQueueIds: Type.Optional(Type.Unknown({ description: "read-only: the phone system's ACD membership (P4)" })),
    phoneSystem: Type.Optional(
      Type.Unknown({ description: 'read-only: reset a field with POST …/users/{id}/reset-field (P4)' }),
    ),
    source: Type.Optional(Type.Unknown({ description: 'read-only' })),
    preferences: Type.Optional(
      Type.Unknown({ description: 'read-only here: the user sets them from the app (PATCH /v1/me/preferences)' }),
    ),
  },
  { additionalProperties: false },
);
export type UserPatch = Static<typeof UserPatch>;

export const UserCreate = Type.Object(
  {
    ...UserPatch.properties,
    displayName: NameText,
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    source: Type.Optional(lit('platform', 'manual')),
    status: Type.Optional(Status),
    licence: Type.Optional(LicenceSchema),
    supervisorLevel: Type.Optional(SupervisorLevelSchema),
    group: Type.Optional(Id),
    queue: Type.Optional(Id),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;

export const UserPage = Type.Object({ items: Type.Array(User), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export type UserPage = Static<typeof UserPage>;
