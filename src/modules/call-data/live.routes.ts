import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, Problem, TenantParams } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import type { RequestContext } from '../../infra/context.js';
import { hashToken } from '../../infra/crypto.js';
import { AppError } from '../../infra/errors.js';
import type { Executor } from '../../db/database.js';
import { consumeTicket } from '../stream/stream.repo.js';
import { LiveSnapshot, LiveStreamQuery } from './live.schemas.js';
import type { LiveService } from './live.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    liveContext?: RequestContext;
  }
}

/**
 * `GET …/live` (a snapshot) and `GET …/live/stream` (WebSocket: the snapshot, then a new one after every
 * stored batch). Needs the stream plugin (registered by the real-time module) first.
 */
export function registerLiveRoutes(app: Api, db: Executor, liveService: LiveService): void {
  app.get(
    '/v1/tenants/:t/live',
    {
      schema: {
        tags: ['Reports'],
        summary:
          'Live call statistics: calls waiting and in progress per queue and the calls in progress of the reader’s queues (dashboards:live_calls, Live Analytics Supervisor and up; G11); agent states for Contact Center Supervisors',
        params: TenantParams,
        response: { 200: LiveSnapshot, ...errorResponses },
      },
    },
    async (req) => liveService.snapshot(contextOf(req), req.params.t),
  );

  app.route({
    method: 'GET',
    url: '/v1/tenants/:t/live/stream',
    schema: {
      tags: ['Reports'],
      summary: 'Live call statistics pushed as call data arrives (WebSocket)',
      description:
        'Upgrade with `Authorization: Bearer <token>` or `?ticket=` (POST /v1/stream/tickets). The server sends ' +
        '`{"type":"live",...LiveSnapshot}` at once and after every stored batch of call records or agent events; ' +
        '`{"type":"refused","rule":..}` then close 4003 below the level (G15); `{"type":"revoked"}` then close 4001 ' +
        'when the session ends or the level is taken away.',
      params: TenantParams,
      querystring: LiveStreamQuery,
      response: { 101: Type.Null({ description: 'Switching Protocols' }), 426: Problem, ...errorResponses },
    },
    preValidation: async (req: FastifyRequest<{ Querystring: { ticket?: string } }>) => {
      if (req.headers.authorization || !req.query.ticket) {
        req.liveContext = contextOf(req);
        return;
      }
      const owner = await consumeTicket(db, hashToken(req.query.ticket));
      if (!owner)
        throw new AppError('invalid_token', 'the stream ticket is unknown, used, expired or its session ended');
      req.liveContext = {
        requestId: req.id,
        actor: {
          kind: 'user',
          id: owner.userId,
          tenantId: owner.tenantId,
          credential: `session:${owner.sessionId}`,
          sessionId: owner.sessionId,
        },
        clientAddr: req.ip ?? null,
      };
    },
    handler: async () => {
      throw new AppError('validation_failed', 'GET …/live/stream is a WebSocket: send "Upgrade: websocket"', {
        status: 426,
      });
    },
    wsHandler: async (socket, req) => {
      await liveService.watch(socket, req.liveContext!, req.params.t);
    },
  });
}
