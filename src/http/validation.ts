import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema, FastifySchemaValidationError } from 'fastify';
import { quickCheckOf } from './quick-check.js';

/**
 * Request validation: bodies are validated strictly (a number is not a string: E2), while query
 * strings and path parameters, which are text on the wire, are coerced to their declared types.
 */
const common: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
const strict = withFormats(new Ajv.default({ ...common, coerceTypes: false }));
const coercing = withFormats(new Ajv.default({ ...common, coerceTypes: 'array' }));

type Validate = ((data: unknown, ctx?: unknown) => boolean) & {
  errors?: FastifySchemaValidationError[] | null;
  schemaEnv?: unknown;
};

function compileBody(schema: object): Validate {
  const full = strict.compile(schema) as unknown as Validate;
  const quick = quickCheckOf(schema);
  if (!quick) return full;
  const validate: Validate = (data, ctx) => {
    if (quick(data)) return true;
    const ok = full(data, ctx);
    validate.errors = full.errors;
    return ok;
  };
  validate.schemaEnv = full.schemaEnv;
  return validate;
}

export function registerValidation(app: FastifyInstance): void {
  app.setValidatorCompiler<FastifySchema>(({ schema, httpPart }) =>
    httpPart === 'body' ? compileBody(schema) : coercing.compile(schema as object),
  );
}

/**
 * Validates input that arrives other than over HTTP (the operator's CLI) exactly as a request body:
 * returns the first problem as `field: message`, or null.
 */
export function validateAsBody(schema: object, value: unknown): string | null {
  const check = strict.compile(schema);
  if (check(value)) return null;
  const e = check.errors?.[0];
  return e ? `${e.instancePath || '/'} ${e.message ?? 'is invalid'}` : 'is invalid';
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * RFC 3339 date-times that the database can store and compare: years 0001 to 9999 and no leap
 * second (`:60`, which JavaScript and PostgreSQL cannot represent), so a filter never becomes a 500.
 */
export function isStorableDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, , , , , second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return year >= 1 && second < 60 && Number.isFinite(Date.parse(value));
}

function withFormats(ajv: Ajv.default): Ajv.default {
  addFormats.default(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: isStorableDateTime });
  return ajv;
}
