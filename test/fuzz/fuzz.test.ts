import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { operationsOf, Sampler, type OpenApiDocument, type Operation } from './openapi-walk.js';
import { answerDefect, changedSince, changeMark, describeRequest, requestArbitrary, toInject } from './requests.js';
import { seedTenant, type SeededTenant } from './seed-tenant.js';

/**
 * E1 for every documented operation: malformed requests built from the served OpenAPI document
 * (fast-check, fixed seed) never answer 5xx, every error is problem+json with a `code`, and a
 * refusal changes nothing (no audit entry, no version). `FUZZ_RUNS` sets the requests per operation
 * (`npm run fuzz` runs many more); `FUZZ_SEED` replays another sequence.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
/** `FUZZ_ONLY=scim` fuzzes only the operations whose `METHOD /path` matches. */
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;

/** A stable seed per operation, so adding a route does not change the others' sequences. */
function seedOf(op: Operation): number {
  let h = SEED;
  for (const ch of op.name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

describeEachDatabase('fuzz: malformed requests to every documented operation (E1)', (kind) => {
  let server: TestServer;
  let doc: OpenApiDocument;
  let tenant: SeededTenant;
  let sampler: Sampler;

  beforeAll(async () => {
    // No sweeps during the run: a lapsing session would write an audit entry between two requests.
    server = await startTestServer(kind, { SWEEP_INTERVAL_MS: '3600000' });
    doc = server.app.swagger() as unknown as OpenApiDocument;
    tenant = await seedTenant(server, doc, 'Fuzzed');
    sampler = new Sampler(doc, tenant.ids);
  }, 300_000);
  afterAll(() => server?.stop());

  /** The seeded credentials still act (a fuzzed request may have signed out or removed their user). */
  async function freshCredentials(): Promise<void> {
    const me = await server.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${tenant.credentials.admin}` },
    });
    const t = await server.app.inject({
      method: 'GET',
      url: `/v1/tenants/${tenant.id}`,
      headers: { authorization: `Bearer ${tenant.credentials.provider}` },
    });
    if (me.statusCode !== 200 || t.statusCode !== 200) {
      tenant = await seedTenant(server, doc, 'Fuzzed');
      sampler = new Sampler(doc, tenant.ids);
    }
  }

  it(`E1: ${RUNS} malformed requests per operation answer below 500, as problem+json with a code; refusals change nothing`, async () => {
    const all = operationsOf(doc);
    expect(all.length).toBeGreaterThan(50);
    const ops = ONLY ? all.filter((op) => ONLY.test(op.name)) : all;
    const defects: string[] = [];
    let sent = 0;
    for (const op of ops) {
      await freshCredentials();
      const details = await fc.check(
        fc.asyncProperty(requestArbitrary(op, tenant), async (r) => {
          const request = toInject(op, r, tenant, sampler);
          const write = op.method !== 'GET';
          const before = write ? await changeMark(server) : null;
          const res = await server.app.inject(request);
          sent++;
          const defect = answerDefect(op, res);
          if (defect) throw new Error(`${defect}\n    as ${r.credential}: ${describeRequest(request)}`);
          const changed = before && res.statusCode >= 400 ? await changedSince(server, before) : null;
          if (changed)
            throw new Error(
              `the refusal ${res.statusCode} ${res.body.slice(0, 200)} ${changed}\n    as ${r.credential}: ${describeRequest(request)}`,
            );
        }),
        { seed: seedOf(op), numRuns: RUNS, endOnFailure: true },
      );
      if (details.failed)
        defects.push(
          `${op.name}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
        );
    }
    expect(sent).toBeGreaterThanOrEqual(ops.length);
    expect(defects, defects.join('\n\n')).toEqual([]);
  }, 900_000);
});
