import { STATUS_CODES } from 'node:http';
import { Problem } from './common-schemas.js';

type Json = Record<string, unknown>;
interface Operation {
  summary?: string;
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
}

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const;

/** What each error status means in this API (E1-E4); the `code` member says exactly which refusal. */
const ERROR_MEANING: Record<string, string> = {
  '400': 'The request is malformed or fails validation (`validation_failed`, with `field`).',
  '401': 'No valid credential (`unauthorized`, `invalid_token`, `invalid_credentials`).',
  '403': 'The credential may not do this; `rule` names the SPEC rule that refused.',
  '404': "Not found: also the answer for another tenant's resources (E4).",
  '409': 'Refused by the current state: a pool, seats, uniqueness or the last admin (`rule` says which).',
  '412': 'The `If-Match` version is not the current one (`version_conflict`, E3).',
  '413': 'The request body is too large.',
  '415': 'The body is not JSON.',
  '422': 'The change breaks a product rule; `rule` and `field` say which.',
  '429': 'Too many requests; `Retry-After` says when to try again.',
};

/**
 * The served OpenAPI document matches the wire: every error is `application/problem+json` with the
 * one shared `Problem` schema by reference (not inlined per response), and responses carry real
 * descriptions instead of the generator's "Default Response".
 */
export function finishOpenApiDocument<T extends Json>(doc: T): T {
  const { $id: _id, ...problem } = Problem as unknown as Json;
  const components = (doc.components ?? {}) as Json;
  components.schemas = { ...(components.schemas ?? {}), Problem: problem };
  (doc as Json).components = components;
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, Operation>>)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op?.responses) continue;
      for (const [status, response] of Object.entries(op.responses)) {
        const code = Number(status);
        if (code >= 400) {
          op.responses[status] = {
            description: ERROR_MEANING[status] ?? STATUS_CODES[code] ?? 'Error',
            content: { 'application/problem+json': { schema: PROBLEM_REF } },
          };
        } else if (!response.description || response.description === 'Default Response') {
          response.description = `${STATUS_CODES[code] ?? 'Success'}${op.summary ? `: ${op.summary}` : ''}`;
        }
      }
    }
  }
  return doc;
}
