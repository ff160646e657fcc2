import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS, type ErrorCode } from '../catalog/errors.js';
import { AppError } from '../infra/errors.js';
import { problem } from './problem.js';

/**
 * Input that no route can use is refused at the door, the same way for every route (E1): a NUL
 * character anywhere in the URL or a JSON body, and lone UTF-16 surrogates in a JSON body. PostgreSQL
 * stores neither in text or jsonb, so letting them through turned bad input into server errors.
 */
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A `\u0000` or `\uD800`-`\uDFFF` escape in JSON text (a false positive only costs the exact walk). */
const MAY_HOLD_UNSTORABLE = /\\u(?:0000|d[89a-f])/i;

/** The JSON pointer of the first string (key or value) PostgreSQL cannot store, or null. */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return NUL.test(value) || LONE_SURROGATE.test(value) ? path || '/' : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}/${i}`);
      if (found) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const here = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (NUL.test(k) || LONE_SURROGATE.test(k)) return here;
    const found = findUnstorableText(v, here);
    if (found) return found;
  }
  return null;
}

/** A path segment longer than any id or name of the API (Fastify's `maxParamLength`, 100). */
const LONG_SEGMENT = /\/[^/]{101,}/;
const uriTooLong = () => new AppError('uri_too_long', 'a path segment is longer than 100 characters');

function unstorable(field: string): AppError {
  return new AppError('validation_failed', `${field} contains a NUL character or an unpaired surrogate`, {
    field,
    rule: 'E1',
  });
}

/**
 * A byte-order mark (U+FEFF) at the start of a string is an artefact of how a file was saved (a CSV
 * exported by a spreadsheet, a PBX export), never content. It is dropped from every string of a body,
 * so an external id, a name or an email reads back as it was compared: the embedded database's driver
 * decodes each text value with a BOM-stripping decoder, PostgreSQL's keeps it, and the two disagreed
 * (a second identical sync found no match for `\uFEFFext-1` on one of them and inserted it twice).
 */
const LEADING_BOM = /^\uFEFF+/;

/** Drops a leading U+FEFF from every string value of a parsed JSON body, in place; returns the value. */
function dropLeadingByteOrderMarks(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(LEADING_BOM, '');
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = dropLeadingByteOrderMarks(value[i]);
  } else {
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) obj[k] = dropLeadingByteOrderMarks(obj[k]);
  }
  return value;
}

/** A BOM in JSON text, raw or escaped (a false positive only costs the walk). */
const MAY_HOLD_BOM = /\uFEFF|\\ufeff/i;
/** `MAY_HOLD_UNSTORABLE` or `MAY_HOLD_BOM`, in one pass. */
const MAY_HOLD_EITHER = /\\u(?:0000|d[89a-f]|feff)|\uFEFF/i;

/** Registers the guards; call before any hook that reads the request (authentication included). */
export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('onRequest', (req, _reply, done) => {
    if (/%00/i.test(req.url) || req.url.includes('\u0000')) return done(unstorable('/'));
    // The router refuses a path parameter over 100 characters only when no wildcard route (the
    // portal's client-side routes, SCIM's unknown endpoints) takes the path instead: same answer for all.
    if (LONG_SEGMENT.test(req.url.split('?', 1)[0]!)) return done(uriTooLong());
    done();
  });
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    void parseJson(req, text, (err: Error | null, value?: unknown) => {
      if (err) return done(err);
      // JSON text carries a NUL or a lone surrogate only as a \u escape (raw control characters are
      // invalid JSON; decoded UTF-8 has no lone surrogates), so most bodies skip the walk.
      // One scan of the text for either; a body holding one is then looked at for each.
      if (!MAY_HOLD_EITHER.test(text)) return done(null, value);
      const field = MAY_HOLD_UNSTORABLE.test(text) ? findUnstorableText(value) : null;
      if (field) return done(unstorable(field));
      return done(null, MAY_HOLD_BOM.test(text) ? dropLeadingByteOrderMarks(value) : value);
    });
  });
}

function send(reply: FastifyReply, code: ErrorCode, detail: string) {
  const status = ERROR_STATUS[code];
  return reply
    .status(status)
    .type('application/problem+json')
    .send(problem(status, code, detail));
}

/** Fastify's own refusals before routing (bad percent-encoding, a path segment over the limit), as problems. */
export function frameworkErrors(error: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') void send(reply, 'uri_too_long', uriTooLong().message);
  else if (error.code === 'FST_ERR_BAD_URL')
    void send(reply, 'validation_failed', 'the URL is not valid (percent-encoding)');
  else void send(reply, 'malformed_request', error.message);
}

/** Errors of the HTTP parser itself (headers too large, not HTTP at all): answered as problems on the raw socket. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode = err.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'malformed_request';
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : ERROR_STATUS[code];
  const detail =
    status === 408
      ? 'the request took too long to arrive'
      : code === 'headers_too_large'
        ? 'the request headers are larger than 16 KB'
        : 'the request is not well-formed HTTP';
  const body = JSON.stringify(problem(status, status === 408 ? 'malformed_request' : code, detail));
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      `Connection: close\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
