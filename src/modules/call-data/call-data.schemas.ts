import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** The largest batch one ingestion request carries. */
const MAX_BATCH = 10_000;

const Id = Type.String({ minLength: 1, maxLength: 200 });
const Time = Type.String({ minLength: 10, maxLength: 40, description: 'RFC 3339 date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const Seconds = Type.Integer({ minimum: 0, maximum: 31 * 86_400 });

export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export const DISPOSITIONS = ['answered', 'no_answer', 'busy', 'failed', 'abandoned'] as const;
export const ROLES = ['source', 'destination', 'transfer', 'conference'] as const;
const AGENT_EVENT_TYPES = [
  'login',
  'logout',
  'state_change',
  'pause',
  'unpause',
  'queue_join',
  'queue_leave',
  'offered',
  'answered',
  'missed',
  'wrap_up_start',
  'wrap_up_end',
] as const;
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** One end of a call: a number, a name, and the user by the phone system's id when it is one. */
const Party = Type.Object(
  {
    number: Nullable(Type.String({ maxLength: 64 })),
    name: Nullable(Type.String({ maxLength: 200 })),
    user: Nullable(Id),
  },
  { additionalProperties: false },
);

export const Participant = Type.Object(
  {
    user: Nullable(Id),
    number: Nullable(Type.String({ maxLength: 64 })),
    role: literals(ROLES),
    joinedAt: Nullable(Time),
    leftAt: Nullable(Time),
    answeredAt: Nullable(Time),
  },
  { additionalProperties: false },
);
export type Participant = Static<typeof Participant>;

/** A call record as the phone system sends it (Asterisk CDR / call log shaped); see docs/call-data.md. */
export const CallRecordInput = Type.Object(
  {
    id: Id,
    conversationId: Nullable(Id),
    startedAt: Time,
    answeredAt: Nullable(Time),
    endedAt: Nullable(Time),
    direction: literals(DIRECTIONS),
    from: Party,
    to: Party,
    disposition: literals(DISPOSITIONS),
    queue: Nullable(Id),
    waitSeconds: Type.Optional(Seconds),
    talkSeconds: Type.Optional(Seconds),
    participants: Type.Optional(Type.Array(Participant, { maxItems: 100 })),
    recordings: Type.Optional(
      Type.Array(
        Type.Object(
          { id: Id, location: Type.String({ minLength: 1, maxLength: 2000 }), startedAt: Nullable(Time) },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
  },
  { $id: 'CallRecordInput', additionalProperties: false },
);
export type CallRecordInput = Static<typeof CallRecordInput>;

/** An ACD agent event (Asterisk queue_log / Amazon Connect agent event stream shaped). */
export const AgentEventInput = Type.Object(
  {
    id: Id,
    at: Time,
    user: Id,
    type: literals(AGENT_EVENT_TYPES),
    queue: Nullable(Id),
    reason: Nullable(Type.String({ maxLength: 200, description: 'pause reason' })),
    state: Nullable(Type.String({ maxLength: 100, description: 'the new state of a state_change' })),
    conversationId: Nullable(Id),
    callerNumber: Nullable(
      Type.String({ maxLength: 64, description: "the caller's number, on events about a conversation (live calls)" }),
    ),
  },
  { $id: 'AgentEventInput', additionalProperties: false },
);
export type AgentEventInput = Static<typeof AgentEventInput>;

const batch = (what: string) =>
  Type.Object(
    {
      records: Type.Array(Type.Unknown(), {
        minItems: 1,
        maxItems: MAX_BATCH,
        description: `up to ${MAX_BATCH} ${what}; each is checked on its own and an invalid one is counted, not fatal`,
      }),
    },
    { additionalProperties: false },
  );
export const CallRecordBatch = batch('call records (CallRecordInput)');
export const AgentEventBatch = batch('agent events (AgentEventInput)');

export type NotStoredReason = 'not_licensed' | 'unknown_user' | 'duplicate' | 'invalid';

export const IngestResult = Type.Object(
  {
    received: Type.Integer(),
    stored: Type.Integer(),
    notStored: Type.Object({
      not_licensed: Type.Integer(),
      unknown_user: Type.Integer(),
      duplicate: Type.Integer(),
      invalid: Type.Integer(),
    }),
    participants: Type.Optional(
      Type.Object(
        { modelled: Type.Integer(), notLicensed: Type.Integer(), unknownUser: Type.Integer() },
        { description: 'call records: the users named in the stored calls, by outcome' },
      ),
    ),
    errors: Type.Array(
      Type.Object({ index: Type.Integer(), id: Type.Union([Type.String(), Type.Null()]), reason: Type.String() }),
      { description: 'the first 100 records not stored as invalid, with why' },
    ),
  },
  { $id: 'IngestResult' },
);
export type IngestResult = Static<typeof IngestResult>;

export const CallDataSettings = Type.Object(
  {
    retentionDays: Type.Integer({ minimum: 1, maximum: 3650 }),
    retentionMaxDays: Type.Integer({ minimum: 1, maximum: 3650, description: 'set by the provider' }),
  },
  { $id: 'CallDataSettings' },
);
export type CallDataSettings = Static<typeof CallDataSettings>;
export const CallDataSettingsPatch = Type.Partial(CallDataSettings, { additionalProperties: false });
export type CallDataSettingsPatch = Static<typeof CallDataSettingsPatch>;
