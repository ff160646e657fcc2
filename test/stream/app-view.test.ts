import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

/** The live app view is the portal's `/live` page (browser flow in test/e2e); `/app` keeps old links working. */
describe('live app view address', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(() => server.stop());

  it('F4: GET /app sends the browser to the portal live view', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/app' });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/live');
  });
});
