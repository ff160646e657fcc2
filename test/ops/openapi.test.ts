import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

interface Response {
  description?: string;
  content?: Record<string, { schema?: unknown }>;
}
type Doc = {
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Record<string, { responses?: Record<string, Response> }>>;
};

/** The served OpenAPI document matches the wire (E1): problem+json errors by reference, real descriptions. */
describe('OpenAPI document', () => {
  let server: TestServer;
  let doc: Doc;
  beforeAll(async () => {
    server = await startTestServer('pglite');
    doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json<Doc>();
  });
  afterAll(() => server.stop());

  const responses = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, op]) =>
        Object.entries(op.responses ?? {}).map(([status, r]) => ({ where: `${method} ${path} ${status}`, status, r })),
      ),
    );

  it('E1: every error response is application/problem+json with the shared Problem schema', () => {
    expect(doc.components.schemas.Problem).toMatchObject({ required: ['type', 'title', 'status', 'detail', 'code'] });
    const errors = responses().filter((x) => Number(x.status) >= 400);
    expect(errors.length).toBeGreaterThan(100);
    const wrong = errors.filter(
      (x) =>
        JSON.stringify(x.r.content) !==
        JSON.stringify({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }),
    );
    expect(wrong.map((x) => x.where)).toEqual([]);
  });

  it('every response says what it is: no "Default Response"', () => {
    const vague = responses().filter((x) => !x.r.description || x.r.description === 'Default Response');
    expect(vague.map((x) => x.where)).toEqual([]);
  });
});
