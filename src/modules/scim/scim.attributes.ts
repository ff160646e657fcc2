import { AppError } from '../../infra/errors.js';

/**
 * The SCIM attributes a filter may name (the allow-list), and where each lives. Names are matched
 * without regard to case (RFC 7643 §2.1); the enterprise extension's attributes may be named with
 * their schema URN (`urn:…:enterprise:2.0:User:department`). Data, read by the filter translator in
 * scim.repo.ts: the SQL it writes only ever names the columns listed here.
 */
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ACCESS_GROUP = 'urn:ietf:params:scim:schemas:extension:switchboard:2.0:Group';

export type ScimType = 'string' | 'boolean' | 'dateTime';

/** A single-valued attribute: a column, or a string inside the stored SCIM resource. */
export type Scalar =
  | { kind: 'column'; column: ScimColumn; type: ScimType; caseExact: boolean }
  | { kind: 'json'; path: string[]; type: ScimType; caseExact: boolean };

/** A multi-valued attribute (emails, phone numbers, members): a filter on it holds if some element matches. */
export interface Multi {
  kind: 'multi';
  /** Where the array is: in the stored resource, or the group's members (users whose groups hold it). */
  source: { json: string[] } | 'members';
  subs: Record<string, { key: string; type: ScimType; caseExact: boolean }>;
}

export type ScimColumn =
  | 'user_id'
  | 'user_name'
  | 'user_external_id'
  | 'display_name'
  | 'active'
  | 'user_created'
  | 'user_modified'
  | 'group_id'
  | 'group_name'
  | 'group_external_id'
  | 'group_created'
  | 'group_modified';

const str = (caseExact = false) => ({ type: 'string' as const, caseExact });
const json = (path: string[], caseExact = false): Scalar => ({ kind: 'json', path, ...str(caseExact) });
const col = (column: ScimColumn, type: ScimType = 'string', caseExact = false): Scalar => ({
  kind: 'column',
  column,
  type,
  caseExact,
});
const multi = (path: string, subs: string[]): Multi => ({
  kind: 'multi',
  source: { json: [path] },
  subs: Object.fromEntries(
    subs.map((s) => [
      s.toLowerCase(),
      { key: s, ...(s === 'primary' ? { type: 'boolean' as const, caseExact: false } : str()) },
    ]),
  ),
});

const ENTERPRISE_FIELDS = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'];

export const USER_FILTER_ATTRIBUTES: Record<string, Scalar | Multi> = {
  id: col('user_id', 'string', true),
  username: col('user_name'),
  externalid: col('user_external_id', 'string', true),
  displayname: col('display_name'),
  active: col('active', 'boolean'),
  'meta.created': col('user_created', 'dateTime'),
  'meta.lastmodified': col('user_modified', 'dateTime'),
  'name.formatted': json(['name', 'formatted']),
  'name.givenname': json(['name', 'givenName']),
  'name.familyname': json(['name', 'familyName']),
  'name.middlename': json(['name', 'middleName']),
  title: json(['title']),
  nickname: json(['nickName']),
  usertype: json(['userType']),
  preferredlanguage: json(['preferredLanguage']),
  locale: json(['locale']),
  timezone: json(['timezone']),
  emails: multi('emails', ['value', 'type', 'primary', 'display']),
  phonenumbers: multi('phoneNumbers', ['value', 'type', 'primary', 'display']),
  ...Object.fromEntries(ENTERPRISE_FIELDS.map((f) => [`enterprise:${f.toLowerCase()}`, json([ENTERPRISE_USER, f])])),
  'enterprise:manager.value': json([ENTERPRISE_USER, 'manager', 'value'], true),
  'enterprise:manager': json([ENTERPRISE_USER, 'manager', 'value'], true),
};

export const GROUP_FILTER_ATTRIBUTES: Record<string, Scalar | Multi> = {
  id: col('group_id', 'string', true),
  displayname: col('group_name'),
  externalid: col('group_external_id', 'string', true),
  'meta.created': col('group_created', 'dateTime'),
  'meta.lastmodified': col('group_modified', 'dateTime'),
  members: { kind: 'multi', source: 'members', subs: { value: { key: 'value', type: 'string', caseExact: true } } },
};

/** `emails.value` -> `emails` + `value`; enterprise URN prefixes become `enterprise:`; lower case throughout. */
export function normaliseAttrPath(path: string): string {
  const lower = path.toLowerCase();
  const urn = `${ENTERPRISE_USER.toLowerCase()}:`;
  if (lower.startsWith(urn)) return `enterprise:${lower.slice(urn.length)}`;
  for (const core of [CORE_USER, CORE_GROUP]) {
    const prefix = `${core.toLowerCase()}:`;
    if (lower.startsWith(prefix)) return lower.slice(prefix.length);
  }
  return lower;
}

/** Resolves a filter's attribute path against the allow-list: the attribute, and the sub-attribute of a multi-valued one. */
export function resolveAttribute(
  attributes: Record<string, Scalar | Multi>,
  attrPath: string,
): { attr: Scalar } | { attr: Multi; sub: Multi['subs'][string] } {
  const path = normaliseAttrPath(attrPath);
  const direct = attributes[path];
  if (direct && direct.kind !== 'multi') return { attr: direct };
  const [head, sub = 'value'] = direct ? [path, 'value'] : splitLast(path);
  const m = attributes[head];
  if (m?.kind === 'multi' && m.subs[sub]) return { attr: m, sub: m.subs[sub] };
  throw new AppError('invalid_filter', `the filter names ${attrPath}, which cannot be filtered on`, {
    field: '/filter',
    extra: { scimType: 'invalidFilter' },
  });
}

function splitLast(path: string): [string, string] {
  const i = path.lastIndexOf('.');
  return i < 0 ? [path, ''] : [path.slice(0, i), path.slice(i + 1)];
}
