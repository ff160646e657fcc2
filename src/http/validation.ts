import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';

/**
 * Request validation: bodies are validated strictly (a number is not a string: E2), while query
 * strings and path parameters, which are text on the wire, are coerced to their declared types.
 */
export function registerValidation(app: FastifyInstance): void {
  const common: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
  const strict = addFormats.default(new Ajv.default({ ...common, coerceTypes: false }));
  const coercing = addFormats.default(new Ajv.default({ ...common, coerceTypes: 'array' }));
  app.setValidatorCompiler<FastifySchema>(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema as object),
  );
}
