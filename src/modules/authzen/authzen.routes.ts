import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { contextOf } from '../../http/authenticate.js';
import { mapDatabaseUnavailable } from '../../http/problem.js';
import type { Api } from '../../http/types.js';
import { AppError } from '../../infra/errors.js';
import {
  Decision,
  EvaluationRequest,
  EvaluationsRequest,
  EvaluationsResponse,
  PdpMetadata,
} from './authzen.schemas.js';
import type { AuthzenService } from './authzen.service.js';

const EVALUATION = '/access/v1/evaluation';
const EVALUATIONS = '/access/v1/evaluations';

/**
 * AuthZEN 1.0, HTTPS binding: errors that concern the whole request are 400, 401, 403 or 500 with an
 * error message string as the body (a deny is never an error: it is 200 `{"decision": false}`); while
 * the database cannot be reached, 503 with `Retry-After`, as on every other route.
 */
function authzenError(error: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) {
  const err = mapDatabaseUnavailable(error, req, reply);
  const invalid = err instanceof AppError ? undefined : err.validation?.[0];
  let status = err instanceof AppError ? err.status : invalid ? 400 : (err.statusCode ?? 500);
  // A database outage is 503 with Retry-After (the request will work again), not a fault to log as one.
  const outage = err instanceof AppError && err.code === 'database_unavailable';
  if (status >= 500 && !outage) {
    req.log.error({ err }, 'internal error');
    status = 500;
  } else if (!outage && ![400, 401, 403, 413, 415, 429].includes(status)) {
    // The specification's statuses: a tenant that no longer exists is the token's problem (403), any other refusal a bad request.
    status = status === 404 ? 403 : 400;
  }
  const message =
    status === 500
      ? 'an internal error occurred; it has been logged'
      : invalid
        ? `${invalid.instancePath || '/'} ${invalid.message ?? 'is invalid'}`
        : err.message;
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.status(status).type('text/plain; charset=utf-8').send(message);
}

/** The PDP's identifier: the configured public address, else the address the request came to. */
function pdpBase(req: FastifyRequest, publicUrl: string | undefined): string {
  return (publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/$/, '');
}

export function registerAuthzenRoutes(app: Api, authzen: AuthzenService, publicUrl: string | undefined): void {
  const tags = ['AuthZEN'];
  void app.register(async (scope: Api) => {
    scope.setErrorHandler(authzenError);
    // AuthZEN 1.0, request identification: the PEP's X-Request-ID comes back unchanged.
    scope.addHook('onSend', (req, reply, payload, done) => {
      const id = req.headers['x-request-id'];
      if (typeof id === 'string' && id.length > 0) reply.header('x-request-id', id);
      done(null, payload);
    });
    scope.get(
      '/.well-known/authzen-configuration',
      {
        config: { public: true },
        schema: { tags, summary: 'AuthZEN Policy Decision Point metadata', response: { 200: PdpMetadata } },
      },
      async (req) => {
        const base = pdpBase(req, publicUrl);
        return {
          policy_decision_point: base,
          access_evaluation_endpoint: `${base}${EVALUATION}`,
          access_evaluations_endpoint: `${base}${EVALUATIONS}`,
        };
      },
    );
    scope.post(
      EVALUATION,
      {
        schema: {
          tags,
          summary: 'AuthZEN Access Evaluation: may the subject (a user) do the action (a capability) on the resource?',
          body: EvaluationRequest,
          response: { 200: Decision },
        },
      },
      async (req) => authzen.evaluate(contextOf(req), req.body),
    );
    scope.post(
      EVALUATIONS,
      {
        schema: {
          tags,
          summary: 'AuthZEN Access Evaluations: many evaluations, with defaults and an evaluations_semantic',
          body: EvaluationsRequest,
          response: { 200: EvaluationsResponse },
        },
      },
      // The answer's JSON text is written from the snapshot's explanations (the schema above documents it).
      async (req, reply) => {
        const json = await authzen.evaluationsJson(contextOf(req), req.body);
        return reply.type('application/json; charset=utf-8').send(json as unknown as EvaluationsResponse);
      },
    );
  });
}
