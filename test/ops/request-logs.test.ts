import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Server } from '../../src/app.js';
import { loadConfig } from '../../src/infra/config.js';
import { PROVIDER_TOKEN } from '../support/server.js';
import { insertSession } from '../support/fixtures.js';

/** ARCHITECTURE "Logs": every line of a request carries the request id, the tenant id and the actor id. */
describe('request logs', () => {
  const lines: Array<Record<string, unknown>> = [];
  let server: Server;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as never);
        done();
      },
    });
    server = await buildServer(
      loadConfig({ SWITCHBOARD_PROVIDER_TOKEN: PROVIDER_TOKEN, SWITCHBOARD_DATA_DIR: 'memory://', LOG_LEVEL: 'info' }),
      { logger: pino({ level: 'info' }, sink) },
    );
  });
  afterAll(() => server.close());

  it("bind a user's tenant and id to every line of the request", async () => {
    const created = await server.app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
      payload: { name: 'Logged' },
    });
    const tenantId = created.json<{ id: string }>().id;
    const user = await server.app.inject({
      method: 'POST',
      url: `/v1/tenants/${tenantId}/users`,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
      payload: { displayName: 'Lena Log', email: 'lena@log.example', permissions: ['website_access'] },
    });
    const userId = user.json<{ id: string }>().id;
    const { token } = await insertSession(server.deps.db, tenantId, userId, 'portal');

    const res = await server.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    const ofRequest = lines.filter((l) => l.reqId === res.headers['x-request-id']);
    expect(ofRequest.map((l) => l.msg)).toContain('request completed');
    for (const line of ofRequest.filter((l) => l.msg !== 'incoming request'))
      expect(line).toMatchObject({ tenantId, actorId: userId, actorType: 'user' });
  });

  it('bind the tenant the path names when the provider acts', async () => {
    const created = await server.app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
      payload: { name: 'Provided' },
    });
    const tenantId = created.json<{ id: string }>().id;
    await server.app.inject({
      method: 'GET',
      url: `/v1/tenants/${tenantId}/usage`,
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
    });
    const completed = lines.find(
      (l) => l.msg === 'request completed' && l.tenantId === tenantId && l.actorType === 'provider',
    );
    expect(completed).toMatchObject({ actorId: 'provider' });
  });
});
