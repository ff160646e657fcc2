import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Server } from '../../src/app.js';
import { collectionOf, queryString, type Operation, type Sampler } from './openapi-walk.js';
import type { CredentialKind, SeededTenant } from './seed-tenant.js';

/**
 * Malformed requests for one documented operation, as fast-check arbitraries: odd path and query
 * values (NUL, lone surrogates, BOMs, out-of-range dates, huge numbers, long strings, bad
 * percent-encoding), schema-valid bodies with one member broken, arbitrary JSON, text that is not
 * the media type it claims, and every kind of credential (or none). Half the values are the tenant's
 * real ids, so requests also get past "not found" into the services.
 */

export const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\uFEFFbom',
  '\u202Eevil',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:60Z',
  '2026-02-30T00:00:00Z',
  '-infinity',
  "'; drop table users; --",
  '../../etc/passwd',
  '%',
  '%zz',
  '%ED%A0%80',
  '\\',
  '"',
  '*',
  'users:*',
  'queue:q_1',
  'x'.repeat(101),
  'y'.repeat(5000),
  '😀'.repeat(60),
  '9'.repeat(40),
];

export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
);

const weirdJson: fc.Arbitrary<unknown> = fc.oneof(
  weirdString,
  fc.constantFrom(null, true, 0, -1, 2 ** 53, -(2 ** 63), 1e308, 0.5, [], {}),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(Array.from({ length: 2000 }, (_, i) => i)),
);

/** A path or query value percent-encoded; lone surrogates become the bytes of an invalid UTF-8 sequence. */
function encodePart(s: string, raw: boolean): string {
  if (raw && /^[\x21-\x7e]*$/.test(s) && !/[/?#]/.test(s)) return s;
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\s\S]/gu, (ch) => {
      const code = ch.codePointAt(0)!;
      if (code >= 0xd800 && code <= 0xdfff) return `%ED%${(0xa0 + ((code >> 6) & 0x1f)).toString(16)}%80`;
      return encodeURIComponent(ch);
    });
  }
}

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown }
  | { kind: 'none' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: weirdJson }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: fc.string({ maxLength: 20 }), value: weirdJson }),
  fc.constant({ kind: 'none' as const }),
);

/** Every location (object member or array item) of a JSON value, as [container, key]. */
function locations(value: unknown, out: Array<[Record<string, unknown> | unknown[], string | number]> = []) {
  if (Array.isArray(value))
    value.forEach((v, i) => {
      out.push([value, i]);
      locations(v, out);
    });
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Record<string, unknown>, k]);
      locations(v, out);
    }
  return out;
}

function mutate(sample: unknown, m: Mutation): unknown {
  const value = structuredClone(sample);
  if (m.kind === 'none') return value;
  const where = locations(value);
  if (m.kind === 'add') {
    const containers = [value, ...where.map(([c, k]) => (c as Record<string, unknown>)[k as string])].filter(
      (v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v),
    );
    if (!containers.length) return m.value;
    containers[m.at % containers.length]![m.key] = m.value;
    return value;
  }
  if (!where.length) return m.kind === 'replace' ? m.value : value;
  const [container, key] = where[m.at % where.length]!;
  if (m.kind === 'replace') (container as Record<string, unknown>)[key as string] = m.value;
  else if (Array.isArray(container)) container.splice(key as number, 1);
  else delete container[key as string];
  return value;
}

type Body =
  | { kind: 'none' }
  | { kind: 'sample'; media: string; full: boolean; mutation: Mutation }
  | { kind: 'json'; media: string; value: unknown }
  | { kind: 'text'; media: string; text: string };

export interface FuzzRequest {
  credential: CredentialKind | 'none';
  path: Record<string, string>;
  rawPath: boolean;
  query: Record<string, string | string[]>;
  body: Body;
  headers: Record<string, string>;
}

const CREDENTIALS: Array<CredentialKind | 'none'> = [
  'provider',
  'admin',
  'none',
  'plainUser',
  'apiToken',
  'narrowApiToken',
  'platformToken',
];

