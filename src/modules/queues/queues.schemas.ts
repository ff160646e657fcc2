import { Type, type Static } from '@sinclair/typebox';
import { NameText } from '../../http/common-schemas.js';

const Kind = Type.Union([Type.Literal('queue'), Type.Literal('inbox'), Type.Literal('campaign')]);
export const Queue = Type.Object(
  {
    id: Type.String(),
    externalId: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    kind: Kind,
    wrapUpSeconds: Type.Integer(),
    version: Type.Integer(),
    createdAt: Type.String(),
  },
  { $id: 'Queue' },
);
export type Queue = Static<typeof Queue>;

export const QueueCreate = Type.Object(
  {
    name: NameText,
    kind: Type.Optional(Kind),
    wrapUpSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 86400, description: '0 = no wrap-up (then no dispositions, G7)' }),
    ),
  },
  { additionalProperties: false },
);
export type QueueCreate = Static<typeof QueueCreate>;
export const QueuePatch = Type.Partial(QueueCreate, { additionalProperties: false });
export type QueuePatch = Static<typeof QueuePatch>;
