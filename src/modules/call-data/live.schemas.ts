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