export function requestArbitrary(op: Operation, tenant: SeededTenant): fc.Arbitrary<FuzzRequest> {
  const idOr = (collection: string) => {
    const real = tenant.ids[collection] ?? [];
    return real.length
      ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...real) }, { weight: 2, arbitrary: weirdString })
      : weirdString;
  };
  const path = fc.record(
    Object.fromEntries(op.pathParams.map((p) => [p, p === 't' ? idOr('tenants') : idOr(collectionOf(op.path, p))])),
  ) as fc.Arbitrary<Record<string, string>>;
  const queryValue = (name: string) => {
    const v = fc.oneof(idOr(collectionOf(op.path, name)), weirdString);
    return fc.oneof({ weight: 4, arbitrary: v }, { weight: 1, arbitrary: fc.array(v, { minLength: 2, maxLength: 3 }) });
  };
  const documented = fc.record(Object.fromEntries(op.query.map((q) => [q.name, queryValue(q.name)])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Record<string, string | string[]>>;
  const extra = fc.option(fc.tuple(fc.string({ maxLength: 12 }), weirdString), { freq: 4 });
  const query = fc.tuple(documented, extra).map(([q, e]) => (e ? { ...q, [e[0] || 'x']: e[1] } : q));

  const media = Object.keys(op.bodies);
  const anyMedia = fc.constantFrom(...(media.length ? media : ['application/json']));
  const body: fc.Arbitrary<Body> = media.length
    ? fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({ kind: fc.constant('sample' as const), media: anyMedia, full: fc.boolean(), mutation }),
        },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('json' as const), media: anyMedia, value: weirdJson }) },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant('text' as const),
            media: fc.constantFrom(...media, 'text/plain', 'application/x-www-form-urlencoded', 'application/json'),
            text: fc.oneof(
              weirdString,
              fc.constantFrom('{', '{"a":', '[1,2', 'a,b\n1', '\uFEFF{}', '{"__proto__":{"x":1}}'),
            ),
          }),
        },
        { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
      )
    : fc.oneof(
        { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('json' as const), media: anyMedia, value: weirdJson }) },
      );
  const headers = fc.record(
    {
      'if-match': fc.oneof(
        weirdString,
        fc.nat().map((n) => `"${n}"`),
      ),
      'x-request-id': weirdString,
    },
    { requiredKeys: [] },
  );
  return fc.record({
    credential: fc.constantFrom(...CREDENTIALS),
    path,
    rawPath: fc.boolean(),
    query,
    body,
    headers,
  });
}

/** A request as `inject` takes it, with the URL and body as text. */
export interface Req {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** Turns a generated request into an `inject` call. */
export function toInject(op: Operation, r: FuzzRequest, tenant: SeededTenant, sampler: Sampler): Req {
  const url =
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodePart(r.path[name] ?? 'x', r.rawPath)) +
    queryString(r.query);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (/^[\t\x20-\x7e]*$/.test(v)) headers[k] = v;
  if (r.credential !== 'none') headers.authorization = `Bearer ${tenant.credentials[r.credential]}`;
  let payload: string | undefined;
  const b = r.body;
  if (b.kind === 'sample') {
    const schema = op.bodies[b.media] ?? {};
    const value = mutate(sampler.sample(schema, '', 0, b.full), b.mutation);
    payload = serialise(value, b.media);
    headers['content-type'] = b.media;
  } else if (b.kind === 'json') {
    payload = serialise(b.value, b.media);
    headers['content-type'] = b.media;
  } else if (b.kind === 'text') {
    payload = b.text;
    headers['content-type'] = b.media;
  }
  return { method: op.method, url, headers, ...(payload !== undefined && { payload }) };
}

function serialise(value: unknown, media: string): string {
  if (/json/.test(media)) return JSON.stringify(value) ?? 'null';
  if (typeof value === 'string') return value;
  // CSV and other text media: the sample's members as a header line and one row.
  const row = value && typeof value === 'object' ? Object.entries(value) : [['value', value]];
  return `${row.map(([k]) => String(k)).join(',')}\n${row.map(([, v]) => JSON.stringify(v)).join(',')}\n`;
}

