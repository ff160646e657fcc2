import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import { MediaQuery, Playback, RecordingListQuery, RecordingPage, RecordingParams } from './recordings.schemas.js';
import type { RecordingsService } from './recordings.service.js';

export function registerRecordingRoutes(app: Api, recordings: RecordingsService): void {
  app.get(
    '/v1/tenants/:t/recordings',
    {
      schema: {
        tags: ['Recordings'],
        summary: 'Recordings of a period the caller may play, by their recording scope (recordings:play, CD4)',
        params: TenantParams,
        querystring: RecordingListQuery,
        response: { 200: RecordingPage, ...errorResponses },
      },
    },
    async (req) => recordings.list(contextOf(req), req.params.t, req.query),
  );
  app.post(
    '/v1/tenants/:t/recordings/:id/playback',
    {
      schema: {
        tags: ['Recordings'],
        summary:
          'A short-lived signed link to play a recording, within the recording scope (own, group, all; the conference rule); audited (CD4)',
        params: RecordingParams,
        response: { 200: Playback, ...errorResponses },
      },
    },
    async (req) => recordings.playback(contextOf(req), req.params.t, req.params.id),
  );
  app.get(
    '/v1/recordings/media',
    {
      config: { public: true },
      schema: {
        tags: ['Recordings'],
        summary:
          "The audio behind a playback link (the link is the credential; it expires); the phone system's storage stays hidden",
        querystring: MediaQuery,
      },
    },
    async (req, reply) => {
      const m = await recordings.media(req.query.link, req.headers.range);
      reply.code(m.status).type(m.type).header('cache-control', 'private, no-store');
      if (m.length) reply.header('content-length', m.length);
      if (m.range) reply.header('content-range', m.range);
      return reply.send(m.body);
    },
  );
}
