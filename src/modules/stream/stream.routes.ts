import { Type } from '@sinclair/typebox';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, Problem } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import { AppError } from '../../infra/errors.js';
import type { StreamIdentity } from './stream-hub.js';
import { streamIdentityOf, type StreamService } from './stream.service.js';

const StreamQuery = Type.Object(
  {
    since: Type.Optional(Type.Integer({ minimum: 0, description: 'D4: the last version the client holds' })),
    ticket: Type.Optional(
      Type.String({
        minLength: 10,
        maxLength: 200,
        description: 'D1: a ticket from POST /v1/stream/tickets (browsers)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** WebSocket close code 1001, "going away": the client SDK reconnects (to another node) and resumes. */
const GOING_AWAY = 1001;

const Ticket = Type.Object({ ticket: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });

declare module 'fastify' {
  interface FastifyRequest {
    streamIdentity?: StreamIdentity;
  }
}

/**
 * Registers the stream routes: `GET /v1/stream` (WebSocket), `POST /v1/stream/tickets` and the
 * app view at `GET /app`. Authentication happens before the upgrade, so a refused client gets a
 * problem+json HTTP answer (401/403) instead of a socket that closes at once.
 */
export async function registerStreamRoutes(app: Api, stream: StreamService): Promise<void> {
  await app.register(websocket, {
    options: { maxPayload: 4096 },
    // Shutdown (SIGTERM) begins here, before the listener stops: every socket (streams, live
    // statistics) closes with 1001 "going away", so clients reconnect at once, through the load
    // balancer, to another node and resume from their last version.
    preClose(this: FastifyInstance, done: () => void) {
      void stream.close();
      for (const client of this.websocketServer.clients) client.close(GOING_AWAY, 'server shutting down');
      // Stop taking upgrades; the closing handshakes finish on their own (ws ends them after 30 s).
      this.websocketServer.close();
      done();
    },
  });
  // An upgrade refused by a hook that runs before @fastify/websocket's own (the authenticator's, on a
  // bad token) leaves the socket open after the error answer, since Node detached it from HTTP:
  // close it, or each refused client leaks a socket and blocks shutdown.
  // Callback style: it runs on every request, and a promise per request shows on the hot paths.
  app.addHook('onResponse', (req, _reply, done) => {
    if (req.headers.upgrade && !req.raw.socket.destroyed) req.raw.socket.destroy();
    done();
  });
  const tags = ['Real-time'];

  app.post(
    '/v1/stream/tickets',
    {
      schema: {
        tags,
        summary: 'A single-use, 30-second ticket to open the stream, or one link or WebSocket, from a browser (D1)',
        description:
          "Without `resource`: a signed-in user's ticket for `GET /v1/stream` or the live statistics WebSocket " +
          '(`?ticket=`). With `resource` (a path, no query): a ticket that opens only that path, by a GET (a download ' +
          'link such as `/v1/usage?format=csv&ticket=`) or a WebSocket upgrade, once, as the caller; the provider ' +
          'gets only these. What the path shows is decided as for the caller itself (tenant isolation, capabilities).',
        body: Type.Optional(
          Type.Object(
            {
              resource: Type.Optional(
                Type.String({
                  pattern: '^/v1/[A-Za-z0-9._~%/:-]*$',
                  maxLength: 300,
                  description: 'The one path the ticket opens, e.g. `/v1/usage` or `/v1/tenants/{t}/live/stream`',
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 201: Ticket, ...errorResponses },
      },
    },
    async (req, reply) => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      return reply.status(201).send(await stream.issueTicket(contextOf(req), req.body?.resource, bearer));
    },
  );

  app.route({
    method: 'GET',
    url: '/v1/stream',
    schema: {
      tags,
      summary: 'The live effective configuration (WebSocket, D1-D6)',
      querystring: StreamQuery,
      description:
        'Upgrade to a WebSocket with `Authorization: Bearer <session token>` or `?ticket=`. The server sends ' +
        '`{"type":"config","version":n,"config":{..}}` first (or `{"type":"uptodate","version":n}` when `since` is current), ' +
        'then a config with a higher version after every committed change that alters it, and `{"type":"revoked","reason":".."}` ' +
        'before closing with code 4001. It answers `{"type":"ping"}` with `{"type":"pong"}`. See docs/realtime.md.',
      response: { 101: Type.Null({ description: 'Switching Protocols' }), 426: Problem, ...errorResponses },
    },
    // D1: a bearer header (apps) or a ticket (browsers). A cookie alone is not enough: browsers send
    // cookies on cross-site WebSocket upgrades, and the stream carries SIP credentials.
    preValidation: async (req: FastifyRequest<{ Querystring: { ticket?: string } }>) => {
      if (req.headers.authorization) req.streamIdentity = streamIdentityOf(contextOf(req).actor);
      else if (req.query.ticket) req.streamIdentity = await stream.redeemTicket(req.query.ticket);
      else
        throw new AppError(
          'unauthorized',
          'open the stream with "Authorization: Bearer <session token>" or ?ticket= from POST /v1/stream/tickets',
        );
    },
    handler: async () => {
      throw new AppError('validation_failed', 'GET /v1/stream is a WebSocket: send "Upgrade: websocket"', {
        status: 426,
      });
    },
    wsHandler: async (socket, req) => {
      const since = (req.query as { since?: number }).since ?? null;
      await stream.open(socket, req.streamIdentity!, since);
    },
  });

  // The live app view is the portal's (`/live`, built on the SDK's stream client); `/app` was its old address.
  app.get('/app', { config: { public: true }, schema: { hide: true } }, (_req, reply) => reply.redirect('/live', 301));
}
