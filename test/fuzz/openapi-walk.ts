/**
 * Walks the served OpenAPI document: every documented operation, its parameters and request media
 * types, and a schema-driven sample of a request body. The fuzz and isolation suites build their
 * requests from it, so a route is covered the day it is documented.
 */

type Schema = Record<string, unknown>;
export type OpenApiDocument = { paths: Record<string, Record<string, unknown>>; components?: { schemas?: Schema } };

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The documented path template, `/v1/tenants/{t}/users/{id}`. */
  path: string;
  /** `GET /v1/tenants/{t}/users/{id}`: a test's name. */
  name: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Schema }>;
  /** Request body schema per media type (`application/json`, `application/scim+json`, `text/csv`, …). */
  bodies: Record<string, Schema>;
  /** Documented as needing no credential (`security: []`). */
  public: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      const op = item[m] as
        | {
            parameters?: Array<{ in: string; name: string; schema?: Schema }>;
            requestBody?: { content?: Record<string, { schema?: Schema }> };
            security?: unknown[];
          }
        | undefined;
      if (!op) continue;
      const params = op.parameters ?? [];
      const bodies: Record<string, Schema> = {};
      for (const [media, c] of Object.entries(op.requestBody?.content ?? {})) bodies[media] = c.schema ?? {};
      ops.push({
        method: m.toUpperCase() as Operation['method'],
        path,
        name: `${m.toUpperCase()} ${path}`,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        bodies,
        public: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  return ops;
}

/** Fills a path template; values are percent-encoded unless `raw`. */
export function fillPath(template: string, values: Record<string, string>, raw = false): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = values[name] ?? 'missing';
    return raw ? v : encodeURIComponent(v);
  });
}

export function queryString(values: Record<string, string | string[]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The collection a path parameter names: `{u}` and `{userId}` are users, `{id}` is the segment before it. */
export function collectionOf(path: string, param: string): string {
  if (param === 't' || param === 'tenant') return 'tenants';
  if (param === 'u' || param === 'userId' || param === 'target' || param === 'actor') return 'users';
  if (param === 'issuerId') return 'oidc-issuers';
  if (param === 'moveTo') return 'profiles';
  if (param === 'group') return 'groups';
  if (param === 'queue') return 'queues';
  const segments = path.split('/');
  const i = segments.indexOf(`{${param}}`);
  return i > 0 ? segments[i - 1]! : param;
}

/** Ids to use where a schema or a parameter asks for one, by collection (`users`, `groups`, …). */
export type IdsByCollection = Record<string, string[]>;

/** The collection a body field's ids belong to, from its name (`userId`, `groupIds`, `queues`, `primaryGroup`). */
function collectionOfField(name: string): string | null {
  const n = name.replace(/Ids?$/, '').toLowerCase();
  const known: Record<string, string> = {
    user: 'users',
    users: 'users',
    group: 'groups',
    groups: 'groups',
    primarygroup: 'groups',
    workspace: 'workspaces',
    workspaces: 'workspaces',
    queue: 'queues',
    queues: 'queues',
    profile: 'profiles',
    moveto: 'profiles',
    session: 'sessions',
  };
  return known[n] ?? null;
}

const STRING_CANDIDATES = ['x', 'users:view', 'fuzz@example.test', '+4930123456', '1000', 'PL', '/', 'a-b'];

export class Sampler {
  private counter = 0;
  constructor(
    private readonly doc: OpenApiDocument,
    /** Ids the sample uses for id-like fields. */
    private readonly ids: IdsByCollection,
  ) {}

  resolve(schema: Schema): Schema {
    const ref = schema.$ref;
    if (typeof ref === 'string') {
      const name = ref.replace('#/components/schemas/', '');
      return this.resolve((this.doc.components?.schemas?.[name] as Schema | undefined) ?? {});
    }
    return schema;
  }

  /** A value the schema accepts where it can tell (required members, or all when `full`; ids from `ids`; unique strings). */
  sample(input: Schema, field = '', depth = 0, full = false): unknown {
    const schema = this.resolve(input);
    if (depth > 8) return null;
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum)) return schema.enum[0];
    for (const k of ['anyOf', 'oneOf'] as const) {
      const options = schema[k] as Schema[] | undefined;
      if (options) {
        const pick = options.map((o) => this.resolve(o)).find((o) => o.type !== 'null') ?? options[0]!;
        return this.sample(pick, field, depth + 1, full);
      }
    }
    if (Array.isArray(schema.allOf))
      return Object.assign(
        {},
        ...((schema.allOf as Schema[]).map((s) => this.sample(s, field, depth + 1, full)) as object[]),
      );
    const type = Array.isArray(schema.type) ? (schema.type as string[])[0] : (schema.type as string | undefined);
    const collection = collectionOfField(field);
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        const props = (schema.properties ?? {}) as Record<string, Schema>;
        const keys = full ? Object.keys(props) : ((schema.required ?? []) as string[]);
        for (const key of keys) out[key] = props[key] ? this.sample(props[key], key, depth + 1, full) : 'x';
        return out;
      }
      case 'array': {
        const n = Math.max(1, Number(schema.minItems ?? 0));
        const items = (schema.items ?? {}) as Schema;
        if (collection && this.ids[collection]?.length) return this.ids[collection].slice(0, n);
        return Array.from({ length: n }, () => this.sample(items, field, depth + 1, full));
      }
      case 'integer':
      case 'number': {
        const min = Number(schema.minimum ?? schema.exclusiveMinimum ?? 0);
        const max = Number(schema.maximum ?? Math.max(min, 1));
        return Math.min(Math.max(min, 1), max);
      }
      case 'boolean':
        return false;
      case 'string':
        return this.sampleString(schema, field);
      default:
        return {};
    }
  }

  private sampleString(schema: Schema, field: string): string {
    const collection = collectionOfField(field);
    if ((collection && this.ids[collection]?.[0]) || (field === 'id' && this.ids.self?.[0]))
      return (collection ? this.ids[collection]![0] : this.ids.self![0])!;
    const format = schema.format as string | undefined;
    if (format === 'date-time') return new Date().toISOString();
    if (format === 'date') return new Date().toISOString().slice(0, 10);
    if (format === 'email') return `fuzz${++this.counter}@example.test`;
    // Never a real host: the server would try to reach it (OIDC discovery, webhook deliveries).
    if (format === 'uri' || format === 'url') return 'http://127.0.0.1:9/';
    const min = Number(schema.minLength ?? 1);
    const max = Number(schema.maxLength ?? 200);
    const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : null;
    const unique = `fuzz-${++this.counter}`;
    const candidates = [unique, ...STRING_CANDIDATES];
    for (const c of candidates) {
      const v = c.length < min ? c.padEnd(min, 'x') : c;
      if (v.length <= max && (!pattern || pattern.test(v))) return v;
    }
    return 'x'.repeat(Math.min(min, max));
  }
}
