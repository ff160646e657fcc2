import { Type, type Static } from '@sinclair/typebox';

const Id = Type.String({ minLength: 1, maxLength: 200 });

export const AgentStateRequest = Type.Object(
  {
    state: Type.Union([Type.Literal('available'), Type.Literal('paused'), Type.Literal('logged_out')]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'pause reason' })),
    queue: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type AgentStateRequest = Static<typeof AgentStateRequest>;

export const MonitorRequest = Type.Object(
  {
    conversationId: Id,
    mode: Type.Union([Type.Literal('listen'), Type.Literal('whisper'), Type.Literal('barge'), Type.Literal('steal')]),
  },
  { additionalProperties: false },
);
export type MonitorRequest = Static<typeof MonitorRequest>;

export const SupervisorRequestAnswer = Type.Object({ type: Type.String(), requested: Type.Literal(true) });
export type SupervisorRequestAnswer = Static<typeof SupervisorRequestAnswer>;
export const AgentParams = Type.Object({
  t: Type.String({ minLength: 1, maxLength: 100 }),
  id: Type.String({ minLength: 1, maxLength: 100 }),
});
