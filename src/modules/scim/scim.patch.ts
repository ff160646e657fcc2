import { scimPatch, ScimError, type ScimPatchOperation } from 'scim-patch';
import { ENTERPRISE_USER } from './scim.attributes.js';
import { PATCH_OP, scimInvalid, toBoolean } from './scim.resources.js';

/** One PATCH operation after normalisation: lower-case op, booleans as booleans, one attribute per path. */
export interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const BOOLEAN_PATH = /(^|\.|:)(active|primary)$/i;

/**
 * Normalises a PatchOp request (RFC 7644 §3.5.2) as Entra ID and Okta send it: `Replace` for
 * `replace`, `"False"` for `false`, path-less value objects with dotted (`name.givenName`) and
 * enterprise-URN keys (`urn:…:User:department`) turned into one operation per attribute, and
 * `Remove` on `members` with a value array turned into one `members[value eq "…"]` removal each.
 */
export function normalisePatch(body: unknown): PatchOp[] {
  if (!isObject(body)) throw scimInvalid('a PATCH body is a PatchOp JSON object', '/', 'invalidSyntax');
  const schemas = body.schemas;
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.includes(PATCH_OP)))
    throw scimInvalid(`schemas must name ${PATCH_OP}`, '/schemas', 'invalidSyntax');
  const ops = body.Operations ?? body.operations;
  if (!Array.isArray(ops) || ops.length === 0)
    throw scimInvalid('Operations must be a non-empty array', '/Operations', 'invalidSyntax');
  if (ops.length > 1000) throw scimInvalid('at most 1000 operations', '/Operations', 'tooMany');
  return ops.flatMap((raw: unknown, i): PatchOp[] => {
    if (!isObject(raw)) throw scimInvalid('an operation is an object', `/Operations/${i}`, 'invalidSyntax');
    const op = typeof raw.op === 'string' ? raw.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw scimInvalid('op must be add, replace or remove', `/Operations/${i}/op`, 'invalidSyntax');
    const path = raw.path === undefined || raw.path === null || raw.path === '' ? undefined : raw.path;
    if (path !== undefined && typeof path !== 'string')
      throw scimInvalid('path must be a string', `/Operations/${i}/path`, 'invalidPath');
    if (path === undefined) {
      if (op === 'remove') throw scimInvalid('remove needs a path', `/Operations/${i}/path`, 'noTarget');
      if (!isObject(raw.value))
        throw scimInvalid(
          'an operation without a path needs an object value',
          `/Operations/${i}/value`,
          'invalidValue',
        );
      return flatten(raw.value).map(([p, v]) => ({ op, path: p, value: booleanFor(p, v, i) }));
    }
    if (op === 'remove' && path.toLowerCase() === 'members' && Array.isArray(raw.value))
      return raw.value.map((m: unknown) => {
        if (!isObject(m) || typeof m.value !== 'string')
          throw scimInvalid('each member needs a value', `/Operations/${i}/value`);
        return { op: 'remove' as const, path: `members[value eq ${JSON.stringify(m.value)}]` };
      });
    return [{ op, path, ...(raw.value !== undefined && { value: booleanFor(path, raw.value, i) }) }];
  });
}

/** `{name: {givenName}, "name.familyName", "urn:…:User:department", "urn:…:User": {…}}` -> one [path, value] per attribute. */
function flatten(value: Json, prefix = ''): Array<[string, unknown]> {
  return Object.entries(value).flatMap(([k, v]): Array<[string, unknown]> => {
    if (!prefix && k.toLowerCase() === ENTERPRISE_USER.toLowerCase() && isObject(v))
      return Object.entries(v).map(([sub, sv]) => [`${ENTERPRISE_USER}:${sub}`, sv]);
    const path = prefix ? `${prefix}.${k}` : k;
    if (!prefix && isObject(v) && !k.toLowerCase().startsWith('urn:')) return flatten(v, k);
    return [[path, v]];
  });
}

function booleanFor(path: string, value: unknown, i: number): unknown {
  if (BOOLEAN_PATH.test(path) && typeof value !== 'boolean' && value !== null)
    return toBoolean(value, `Operations/${i}/value`);
  if (isObject(value) && 'primary' in value)
    return { ...value, primary: toBoolean(value.primary, `Operations/${i}/value/primary`) };
  if (Array.isArray(value))
    return value.map((e: unknown) =>
      isObject(e) && 'primary' in e ? { ...e, primary: toBoolean(e.primary, `Operations/${i}/value`) } : e,
    );
  return value;
}

/** Applies normalised operations to a resource (scim-patch); its refusals become SCIM 400s with their scimType. */
export function applyPatch<T extends Json>(resource: T, ops: PatchOp[]): T {
  try {
    return scimPatch({ schemas: [], ...resource, meta: undefined } as never, ops as ScimPatchOperation[]);
  } catch (err) {
    if (err instanceof ScimError) throw scimInvalid(err.message, '/Operations', err.scimCode ?? 'invalidValue');
    throw err;
  }
}
