import { Type, type Static } from '@sinclair/typebox';

/** PATCH /v1/me/preferences: what the user sets in the app (G9, G10: preferences can only restrict). */
export const PreferencesPatch = Type.Object({
  recording: Type.Optional(Type.Boolean({ description: 'G9: recording is on only if plan, admin setting and this are all on' })),
  crmOverlay: Type.Optional(Type.Boolean({ description: 'G9: the CRM overlay is on only if the admin setting and this are on' })),
}, { additionalProperties: false, minProperties: 1 });
export type PreferencesPatch = Static<typeof PreferencesPatch>;

const QueueConfig = Type.Object({ id: Type.String(), name: Type.String(), roles: Type.Array(Type.String()), capabilities: Type.Array(Type.String()) });

/** The effective configuration (API.md), as GET /v1/me/config and the stream send it. */
export const MyConfig = Type.Object({
  userId: Type.String(), tenantId: Type.String(), version: Type.Integer(), status: Type.String(),
  capabilities: Type.Array(Type.String()),
  queues: Type.Array(QueueConfig),
  features: Type.Object({
    calls: Type.Boolean(), sms: Type.Boolean(), recording: Type.Boolean(), crmOverlay: Type.Boolean(),
    dialRestriction: Type.Object({ enabled: Type.Boolean(), homeRegion: Type.String(), allowedRegions: Type.Array(Type.String()) }),
  }),
  softphone: Type.Union([Type.Null(), Type.Object({
    clients: Type.Array(Type.String()),
    device: Type.Object({ id: Type.String(), kind: Type.String(), sip: Type.Optional(Type.Object({ username: Type.String(), password: Type.String(), realm: Type.String() })) }),
  })]),
  supervisor: Type.Object({
    level: Type.String(), reports: Type.Boolean(), dashboards: Type.Boolean(), wallboards: Type.Boolean(), liveCalls: Type.Boolean(), ccData: Type.Boolean(),
  }),
});

/** The answer to a preferences change: the stored preferences and the effective configuration they lead to. */
export const PreferencesAnswer = Type.Object({
  preferences: Type.Object({ recording: Type.Boolean(), crmOverlay: Type.Boolean() }),
  version: Type.Integer(),
  config: MyConfig,
});
export type PreferencesAnswer = Static<typeof PreferencesAnswer>;
