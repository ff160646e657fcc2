import { Type, type Static } from '@sinclair/typebox';
import { EffectiveConfigSchema } from '../access/access.schemas.js';

/** PATCH /v1/me/preferences: what the user sets in the app (G9, G10: preferences can only restrict). */
export const PreferencesPatch = Type.Object(
  {
    recording: Type.Optional(
      Type.Boolean({ description: 'G9: recording is on only if plan, admin setting and this are all on' }),
    ),
    crmOverlay: Type.Optional(
      Type.Boolean({ description: 'G9: the CRM overlay is on only if the admin setting and this are on' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PreferencesPatch = Static<typeof PreferencesPatch>;

/** The effective configuration (API.md), as GET /v1/me/config and the stream send it. */
export const MyConfig = EffectiveConfigSchema;

/** The answer to a preferences change: the stored preferences and the effective configuration they lead to. */
export const PreferencesAnswer = Type.Object({
  preferences: Type.Object({ recording: Type.Boolean(), crmOverlay: Type.Boolean() }),
  version: Type.Integer(),
  config: MyConfig,
});
export type PreferencesAnswer = Static<typeof PreferencesAnswer>;
