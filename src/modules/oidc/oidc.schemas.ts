import { Type, type Static } from '@sinclair/typebox';
import { NameText } from '../../http/common-schemas.js';

export const OidcIssuerCreate = Type.Object(
  {
    name: NameText,
    issuer: Type.String({
      format: 'uri',
      maxLength: 500,
      description: 'the issuer URL; its discovery document is read at once',
    }),
    clientId: Type.String({ minLength: 1, maxLength: 500 }),
    clientSecret: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1000, description: 'write-only; sealed at rest' }),
    ),
  },
  { additionalProperties: false },
);
export type OidcIssuerCreate = Static<typeof OidcIssuerCreate>;

export const OidcIssuerPatch = Type.Object(
  {
    name: Type.Optional(OidcIssuerCreate.properties.name),
    issuer: Type.Optional(OidcIssuerCreate.properties.issuer),
    clientId: Type.Optional(OidcIssuerCreate.properties.clientId),
    clientSecret: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()], {
        description: 'write-only; null removes the secret (a public client)',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type OidcIssuerPatch = Static<typeof OidcIssuerPatch>;

export const OidcIssuer = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    issuer: Type.String(),
    clientId: Type.String(),
    hasClientSecret: Type.Boolean(),
    redirectPath: Type.String({
      description: 'register <public URL> + this path as the redirect URI at the identity provider',
    }),
    startPath: Type.String({ description: 'where the portal sends the browser to sign in with this issuer' }),
    createdAt: Type.String(),
  },
  { $id: 'OidcIssuer' },
);
export type OidcIssuer = Static<typeof OidcIssuer>;

export const StartParams = Type.Object({ issuerId: Type.String({ minLength: 1, maxLength: 100 }) });
export const StartQuery = Type.Object(
  { returnTo: Type.Optional(Type.String({ maxLength: 500, pattern: '^/(?!/)' })) },
  { additionalProperties: false },
);
export const CallbackQuery = Type.Object(
  {
    state: Type.Optional(Type.String({ maxLength: 500 })),
    code: Type.Optional(Type.String({ maxLength: 4000 })),
    error: Type.Optional(Type.String({ maxLength: 500 })),
    error_description: Type.Optional(Type.String({ maxLength: 2000 })),
    iss: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: true },
);

/** A public sign-in button of one tenant: the issuer's id, display name and start path, nothing more. */
export const SignInOption = Type.Object({ id: Type.String(), name: Type.String(), startPath: Type.String() });
export type SignInOption = Static<typeof SignInOption>;
