/**
 * SCIM filters (RFC 7644 §3.4.2.2) as SQL: a parsed filter becomes a WHERE condition over the SCIM
 * users' or groups' join, naming only allow-listed attributes, every value a bound parameter.
 */
import { sql, type RawBuilder } from 'kysely';
import { AppError } from '../../infra/errors.js';
import { resolveAttribute, type Multi, type Scalar, type ScimColumn } from './scim.attributes.js';
import type { Filter } from './scim.filter.js';

const COLUMNS: Record<ScimColumn, RawBuilder<unknown>> = {
  user_id: sql`s.user_id`,
  user_name: sql`s.user_name`,
  user_external_id: sql`s.external_id`,
  display_name: sql`u.display_name`,
  active: sql`(u.status = 'active')`,
  user_created: sql`s.created_at`,
  user_modified: sql`greatest(s.updated_at, u.updated_at)`,
  group_id: sql`g.id`,
  group_name: sql`g.name`,
  group_external_id: sql`sg.external_id`,
  group_created: sql`sg.created_at`,
  group_modified: sql`greatest(sg.updated_at, sg.created_at)`,
};

function invalid(detail: string): AppError {
  return new AppError('invalid_filter', detail, { field: '/filter', extra: { scimType: 'invalidFilter' } });
}

/** `doc -> 'a' -> 'b' ->> 'c'`, keys bound as parameters. */
function jsonText(doc: RawBuilder<unknown>, path: readonly string[]): RawBuilder<unknown> {
  let expr = doc;
  path.forEach((k, i) => {
    expr = i === path.length - 1 ? sql`(${expr} ->> ${k})` : sql`(${expr} -> ${k})`;
  });
  return expr;
}

/** Groups have no stored document. */
export const NO_DOC = sql`'{}'::jsonb`;

type Compare = Exclude<Filter, { op: 'and' | 'or' | 'not' | '[]' }>;

/** One comparison of a value expression (RFC 7644 §3.4.2.2), with the attribute's type and case rule. */
function compare(expr: RawBuilder<unknown>, type: Scalar['type'], caseExact: boolean, f: Compare): RawBuilder<unknown> {
  if (f.op === 'pr')
    return type === 'string' ? sql`(${expr} is not null and ${expr} <> '')` : sql`(${expr} is not null)`;
  const v = f.compValue;
  if (v === null) {
    if (f.op === 'eq') return sql`(${expr} is null)`;
    if (f.op === 'ne') return sql`(${expr} is not null)`;
    throw invalid(`${f.attrPath} ${f.op} null is not a comparison`);
  }
  if (type === 'boolean') {
    const b =
      typeof v === 'boolean'
        ? v
        : String(v).toLowerCase() === 'true'
          ? true
          : String(v).toLowerCase() === 'false'
            ? false
            : null;
    if (b === null || (f.op !== 'eq' && f.op !== 'ne'))
      throw invalid(`${f.attrPath} is a boolean: use eq or ne with true or false`);
    const text = sql`lower((${expr})::text)`;
    return f.op === 'eq' ? sql`(${text} = ${String(b)})` : sql`(${text} is distinct from ${String(b)})`;
  }
  if (type === 'dateTime') {
    const d = typeof v === 'string' ? new Date(v) : null;
    if (!d || Number.isNaN(d.getTime())) throw invalid(`${f.attrPath} is a dateTime: compare it with an RFC 3339 time`);
    const at = sql`${d.toISOString()}::timestamptz`;
    const ops = { eq: sql`=`, ne: sql`<>`, gt: sql`>`, ge: sql`>=`, lt: sql`<`, le: sql`<=` } as const;
    if (!(f.op in ops)) throw invalid(`${f.op} does not apply to the dateTime ${f.attrPath}`);
    return sql`(${expr} ${ops[f.op as keyof typeof ops]} ${at})`;
  }
  const value = caseExact ? String(v) : String(v).toLowerCase();
  const x = caseExact ? expr : sql`lower(${expr})`;
  switch (f.op) {
    case 'eq':
      return sql`(${x} = ${value})`;
    case 'ne':
      return sql`(${x} is distinct from ${value})`;
    case 'co':
      return sql`(strpos(${x}, ${value}) > 0)`;
    case 'sw':
      return sql`starts_with(${x}, ${value})`;
    case 'ew':
      return sql`(right(${x}, ${value.length}) = ${value})`;
    case 'gt':
      return sql`(${x} > ${value})`;
    case 'ge':
      return sql`(${x} >= ${value})`;
    case 'lt':
      return sql`(${x} < ${value})`;
    case 'le':
      return sql`(${x} <= ${value})`;
  }
}