/**
 * Protocols that prescribe their own error bodies: SCIM 2.0 (RFC 7644 section 3.12, an
 * `application/scim+json` Error message, which Switchboard gives a `code` too) and AuthZEN 1.0 (a
 * plain-text message); on their routes either form passes. Everything else answers errors as
 * problem+json with a `code` (E1).
 */
const PROTOCOL_ERRORS: Array<{ path: RegExp; check: (type: string, body: string, status: number) => string | null }> = [
  {
    path: /\/scim\/v2\//,
    check: (type, body, status) => {
      if (!type.includes('application/scim+json')) return `SCIM error ${status} as ${type || 'no content type'}`;
      const b = JSON.parse(body) as { schemas?: unknown; status?: unknown; code?: unknown };
      if (!Array.isArray(b.schemas) || !b.schemas.includes('urn:ietf:params:scim:api:messages:2.0:Error'))
        return `SCIM error ${status} without the Error schema`;
      if (b.status !== String(status)) return `SCIM error status ${String(b.status)} on a ${status}`;
      return typeof b.code === 'string' ? null : `SCIM error ${status} without a code`;
    },
  },
  {
    path: /^\/access\/v1\//,
    check: (type, body, status) =>
      type.startsWith('text/plain') && body.length > 0 ? null : `AuthZEN error ${status} as ${type || 'nothing'}`,
  },
];

/** What is wrong with an answer: a server error, or an error not in the form its protocol prescribes (E1). */
export function answerDefect(op: Operation, res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) return `answered ${res.statusCode}: ${res.body.slice(0, 300)}`;
  if (res.statusCode < 400) return null;
  const type = String(res.headers['content-type'] ?? '');
  try {
    // A refusal before routing (bad URL, NUL, a segment too long) knows no protocol: problem+json.
    const protocol = PROTOCOL_ERRORS.find((p) => p.path.test(op.path));
    if (protocol && !type.includes('application/problem+json')) return protocol.check(type, res.body, res.statusCode);
    if (!type.includes('application/problem+json')) return `error ${res.statusCode} as ${type || 'no content type'}`;
    const body = JSON.parse(res.body) as { code?: unknown; status?: unknown };
    if (typeof body.code !== 'string') return `error ${res.statusCode} without a code`;
    if (body.status !== res.statusCode) return `problem status ${String(body.status)} on a ${res.statusCode}`;
  } catch {
    return `error ${res.statusCode} body is not JSON: ${res.body.slice(0, 100)}`;
  }
  return null;
}

/** Where the audit log and the global change sequence (versions) stand. */
export interface ChangeMark {
  auditId: number;
  seq: string;
}

export async function changeMark(server: Server): Promise<ChangeMark> {
  const r = await sql<{ audit: string | null; seq: string }>`
    select (select max(id) from audit_log)::text as audit, (select last_value from change_seq)::text as seq`.execute(
    server.deps.db,
  );
  return { auditId: Number(r.rows[0]!.audit ?? 0), seq: r.rows[0]!.seq };
}

/**
 * What a refusal changed since `before`: versions, or audit entries other than records of the
 * attempt itself (a refused sign-in `*_refused`, a credential's use `*.use`), kept on purpose for the
 * security audit.
 */
export async function changedSince(server: Server, before: ChangeMark): Promise<string | null> {
  const now = await changeMark(server);
  if (now.seq !== before.seq) return `versions moved ${before.seq} -> ${now.seq}`;
  if (now.auditId === before.auditId) return null;
  const added = await server.deps.db
    .selectFrom('audit_log')
    .select('action')
    .where('id', '>', before.auditId)
    .execute();
  const changes = added.map((a) => a.action).filter((a) => !/(_refused|\.use)$/.test(a));
  return changes.length ? `audited ${changes.join(', ')}` : null;
}

export function describeRequest(o: Req): string {
  const body = o.payload?.slice(0, 300) ?? '';
  const h = { ...o.headers };
  if (h.authorization) h.authorization = 'Bearer …';
  const text = `${o.method} ${o.url} ${JSON.stringify(h)} ${body}`;
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
