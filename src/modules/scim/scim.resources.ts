import type { RequestContext } from '../../infra/context.js';
import { AppError } from '../../infra/errors.js';
import { Email } from '../users/users.schemas.js';
import { ACCESS_GROUP, CORE_GROUP, CORE_USER, ENTERPRISE_USER } from './scim.attributes.js';
import type { ScimGroupRow, ScimUserRow } from './scim.repo.js';

/** SCIM resources (RFC 7643): what a request carries, what Switchboard keeps of it, what it answers. */
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

type Json = Record<string, unknown>;

export function scimInvalid(detail: string, field: string, scimType = 'invalidValue'): AppError {
  return new AppError('validation_failed', detail, { field, extra: { scimType } });
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Identity providers send booleans as strings ("True", "False"): both are read as booleans. */
export function toBoolean(v: unknown, field: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw scimInvalid(`${field} must be a boolean`, `/${field}`);
}

/** Attributes the server assigns: never kept from a request. */
const SERVER_OWNED = new Set(['id', 'meta', 'schemas', 'groups', 'password']);

/**
 * A User resource from a request, checked and cleaned: the columns (userName, externalId, active)
 * and the rest kept as the stored resource. Unknown top-level attributes are ignored (RFC 7644 §3.3).
 */
export function readUser(body: unknown): {
  userName: string;
  externalId: string | null;
  active: boolean;
  resource: Json;
} {
  if (!isObject(body)) throw scimInvalid('a User resource is a JSON object', '/', 'invalidSyntax');
  const { userName, externalId, active } = body;
  if (typeof userName !== 'string' || userName.trim() === '') throw scimInvalid('userName is required', '/userName');
  if (userName.length > 300) throw scimInvalid('userName is at most 300 characters', '/userName');
  if (externalId !== undefined && externalId !== null && typeof externalId !== 'string')
    throw scimInvalid('externalId must be a string', '/externalId');
  const resource: Json = {};
  for (const [k, v] of Object.entries(body)) {
    const key = KNOWN_USER_KEYS.get(k.toLowerCase());
    if (!key || SERVER_OWNED.has(key) || key === 'userName' || key === 'externalId' || key === 'active') continue;
    if (v === null) continue;
    resource[key] = v;
  }
  for (const multi of ['emails', 'phoneNumbers'] as const) {
    const list = resource[multi];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every(isObject))
      throw scimInvalid(`${multi} must be an array of objects`, `/${multi}`);
    resource[multi] = list.map((e, i) => {
      if (e.value !== undefined && typeof e.value !== 'string')
        throw scimInvalid(`${multi}[${i}].value must be a string`, `/${multi}/${i}/value`);
      return e.primary === undefined ? e : { ...e, primary: toBoolean(e.primary, `${multi}/${i}/primary`) };
    });
  }
  if (resource.name !== undefined && !isObject(resource.name)) throw scimInvalid('name must be an object', '/name');
  if (resource[ENTERPRISE_USER] !== undefined && !isObject(resource[ENTERPRISE_USER]))
    throw scimInvalid('the enterprise extension must be an object', `/${ENTERPRISE_USER}`);
  if (resource.displayName !== undefined && typeof resource.displayName !== 'string')
    throw scimInvalid('displayName must be a string', '/displayName');
  return {
    userName: userName.trim(),
    externalId: typeof externalId === 'string' ? externalId : null,
    active: active === undefined || active === null ? true : toBoolean(active, 'active'),
    resource,
  };
}

const KNOWN_USER_KEYS = new Map(
  [
    'userName',
    'externalId',
    'active',
    'name',
    'displayName',
    'nickName',
    'profileUrl',
    'title',
    'userType',
    'preferredLanguage',
    'locale',
    'timezone',
    'emails',
    'phoneNumbers',
    'ims',
    'photos',
    'addresses',
    'entitlements',
    'roles',
    'x509Certificates',
    ENTERPRISE_USER,
    ...SERVER_OWNED,
  ].map((k) => [k.toLowerCase(), k]),
);

/** The Switchboard display name of a SCIM user: displayName, else the formatted or given and family name, else userName. */
export function displayNameOf(userName: string, resource: Json): string {
  const name = isObject(resource.name) ? resource.name : {};
  const parts = [name.givenName, name.familyName].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  const candidates = [resource.displayName, name.formatted, parts.join(' '), userName];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '') ?? userName;
  return found.trim().slice(0, 200);
}

/** The users API's email pattern, with the `u` flag it is written for (as Ajv compiles it). */
const EMAIL = new RegExp(Email.pattern!, 'u');

/** The Switchboard email of a SCIM user: the primary (else the work, else the first) valid email, else userName when it is one. */
export function emailOf(userName: string, resource: Json): string | null {
  const emails = Array.isArray(resource.emails) ? (resource.emails as Json[]) : [];
  const ordered = [...emails.filter((e) => e.primary === true), ...emails.filter((e) => e.type === 'work'), ...emails];
  const valid = (v: unknown): v is string => typeof v === 'string' && v.length <= 254 && EMAIL.test(v);
  const hit = ordered.map((e) => e.value).find(valid);
  return hit ?? (valid(userName) ? userName : null);
}