interface Scope {
  attributes: Record<string, Scalar | Multi>;
  /** The resource document column of the row (`s.resource`), for JSON attributes. */
  doc: RawBuilder<unknown>;
}

/** Some element of a multi-valued attribute satisfies `cond` (written over the element `e`). */
function someElement(
  m: Multi,
  cond: (element: ElementScope) => RawBuilder<unknown>,
  scope: Scope,
): RawBuilder<unknown> {
  if (m.source === 'members') {
    return sql`exists (select 1 from users m join scim_users ms on ms.user_id = m.id where m.tenant_id = g.tenant_id and g.id = any(m.group_ids) and ${cond({ multi: m, value: () => sql`m.id` })})`;
  }
  const arr = sql`(${scope.doc} -> ${m.source.json[0]!})`;
  return sql`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(${arr}) = 'array' then ${arr} else '[]'::jsonb end) e where ${cond({ multi: m, value: (key) => sql`(e ->> ${key})` })})`;
}

/**
 * `value eq "x"` over the emails (alone or in an `and`, as in `emails[type eq "work"].value eq "x"`):
 * the element test is preceded by a containment test on the lower-cased email values, which the GIN
 * index `scim_users_email_values` answers, so the filter reads the few matching rows, not the tenant.
 */
function withEmailIndex(m: Multi, f: Filter, scope: Scope, exact: RawBuilder<unknown>): RawBuilder<unknown> {
  if (m.source === 'members' || m.source.json[0] !== 'emails' || scope.doc === NO_DOC) return exact;
  const values = (f.op === 'and' ? f.filters : [f]).flatMap((x) =>
    x.op === 'eq' && x.attrPath.toLowerCase() === 'value' && typeof x.compValue === 'string'
      ? [x.compValue.toLowerCase()]
      : [],
  );
  if (values.length === 0) return exact;
  return sql`(scim_email_values(${scope.doc}) @> ${values}::text[] and ${exact})`;
}

interface ElementScope {
  multi: Multi;
  value: (key: string) => RawBuilder<unknown>;
}

/** Translates a parsed filter to a WHERE condition, naming only allow-listed attributes; values are bound parameters. */
export function toSql(f: Filter, scope: Scope, element?: ElementScope): RawBuilder<unknown> {
  switch (f.op) {
    case 'and':
    case 'or':
      return sql`(${sql.join(
        f.filters.map((x) => toSql(x, scope, element)),
        f.op === 'and' ? sql` and ` : sql` or `,
      )})`;
    case 'not':
      return sql`(not coalesce(${toSql(f.filter, scope, element)}, false))`;
    case '[]': {
      if (element) throw invalid('value filters do not nest');
      const r = resolveAttribute(scope.attributes, f.attrPath);
      if (r.attr.kind !== 'multi') throw invalid(`${f.attrPath} is not multi-valued`);
      const m = r.attr;
      return withEmailIndex(
        m,
        f.valFilter,
        scope,
        someElement(m, (e) => toSql(f.valFilter, scope, e), scope),
      );
    }
    default: {
      if (element) {
        const sub = element.multi.subs[f.attrPath.toLowerCase()];
        if (!sub) throw invalid(`${f.attrPath} is not a sub-attribute here`);
        return compare(element.value(sub.key), sub.type, sub.caseExact, f);
      }
      const r = resolveAttribute(scope.attributes, f.attrPath);
      if (r.attr.kind === 'multi') {
        const sub = (r as { sub: Multi['subs'][string] }).sub;
        return withEmailIndex(
          r.attr,
          { ...f, attrPath: sub.key },
          scope,
          someElement(r.attr, (e) => compare(e.value(sub.key), sub.type, sub.caseExact, f), scope),
        );
      }
      const a = r.attr;
      const expr = a.kind === 'column' ? COLUMNS[a.column] : jsonText(scope.doc, a.path);
      return compare(expr, a.type, a.caseExact, f);
    }
  }
}
