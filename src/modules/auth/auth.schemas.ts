import { Type, type Static } from '@sinclair/typebox';

const Email = Type.String({ minLength: 3, maxLength: 254 });
const Audience = Type.Union([Type.Literal('portal'), Type.Literal('app')]);
const NewPassword = Type.String({
  minLength: 1,
  maxLength: 256,
  description: 'NIST SP 800-63B: at least 15 characters, no composition rules',
});
const Token = Type.String({ minLength: 10, maxLength: 200 });

export const LoginBody = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    audience: Audience,
    tenantId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'the organisation to sign in to, when the credentials match accounts in several (G2: the answer ' +
          '`organisation_choice_required` lists them)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const LoginResult = Type.Object(
  {
    token: Type.String({ description: 'the session token (sbs_…); for apps, the bearer token' }),
    sessionId: Type.String(),
    userId: Type.String(),
    tenantId: Type.String(),
    expiresAt: Type.String({ description: 'when the session lapses unless used; app sessions heartbeat to extend it' }),
    csrfToken: Type.Optional(
      Type.String({ description: 'portal sessions: send as X-CSRF-Token on state-changing requests' }),
    ),
  },
  { $id: 'LoginResult' },
);
export type LoginResult = Static<typeof LoginResult>;

export const Heartbeat = Type.Object({ expiresAt: Type.String() });

export const ResetRequest = Type.Object({ email: Email }, { additionalProperties: false });
export const LinkToken = Type.Object({ token: Token }, { additionalProperties: false });
export const TokenAndPassword = Type.Object({ token: Token, password: NewPassword }, { additionalProperties: false });
export const Accepted = Type.Object({ status: Type.Literal('accepted') });
export const Invitation = Type.Object({ sentTo: Type.String(), expiresAt: Type.String() });
const Instant = Type.Union([Type.String(), Type.Null()]);
export const InvitationState = Type.Object(
  {
    status: Type.Union(
      [Type.Literal('none'), Type.Literal('invited'), Type.Literal('expired'), Type.Literal('accepted')],
      {
        description:
          'none: never invited; invited: a link is out until expiresAt; expired; accepted: the password was chosen',
      },
    ),
    sentAt: Instant,
    expiresAt: Instant,
    acceptedAt: Instant,
  },
  { $id: 'InvitationState' },
);
export const TenantUserParams = Type.Object({
  t: Type.String({ minLength: 1, maxLength: 100 }),
  u: Type.String({ minLength: 1, maxLength: 100 }),
});
