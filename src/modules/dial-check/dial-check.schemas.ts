import { Type, type Static } from '@sinclair/typebox';

/** POST /v1/tenants/{t}/dial-check (F3). */
export const DialCheckBody = Type.Object(
  {
    userId: Type.String({ minLength: 1, maxLength: 100 }),
    number: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'as dialled: E.164, international or national format (home region as default)',
    }),
    channel: Type.Union([Type.Literal('call'), Type.Literal('sms')]),
  },
  { additionalProperties: false },
);
export type DialCheckBody = Static<typeof DialCheckBody>;

/** 200 whenever the check itself succeeded: a refusal is `allowed: false` with its `code` and `rule`. */
export const DialCheckAnswer = Type.Object({
  allowed: Type.Boolean(),
  region: Type.Union([Type.String(), Type.Null()], {
    description: 'ISO 3166 region of the number, null when unparseable or non-geographic',
  }),
  code: Type.Optional(
    Type.String({ description: 'invalid_number, region_not_allowed, channel_not_allowed, plan_feature_missing, …' }),
  ),
  rule: Type.Optional(Type.String()),
});
export type DialCheckAnswer = Static<typeof DialCheckAnswer>;
