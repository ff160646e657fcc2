import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Limit } from '../../http/common-schemas.js';
import { DIRECTIONS, DISPOSITIONS } from './call-data.schemas.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.String({ minLength: 1, maxLength: 200 });

const REPORT_DIMENSIONS = ['user', 'group', 'queue', 'hour', 'day'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** The period and filters every call report and its drill-down take. */
const filters = {
  from: Type.String({ format: 'date-time', description: 'start of the period (inclusive)' }),
  to: Type.String({ format: 'date-time', description: 'end of the period (exclusive); at most 366 days after from' }),
  direction: Type.Optional(literals(DIRECTIONS)),
  disposition: Type.Optional(literals(DISPOSITIONS)),
  queue: Type.Optional(Id),
  group: Type.Optional(Id),
  user: Type.Optional(Id),
  number: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the from or to number' })),
  format: Type.Optional(literals(['json', 'csv'] as const)),
};
export const CallFilters = Type.Object(filters, { additionalProperties: false });
export type CallFilters = Static<typeof CallFilters>;

export const CallReportQuery = Type.Object(
  {
    ...filters,
    by: literals(REPORT_DIMENSIONS),
    tz: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone of hour and day buckets (UTC)' })),
  },
  { additionalProperties: false },
);
export type CallReportQuery = Static<typeof CallReportQuery>;

const Figures = {
  total: Type.Integer(),
  answered: Type.Integer(),
  missed: Type.Integer({ description: 'no answer or busy' }),
  abandoned: Type.Integer(),
  avgWaitSeconds: Type.Number(),
  maxWaitSeconds: Type.Integer(),
  avgTalkSeconds: Type.Number(),
  maxTalkSeconds: Type.Integer(),
};
const CallReportRow = Type.Object({
  key: Type.Union([Type.String(), Type.Null()], { description: 'user, group or queue id, or the bucket' }),
  label: Type.String(),
  ...Figures,
});
type CallReportRow = Static<typeof CallReportRow>;
export const CallReport = Type.Object(
  {
    by: literals(REPORT_DIMENSIONS),
    from: Type.String(),
    to: Type.String(),
    rows: Type.Array(CallReportRow),
    totals: Type.Object(Figures),
  },
  { $id: 'CallReport' },
);
export type CallReport = Static<typeof CallReport>;

export const CallListQuery = Type.Object({ ...filters, cursor: Cursor, limit: Limit }, { additionalProperties: false });
export type CallListQuery = Static<typeof CallListQuery>;

export const StoredCall = Type.Object(
  {
    id: Type.String(),
    conversationId: Type.Union([Type.String(), Type.Null()]),
    startedAt: Type.String(),
    answeredAt: Type.Union([Type.String(), Type.Null()]),
    endedAt: Type.Union([Type.String(), Type.Null()]),
    direction: Type.String(),
    disposition: Type.String(),
    from: Type.Object({
      number: Type.Union([Type.String(), Type.Null()]),
      name: Type.Union([Type.String(), Type.Null()]),
    }),
    to: Type.Object({
      number: Type.Union([Type.String(), Type.Null()]),
      name: Type.Union([Type.String(), Type.Null()]),
    }),
    queueId: Type.Union([Type.String(), Type.Null()]),
    waitSeconds: Type.Integer(),
    talkSeconds: Type.Integer(),
    modelledFor: Type.Array(Type.String(), { description: 'the users this call is modelled for (Essential then)' }),
    recordings: Type.Integer({ description: 'how many recordings the call has' }),
  },
  { $id: 'StoredCall' },
);
export type StoredCall = Static<typeof StoredCall>;
export const StoredCallPage = Type.Object({
  items: Type.Array(StoredCall),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const PeriodQuery = Type.Object(
  {
    from: filters.from,
    to: filters.to,
    queue: Type.Optional(Id),
    user: Type.Optional(Id),
    serviceLevelSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, default: 20 })),
  },
  { additionalProperties: false },
);
export type PeriodQuery = Static<typeof PeriodQuery>;

const AgentReportRow = Type.Object({
  userId: Type.String(),
  label: Type.String(),
  offered: Type.Integer(),
  answered: Type.Integer(),
  missed: Type.Integer(),
  stateSeconds: Type.Record(Type.String(), Type.Number(), { description: 'seconds per state (logged out aside)' }),
  pauseSeconds: Type.Record(Type.String(), Type.Number(), { description: 'seconds paused per reason' }),
});
export const AgentReport = Type.Object({ from: Type.String(), to: Type.String(), rows: Type.Array(AgentReportRow) });
export type AgentReport = Static<typeof AgentReport>;

const QueueReportRow = Type.Object({
  queueId: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  offered: Type.Integer(),
  answered: Type.Integer(),
  answeredWithinServiceLevel: Type.Integer(),
  abandoned: Type.Integer(),
  missed: Type.Integer(),
  serviceLevel: Type.Union([Type.Number(), Type.Null()], {
    description: 'answered within serviceLevelSeconds over offered (0 to 1); null when none was offered',
  }),
  avgWaitSeconds: Type.Number(),
  maxWaitSeconds: Type.Integer(),
});
export const QueueReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  serviceLevelSeconds: Type.Integer(),
  rows: Type.Array(QueueReportRow),
});
export type QueueReport = Static<typeof QueueReport>;

export const DashboardQuery = Type.Object(
  {
    from: filters.from,
    to: filters.to,
    tz: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone of the hour buckets (UTC)' })),
  },
  { additionalProperties: false },
);
export type DashboardQuery = Static<typeof DashboardQuery>;

/** A dashboard's charts for a period: calls per hour, answer rate, by group and by queue. */
export const Dashboard = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    totals: Type.Object(Figures),
    answerRate: Type.Union([Type.Number(), Type.Null()], { description: 'answered over total (0 to 1)' }),
    perHour: Type.Array(CallReportRow),
    byGroup: Type.Array(CallReportRow),
    byQueue: Type.Array(CallReportRow),
  },
  { $id: 'Dashboard' },
);
export type Dashboard = Static<typeof Dashboard>;

/** A wallboard's large numbers: today so far (UTC day, or the given time zone's). */
export const WallboardQuery = Type.Object(
  { tz: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
export const Wallboard = Type.Object(
  {
    at: Type.String(),
    today: Type.Object(Figures),
    answerRate: Type.Union([Type.Number(), Type.Null()]),
    byQueue: Type.Array(CallReportRow),
  },
  { $id: 'Wallboard' },
);
export type Wallboard = Static<typeof Wallboard>;
