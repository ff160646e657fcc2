import { Type, type Static } from '@sinclair/typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const LiveSnapshot = Type.Object(
  {
    at: Type.String(),
    queues: Type.Array(
      Type.Object({
        queueId: Nullable(Type.String()),
        label: Type.String(),
        waiting: Type.Integer(),
        inProgress: Type.Integer(),
        longestWaitSeconds: Type.Integer(),
        today: Type.Object({
          offered: Type.Integer(),
          answered: Type.Integer(),
          abandoned: Type.Integer(),
          missed: Type.Integer(),
        }),
      }),
    ),
    totals: Type.Object({ waiting: Type.Integer(), inProgress: Type.Integer() }),
    calls: Type.Array(
      Type.Object({
        conversationId: Type.String(),
        queueId: Nullable(Type.String()),
        state: Type.Union([Type.Literal('waiting'), Type.Literal('talking')]),
        callerNumber: Nullable(Type.String({ description: "the caller's number as the phone system sent it" })),
        startedAt: Type.String({ description: 'the first agent event of the conversation' }),
        answeredAt: Nullable(Type.String()),
        agents: Type.Array(Type.Object({ userId: Type.String(), label: Type.String() }), {
          description: 'who answered the call and has not started wrap-up on it',
        }),
      }),
      {
        description:
          'calls waiting and in progress, oldest first, of the queues the reader supervises (G11; every queue for ' +
          'the provider, a superuser, or while restrictToAssignedQueues is off); at most 50 per queue and 500 in all',
      },
    ),
    agents: Type.Union(
      [
        Type.Array(
          Type.Object({
            userId: Type.String(),
            label: Type.String(),
            state: Type.String({
              description: 'available, paused, wrap_up, on_call, logged_out or a phone-system state',
            }),
            reason: Nullable(Type.String()),
            since: Type.String(),
            queueIds: Type.Array(Type.String()),
          }),
        ),
        Type.Null(),
      ],
      { description: "agents' current states: Contact Center Supervisor (cc_data:view) only, else null" },
    ),
  },
  { $id: 'LiveSnapshot' },
);
export type LiveSnapshot = Static<typeof LiveSnapshot>;

export const LiveStreamQuery = Type.Object(
  {
    ticket: Type.Optional(Type.String({ minLength: 10, maxLength: 200, description: 'from POST /v1/stream/tickets' })),
  },
  { additionalProperties: false },
);
