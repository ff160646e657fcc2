import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Limit } from '../../http/common-schemas.js';

export const RecordingListQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    cursor: Cursor,
    limit: Limit,
  },
  { additionalProperties: false },
);
export type RecordingListQuery = Static<typeof RecordingListQuery>;

export const Recording = Type.Object(
  {
    id: Type.String({ description: "the phone system's recording id" }),
    callId: Type.String(),
    callStartedAt: Type.String(),
    startedAt: Type.Union([Type.String(), Type.Null()]),
    direction: Type.String(),
    disposition: Type.String(),
    fromNumber: Type.Union([Type.String(), Type.Null()]),
    toNumber: Type.Union([Type.String(), Type.Null()]),
    participants: Type.Array(Type.Object({ userId: Type.String(), role: Type.String() })),
  },
  { $id: 'Recording' },
);
export type Recording = Static<typeof Recording>;
export const RecordingPage = Type.Object({
  items: Type.Array(Recording),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const Playback = Type.Object(
  {
    url: Type.String({ description: 'a signed link to the audio, valid until expiresAt; never a permanent one' }),
    expiresAt: Type.String(),
  },
  { $id: 'Playback' },
);
export type Playback = Static<typeof Playback>;

export const RecordingParams = Type.Object({
  t: Type.String({ minLength: 1, maxLength: 100 }),
  id: Type.String({ minLength: 1, maxLength: 200 }),
});
export const MediaQuery = Type.Object(
  { link: Type.String({ minLength: 10, maxLength: 2000 }) },
  { additionalProperties: false },
);
