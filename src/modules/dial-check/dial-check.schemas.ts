import { Type, type Static } from '@sinclair/typebox';
import { MinVersion } from '../access/access.schemas.js';

/** POST /v1/tenants/{t}/dial-check (F3, F5). */
export const DialCheckBody = Type.Object(
  {
    userId: Type.String({ minLength: 1, maxLength: 100 }),
    number: Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        'as dialled: E.164, international or national format (home region as default), an emergency number ' +
        '(112), an extension of the tenant (1001) or a feature code (*72, #31#)',
    }),
    channel: Type.Union([Type.Literal('call'), Type.Literal('sms')]),
    minVersion: Type.Optional(MinVersion),
  },
  { additionalProperties: false },
);
export type DialCheckBody = Static<typeof DialCheckBody>;

/**
 * 200 whenever the check itself succeeded: every answer says why in `code` and `rule`, a refusal
 * being `allowed: false`. `code`, `rule` and `internal` extend the first answer `{allowed, region}`.
 */
export const DialCheckAnswer = Type.Object({
  allowed: Type.Boolean(),
  region: Type.Union([Type.String(), Type.Null()], {
    description:
      'ISO 3166 region of the number; the dialling (home) region for an emergency number; null when ' +
      'unparseable, non-geographic or internal',
  }),
  internal: Type.Boolean({ description: 'an internal call: an extension of the tenant or a feature code (F5)' }),
  code: Type.String({
    description:
      'why. Allowed: emergency (F5), internal (F5), home_region (F3), allowed_region (F3), unrestricted (F3). ' +
      'Refused: restricted (F3), invalid_number (F3), or why the channel is closed: channel_not_allowed (F1), ' +
      'plan_feature_missing (G8), platform_user_required (G4), account_inactive (G13), …',
  }),
  rule: Type.String({ description: 'the SPEC rule that decided: F5, F3, F1, G8, …' }),
  version: Type.Integer({ description: 'D7: the version the answer was decided at' }),
});
export type DialCheckAnswer = Static<typeof DialCheckAnswer>;
