import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import {
  collectionOf,
  operationsOf,
  queryString,
  Sampler,
  type IdsByCollection,
  type OpenApiDocument,
  type Operation,
} from './openapi-walk.js';
import type { Req } from './requests.js';
import { renewSessions, seedTenant, type CredentialKind, type SeededTenant } from './seed-tenant.js';

/**
 * E4, the cross-tenant sweep: every operation of the OpenAPI document, under every kind of
 * credential of tenant A (provider, administrator, plain user, API tokens, platform token), with
 * tenant B's ids in the path, the query and the body. B's resources must be indistinguishable from
 * resources that do not exist (same status, same code), no answer may carry anything of B the
 * request did not name, and nothing of B may change. Routes added later are swept the day they are
 * documented.
 */

/** `FUZZ_ONLY=groups` sweeps only the operations whose `METHOD /path` matches. */
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;

const CREDENTIALS: CredentialKind[] = ['provider', 'admin', 'plainUser', 'apiToken', 'narrowApiToken', 'platformToken'];

/** An id of the same shape as the real ones that names nothing. */
const missingId = (real: string) => real.replace(/_[^_]*$/, `_${'0'.repeat(9)}${'f'.repeat(16)}`);

function missingIds(ids: IdsByCollection): IdsByCollection {
  return Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.map(missingId)]));
}

/** What B must keep: its audit entries, its tenant row and its users' versions. */
async function tenantMark(server: TestServer, tenantId: string): Promise<string> {
  const r = await sql<{ mark: string }>`
    select concat_ws('/',
      (select count(*) from audit_log where tenant_id = ${tenantId}),
      (select version from tenants where id = ${tenantId}),
      (select max(version) from users where tenant_id = ${tenantId}),
      (select count(*) from sessions where tenant_id = ${tenantId})) as mark`.execute(server.deps.db);
  return r.rows[0]!.mark;
}

describeEachDatabase("isolation: every operation with another tenant's ids, under every credential (E4)", (kind) => {
  let server: TestServer;
  let doc: OpenApiDocument;
  let a: SeededTenant;
  let b: SeededTenant;

  beforeAll(async () => {
    // The sweep compares answers, so no budget may run out half-way (the limits have their own tests).
    server = await startTestServer(kind, {
      SWEEP_INTERVAL_MS: '3600000',
      RATE_LIMIT_BULK_PER_MINUTE: '100000',
      RATE_LIMIT_TENANT_BULK_PER_MINUTE: '100000',
      RATE_LIMIT_CHECKS_PER_MINUTE: '100000',
      RATE_LIMIT_TENANT_CHECKS_PER_MINUTE: '100000',
    });
    doc = server.app.swagger() as unknown as OpenApiDocument;
    a = await seedTenant(server, doc, 'Alpha');
    b = await seedTenant(server, doc, 'Bravo');
  }, 300_000);
  afterAll(() => server?.stop());

  /** One request: the path's tenant, the ids used for every other path, query and body id. */
  function build(op: Operation, cred: CredentialKind, tenant: string, ids: IdsByCollection, sampler: Sampler): Req {
    const pick = (param: string) =>
      param === 't' ? tenant : (ids[collectionOf(op.path, param)]?.[0] ?? missingId('x_1'));
    const url = op.path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(pick(p)));
    const query: Record<string, string> = {};
    for (const q of op.query) {
      const c = collectionOf(op.path, q.name);
      if (ids[c]?.[0] && c !== q.name) query[q.name] = ids[c][0];
    }
    const media = Object.keys(op.bodies)[0];
    const headers: Record<string, string> = { authorization: `Bearer ${a.credentials[cred]}` };
    if (!media) return { method: op.method, url: url + queryString(query), headers };
    headers['content-type'] = media;
    const body = sampler.sample(op.bodies[media]!, '', 0, true);
    return { method: op.method, url: url + queryString(query), headers, payload: JSON.stringify(body) };
  }

  const outcome = (res: LightMyRequestResponse) => {
    let code = '';
    try {
      const c = (JSON.parse(res.body) as { code?: unknown }).code;
      code = typeof c === 'string' ? c : '';
    } catch {
      /* not JSON: the status says it */
    }
    return res.statusCode >= 400 ? `${res.statusCode} ${code}` : `${Math.floor(res.statusCode / 100)}xx`;
  };

  /** B's names and ids this request did not carry: an answer must not hold any of them. */
  const leaked = (res: LightMyRequestResponse, request: Req) => {
    const sent = `${request.url} ${request.payload ?? ''}`;
    const secrets = [b.name, ...Object.values(b.ids).flat()].filter((s) => !sent.includes(s));
    return secrets.filter((s) => res.body.includes(s));
  };

  it("E4: another tenant's resources answer exactly as missing ones, under every credential; nothing leaks, nothing of it changes", async () => {
    const documented = operationsOf(doc).filter((op) => !op.public);
    expect(documented.length).toBeGreaterThan(50);
    const ops = ONLY ? documented.filter((op) => ONLY.test(op.name)) : documented;
    const bBefore = await tenantMark(server, b.id);
    const missing = missingIds(b.ids);
    const missingTenant = missingId(b.id);
    const defects: string[] = [];
    let compared = 0;

    for (const op of ops) {
      for (const cred of CREDENTIALS) {
        await renewSessions(server, a);
        const variants: Array<[string, IdsByCollection]> = [];
        // B's tenant in the path (the provider may act there, so only the others).
        if (op.pathParams.includes('t') && cred !== 'provider') variants.push([b.id, b.ids]);
        // A's own tenant in the path, B's ids everywhere else.
        variants.push([a.id, { ...b.ids, tenants: [a.id] }]);
        for (const [tenant, ids] of variants) {
          const crossTenant = tenant === b.id;
          const withB = build(op, cred, tenant, ids, new Sampler(doc, ids));
          const asMissing = build(
            op,
            cred,
            crossTenant ? missingTenant : a.id,
            crossTenant ? missing : { ...missing, tenants: [a.id] },
            new Sampler(doc, crossTenant ? missing : { ...missing, tenants: [a.id] }),
          );
          const x = await server.app.inject(withB);
          const found = leaked(x, withB);
          if (found.length && cred !== 'provider')
            defects.push(`${op.name} as ${cred}: the answer holds B's ${found.join(', ')}\n    ${withB.url}`);
          if (withB.url === asMissing.url && withB.payload === asMissing.payload) continue;
          const y = await server.app.inject(asMissing);
          compared++;
          if (outcome(x) !== outcome(y))
            defects.push(
              `${op.name} as ${cred}: B's ids answer ${outcome(x)}, missing ones ${outcome(y)}\n    ${withB.method} ${withB.url} ${(withB.payload ?? '').slice(0, 200)}\n    ${x.body.slice(0, 200)}`,
            );
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(ops.length);
    expect(defects, defects.join('\n\n')).toEqual([]);
    expect(await tenantMark(server, b.id)).toBe(bBefore);
  }, 900_000);
});
