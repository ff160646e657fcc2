import { contextOf } from '../../http/authenticate.js';
import { errorResponses } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import { etag } from '../../infra/versioning.js';
import { MyConfig, PreferencesAnswer, PreferencesPatch } from './me.schemas.js';
import type { MeService } from './me.service.js';

/** GET /v1/me/config and PATCH /v1/me/preferences (GET /v1/me lives with the auth module). */
export function registerMeRoutes(app: Api, me: MeService): void {
  const tags = ['Me'];
  app.get(
    '/v1/me/config',
    {
      schema: {
        tags,
        summary: 'My effective configuration (what the stream sends first, D1)',
        response: { 200: MyConfig, ...errorResponses },
      },
    },
    async (req, reply) => {
      const config = await me.config(contextOf(req));
      return reply.header('etag', etag(config.version)).send(config);
    },
  );
  app.patch(
    '/v1/me/preferences',
    {
      schema: {
        tags,
        summary: 'Set my app preferences; they can only restrict (G9, G10)',
        body: PreferencesPatch,
        response: { 200: PreferencesAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const answer = await me.setPreferences(contextOf(req), req.body);
      return reply.header('etag', etag(answer.version)).send(answer);
    },
  );
}
