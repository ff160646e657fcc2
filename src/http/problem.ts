import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError } from '../infra/errors.js';

/** Seconds a client should wait before retrying while the database is unavailable. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Renders every error as RFC 9457 problem+json with a stable `code` (and `rule`, `field`) (E1, E2). */
export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  return {
    type: `https://switchboard.dev/problems/${code.replace(/_/g, '-')}`,
    title: code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
    status,
    detail,
    code,
    ...extra,
  };
}

function send(reply: FastifyReply, status: number, body: ReturnType<typeof problem>) {
  return reply.status(status).type('application/problem+json').send(body);
}

/** `/body/licences/0` -> `/licences/0`: fields are named as JSON pointers into the request body. */
function pointer(instancePath: string, missing?: string): string {
  const path = instancePath.replace(/^\/(body|querystring|params|headers)/, '');
  return missing ? `${path}/${missing}` : path || '/';
}

/**
 * The one mapping of a database outage, called first by every error handler (this one, SCIM's,
 * AuthZEN's): an error that means the database cannot answer now becomes `503 database_unavailable`
 * with `Retry-After`, so clients know a retry will work (the pool reconnects by itself). Any other
 * error comes back unchanged.
 */
export function mapDatabaseUnavailable(
  err: FastifyError | AppError,
  req: FastifyRequest,
  reply: FastifyReply,
): FastifyError | AppError {
  if (err instanceof AppError || !isDatabaseUnavailable(err)) return err;
  req.log.warn({ err }, 'database unavailable');
  reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
  return new AppError('database_unavailable', 'the database cannot be reached right now; retry shortly', {
    extra: { retryAfter: DATABASE_RETRY_AFTER_SECONDS },
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    const err = mapDatabaseUnavailable(error, req, reply);
    if (err instanceof AppError) {
      const extra: Record<string, unknown> = { ...err.options.extra };
      if (err.rule) extra.rule = err.rule;
      if (err.field) extra.field = err.field;
      if (err.status >= 500) req.log.error({ err }, 'internal error');
      return send(reply, err.status, problem(err.status, err.code, err.message, extra));
    }
    const fe = err;
    if (fe.validation) {
      const v = fe.validation[0]!;
      const params = v.params;
      const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
      const extraProp = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
      const where = `/${fe.validationContext ?? 'body'}${v.instancePath}`;
      const field = pointer(where, missing ?? extraProp);
      const detail = extraProp
        ? `unknown field ${field}`
        : missing
          ? `${field} is required`
          : `${field} ${v.message ?? 'is invalid'}`;
      return send(
        reply,
        400,
        problem(400, 'validation_failed', detail, {
          field,
          errors: fe.validation.map((e) => ({
            field: pointer(`/${fe.validationContext ?? 'body'}${e.instancePath}`),
            message: e.message,
          })),
        }),
      );
    }
    const status = fe.statusCode ?? 500;
    if (status === 413 || fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return send(reply, 413, problem(413, 'payload_too_large', 'the request body is too large', { field: '/' }));
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return send(reply, 415, problem(415, 'unsupported_media_type', 'send application/json'));
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return send(reply, 400, problem(400, 'validation_failed', 'the JSON body is empty', { field: '/' }));
    if (status === 429) return send(reply, 429, problem(429, 'rate_limited', fe.message || 'too many requests'));
    if (status >= 400 && status < 500)
      return send(reply, status, problem(status, 'validation_failed', fe.message, { field: '/' }));
    req.log.error({ err }, 'unhandled error');
    return send(reply, 500, problem(500, 'internal', 'an internal error occurred; it has been logged'));
  });

  app.setNotFoundHandler((req, reply) =>
    send(reply, 404, problem(404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`)),
  );
}
