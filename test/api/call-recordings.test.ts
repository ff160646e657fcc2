/**
 * Recordings (CD4): the index from call records, playback by recording scope (own, group, all), the
 * conference rule, every playback audited, audio only through short-lived signed links.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditPage, IngestResult, Named, UserPage } from '../../src/contract/index.js';
import type { Playback, Recording } from '../../src/modules/call-data/recordings.schemas.js';
import { api, type ApiClient, type Page } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';

describeEachDatabase('call data: recordings', (kind) => {
  let server: TestServer;
  let storage: HttpServer;
  let storageUrl: string;
  let a: ApiClient;
  let t: string;
  const sessions: Record<string, string> = {};
  /** Calls start after the users were imported (they hold Essential from then on). */
  let start = 0;
  const at = (s: number) => new Date(start + s * 1000).toISOString();
  const period = () =>
    `from=${new Date(start - 3600_000).toISOString()}&to=${new Date(start + 3600_000).toISOString()}`;

  beforeAll(async () => {
    storage = createServer((req, res) => {
      res.setHeader('content-type', 'audio/wav');
      res.end(`audio of ${req.url!.slice(1)}`);
    });
    await new Promise<void>((r) => storage.listen(0, '127.0.0.1', r));
    storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;
    server = await startTestServer(kind);
    a = api(server);
    t = (await a.tenant()).id;
    const token = (await a.asProvider<{ token: string }>('POST', `/v1/tenants/${t}/platform-tokens`, {})).body.token;
    const names = ['ann', 'ben', 'cy', 'dan', 'eve', 'fay'];
    await a.call('PUT', `/v1/tenants/${t}/platform/snapshot`, {
      token,
      body: {
        users: names.map((n, i) => ({
          externalId: n,
          displayName: n,
          email: `${n}.${t}@pbx.example`,
          extension: String(400 + i),
          devices: [],
          acdQueues: [],
        })),
        queues: [],
      },
    });
    const users = (await a.asProvider<UserPage>('GET', `/v1/tenants/${t}/users?source=platform`)).body.items;
    const id = (n: string) => users.find((u) => u.externalId === n)!.id;
    const g1 = (await a.asProvider<Named>('POST', `/v1/tenants/${t}/groups`, { name: 'One' })).body.id;
    const g2 = (await a.asProvider<Named>('POST', `/v1/tenants/${t}/groups`, { name: 'Two' })).body.id;
    const scopes: Record<string, [string, string | null]> = {
      ann: ['own', g1],
      ben: ['group', g1],
      cy: ['own', g2],
      dan: ['own', null],
      eve: ['all', null],
    };
    for (const [n, [scope, group]] of Object.entries(scopes)) {
      const r = await a.asProvider('PATCH', `/v1/tenants/${t}/users/${id(n)}`, {
        permissions: ['website_access', 'recording_playback'],
        recordingScope: scope,
        ...(group && { groups: [group], primaryGroup: group }),
      });
      expect(r.status).toBe(200);
    }
    for (const n of names) sessions[n] = await a.session(t, id(n));
    start = Date.now() + 1000;

    const rec = (rid: string, s = 0) => ({ id: rid, location: `${storageUrl}/${rid}`, startedAt: at(s) });
    const call = (cid: string, s: number, fields: Record<string, unknown>) => ({
      id: cid,
      startedAt: at(s),
      direction: 'internal',
      disposition: 'answered',
      from: { number: '400' },
      to: { number: '401' },
      ...fields,
    });
    const stored = await a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/call-records`, {
      token,
      body: {
        records: [
          call('c1', 0, { from: { user: 'ann' }, to: { user: 'ben' }, recordings: [rec('rec1', 0)] }),
          call('c2', 10, {
            direction: 'outbound',
            from: { user: 'cy' },
            to: { number: '+4930123' },
            recordings: [rec('rec2', 10)],
          }),
          call('c3', 20, {
            from: { user: 'ann' },
            to: { number: '800' },
            participants: [
              { user: 'ann', role: 'source', joinedAt: at(20) },
              { user: 'cy', role: 'conference', joinedAt: at(80) },
            ],
            recordings: [rec('rec3a', 20), rec('rec3b', 140)],
          }),
          call('c4', 30, {
            from: { number: '+4930999' },
            to: { user: 'ben' },
            direction: 'inbound',
            participants: [
              { user: 'ben', role: 'destination', joinedAt: at(30) },
              { user: 'dan', role: 'transfer', joinedAt: at(90) },
            ],
            recordings: [rec('rec4a', 30), rec('rec4b', 120)],
          }),
        ],
      },
    });
    expect(stored.body).toMatchObject({ stored: 4 });
  });
  afterAll(async () => {
    await server?.stop();
    storage?.close();
  });

  const play = (who: string, rid: string) =>
    a.call<Playback>('POST', `/v1/tenants/${t}/recordings/${rid}/playback`, { token: sessions[who] });
  const playable = async (who: string) => {
    const out: string[] = [];
    for (const rid of ['rec1', 'rec2', 'rec3a', 'rec3b', 'rec4a', 'rec4b'])
      if ((await play(who, rid)).status === 200) out.push(rid);
    return out;
  };

  it("CD4: own scope plays the user's calls; a conference participant replays all of it, also before joining", async () => {
    expect(await playable('ann')).toEqual(['rec1', 'rec3a', 'rec3b']);
    expect(await playable('cy')).toEqual(['rec2', 'rec3a', 'rec3b']);
    const refused = await play('ann', 'rec2');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'forbidden', rule: 'CD4', scope: 'own' });
  });

  it('CD4: someone a call was transferred to hears what was recorded from when they joined', async () => {
    expect(await playable('dan')).toEqual(['rec4b']);
  });

  it("CD4: group scope plays the primary group's calls (and the user's own); all scope plays everything", async () => {
    expect(await playable('ben')).toEqual(['rec1', 'rec3a', 'rec3b', 'rec4a', 'rec4b']);
    expect(await playable('eve')).toEqual(['rec1', 'rec2', 'rec3a', 'rec3b', 'rec4a', 'rec4b']);
  });

  it('CD4: without Record Playback the recordings are refused; the list shows only what the scope reaches', async () => {
    const none = await play('fay', 'rec1');
    expect(none.status).toBe(403);
    expect(none.body).toMatchObject({ capability: 'recordings:play' });
    const list = await a.call<Page<Recording>>('GET', `/v1/tenants/${t}/recordings?${period()}`, {
      token: sessions.ann,
    });
    expect(list.body.items.map((r) => r.id).sort()).toEqual(['rec1', 'rec3a', 'rec3b']);
    expect((await play('ann', 'nope')).status).toBe(404);
  });

  it('CD4: audio only through a short-lived signed link; every playback is audited', async () => {
    const p = await play('cy', 'rec3a');
    expect(p.status).toBe(200);
    expect(p.body.url).not.toContain(storageUrl);
    expect(Date.parse(p.body.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    const audio = await a.call<string>('GET', p.body.url);
    expect(audio.status).toBe(200);
    expect(audio.headers['content-type']).toBe('audio/wav');
    expect(audio.body).toBe('audio of rec3a');

    const tampered = p.body.url.slice(0, -3) + (p.body.url.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await a.call('GET', tampered)).status).toBe(401);
    const claims = { t, r: 'rec3a', u: null, exp: Math.floor(Date.now() / 1000) - 1 };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const expired = await a.call(
      'GET',
      `/v1/recordings/media?link=${payload}.${server.deps.secrets.signature('recording-link', payload)}`,
    );
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toContain('expired');

    const audit = (await a.asProvider<AuditPage>('GET', `/v1/tenants/${t}/audit?limit=500`)).body.items.filter(
      (e) => e.action === 'recording.play',
    );
    expect(audit.some((e) => e.targetId === 'rec3a' && e.actorType === 'user')).toBe(true);
  });
});