export function presentUser(row: ScimUserRow, baseUrl: string): Json {
  const resource = row.resource;
  const enterprise = isObject(resource[ENTERPRISE_USER]) ? { [ENTERPRISE_USER]: resource[ENTERPRISE_USER] } : {};
  const emails =
    Array.isArray(resource.emails) && resource.emails.length > 0
      ? resource.emails
      : row.email
        ? [{ value: row.email, type: 'work', primary: true }]
        : undefined;
  const { [ENTERPRISE_USER]: _e, emails: _m, ...rest } = resource;
  return {
    schemas: [CORE_USER, ...(Object.keys(enterprise).length ? [ENTERPRISE_USER] : [])],
    id: row.id,
    ...(row.external_id !== null && { externalId: row.external_id }),
    userName: row.user_name,
    ...rest,
    displayName: row.display_name,
    ...(emails && { emails }),
    active: row.status === 'active',
    ...(row.group_ids.length > 0 && {
      groups: row.group_ids.map((g) => ({ value: g, $ref: `${baseUrl}/Groups/${g}` })),
    }),
    ...enterprise,
    meta: meta('User', row.id, row.created_at, row.modified_at, row.version, baseUrl),
  };
}

export function presentGroup(
  row: ScimGroupRow,
  members: Array<{ user_id: string; display_name: string }>,
  baseUrl: string,
): Json {
  const access = row.access_template || row.template_report.length > 0;
  return {
    schemas: [CORE_GROUP, ...(access ? [ACCESS_GROUP] : [])],
    id: row.id,
    ...(row.external_id !== null && { externalId: row.external_id }),
    displayName: row.name,
    members: members.map((m) => ({ value: m.user_id, display: m.display_name, $ref: `${baseUrl}/Users/${m.user_id}` })),
    ...(access && { [ACCESS_GROUP]: { accessTemplate: row.access_template, templateIssues: row.template_report } }),
    meta: meta('Group', row.id, row.created_at, row.modified_at, row.version, baseUrl),
  };
}

function meta(resourceType: string, id: string, created: Date, modified: Date, version: number, baseUrl: string) {
  return {
    resourceType,
    created: created.toISOString(),
    lastModified: modified.toISOString(),
    location: `${baseUrl}/${resourceType}s/${id}`,
    version: `W/"${version}"`,
  };
}

/** A Group resource from a request: displayName, externalId and member ids. */
export function readGroup(body: unknown): {
  displayName: string;
  externalId: string | null;
  members: string[] | undefined;
} {
  if (!isObject(body)) throw scimInvalid('a Group resource is a JSON object', '/', 'invalidSyntax');
  const displayName = Object.entries(body).find(([k]) => k.toLowerCase() === 'displayname')?.[1];
  if (typeof displayName !== 'string' || displayName.trim() === '' || displayName.length > 200)
    throw scimInvalid('displayName is required (1 to 200 characters)', '/displayName');
  const externalId = body.externalId;
  if (externalId !== undefined && externalId !== null && typeof externalId !== 'string')
    throw scimInvalid('externalId must be a string', '/externalId');
  return {
    displayName: displayName.trim(),
    externalId: typeof externalId === 'string' ? externalId : null,
    members: readMembers(body.members),
  };
}

export function readMembers(members: unknown): string[] | undefined {
  if (members === undefined || members === null) return undefined;
  if (!Array.isArray(members)) throw scimInvalid('members must be an array', '/members');
  return [
    ...new Set(
      members.map((m, i) => {
        if (!isObject(m) || typeof m.value !== 'string')
          throw scimInvalid('each member needs a value (a user id)', `/members/${i}`);
        return m.value;
      }),
    ),
  ];
}

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5): top-level names and `parent.sub`, without
 * regard to case; `id` and `schemas` are always returned.
 */
export function project(resource: Json, attributes?: string, excluded?: string): Json {
  const names = (s?: string) =>
    s
      ?.split(',')
      .map((a) => a.trim())
      .filter(Boolean)
      .map((a) =>
        a
          .replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '')
          // `emails[type eq "work"]` selects the attribute (the filter is not a selection: RFC 7644 §3.4.2.5).
          .replace(/\[.*\]/, '')
          .toLowerCase(),
      );
  const keep = names(attributes);
  const drop = names(excluded);
  const out: Json = {};
  for (const [k, v] of Object.entries(resource)) {
    const key = k.toLowerCase();
    if (key === 'id' || key === 'schemas') {
      out[k] = v;
      continue;
    }
    if (keep && keep.length > 0) {
      if (keep.includes(key)) out[k] = v;
      else {
        const subs = keep
          .filter((a) => a.startsWith(`${key}.`) || a.startsWith(`${key}:`))
          .map((a) => a.slice(key.length + 1));
        if (subs.length && isObject(v))
          out[k] = Object.fromEntries(Object.entries(v).filter(([s]) => subs.includes(s.toLowerCase())));
        else if (subs.length && Array.isArray(v))
          out[k] = v.map((e: unknown) =>
            isObject(e) ? Object.fromEntries(Object.entries(e).filter(([s]) => subs.includes(s.toLowerCase()))) : e,
          );
      }
      continue;
    }
    if (drop?.includes(key)) continue;
    out[k] = v;
  }
  return out;
}

/** A write to one SCIM resource (PUT or PATCH), as the routes hand it over: who, where, the body and If-Match. */
export interface ScimWrite {
  ctx: RequestContext;
  tenantId: string;
  id: string;
  body: unknown;
  baseUrl: string;
  ifMatch?: string | undefined;
}
