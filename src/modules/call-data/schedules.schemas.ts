import { Type, type Static } from '@sinclair/typebox';
import { NameText } from '../../http/common-schemas.js';
import { CallReportQuery } from './reports.schemas.js';

const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** The saved report: a call report's dimension and filters; the period is the one before each run. */
export const SavedReport = Type.Pick(
  CallReportQuery,
  ['by', 'direction', 'disposition', 'queue', 'group', 'user', 'number'],
  { additionalProperties: false },
);
export type SavedReport = Static<typeof SavedReport>;

const fields = {
  name: NameText,
  report: SavedReport,
  recipients: Type.Array(Type.String({ format: 'email', maxLength: 254 }), {
    minItems: 1,
    maxItems: 20,
    uniqueItems: true,
  }),
  frequency: Type.Union(FREQUENCIES.map((f) => Type.Literal(f))),
  timeOfDay: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM in the time zone' }),
  dayOfWeek: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 7, description: 'weekly: 1 Monday … 7 Sunday (Monday when omitted)' }),
  ),
  dayOfMonth: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 28, description: 'monthly: the day of the month (the 1st when omitted)' }),
  ),
  timeZone: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the run time and the report (UTC)' }),
  ),
  enabled: Type.Optional(Type.Boolean({ default: true })),
};

export const ReportScheduleInput = Type.Object(fields, { additionalProperties: false });
export type ReportScheduleInput = Static<typeof ReportScheduleInput>;
export const ReportSchedulePatch = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
export type ReportSchedulePatch = Static<typeof ReportSchedulePatch>;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const ReportSchedule = Type.Object(
  {
    id: Type.String(),
    ownerId: Type.Union([Type.String(), Type.Null()], { description: 'the user who made it (null: the provider)' }),
    name: Type.String(),
    report: SavedReport,
    recipients: Type.Array(Type.String()),
    frequency: fields.frequency,
    timeOfDay: Type.String(),
    dayOfWeek: Type.Union([Type.Integer(), Type.Null()]),
    dayOfMonth: Type.Union([Type.Integer(), Type.Null()]),
    timeZone: Type.String(),
    enabled: Type.Boolean(),
    nextRunAt: Type.String(),
    lastRunAt: Nullable(Type.String()),
    lastError: Nullable(Type.String({ description: 'why the last run sent nothing' })),
    version: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'ReportSchedule' },
);
export type ReportSchedule = Static<typeof ReportSchedule>;
export const ReportSchedulePage = Type.Object({
  items: Type.Array(ReportSchedule),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const ReportScheduleSent = Type.Object({
  scheduleId: Type.String(),
  recipients: Type.Array(Type.String()),
  from: Type.String({ description: 'the period the report covers' }),
  to: Type.String(),
  rows: Type.Integer({ description: 'report rows in the CSV (the totals line aside)' }),
});
export type ReportScheduleSent = Static<typeof ReportScheduleSent>;
