/**
 * Decisions at memory speed: POST /check (1, 100, 1,000 checks), dial-check (200 vs 2,000 queues,
 * alone and beside 1,000-check batches), each against a floor measured in the same run: a minimal
 * Fastify server that parses the same JSON body and answers the same bytes. Load comes from worker
 * threads (undici keep-alive pools), so the generator never shares the server's event loop. Then the
 * live snapshot's memory per warm user, and RSS across 2,000 tenants under a small budget.
 */
import os from 'node:os';
import Fastify from 'fastify';
import { buildServer, type Server } from '../src/app.js';
import type { Tenant } from '../src/contract/index.js';
import { loadConfig } from '../src/infra/config.js';
import { snapshotsOf } from '../src/modules/snapshot/snapshot-store.js';
import { createTestDatabase, postgresReachable } from '../test/support/databases.js';
import { insertPlatformUsers } from '../test/support/fixtures.js';
import { combine, LOAD_WORKERS, runLoad, type LoadResult } from './load-worker.js';

const SECONDS = Number(process.env.BENCH_DECISIONS_SECONDS ?? 4);
const USERS = Number(process.env.BENCH_DECISIONS_USERS ?? 5_000);
const TENANTS = Number(process.env.BENCH_DECISIONS_TENANTS ?? 2_000);
const PROVIDER = 'bench-provider-token-0123456789';

async function start(db: { url: string } | null, extra: Record<string, string> = {}): Promise<Server> {
  return buildServer(
    loadConfig({
      SWITCHBOARD_PROVIDER_TOKEN: PROVIDER,
      LOG_LEVEL: 'silent',
      SWITCHBOARD_DATA_DIR: 'memory://',
      // The throughput is what is measured here, not the per-credential rate limit (docs/operations.md).
      RATE_LIMIT_CHECKS_PER_MINUTE: String(1e9),
      ...(db ? { DATABASE_URL: db.url } : {}),
      ...extra,
    }),
  );
}

async function call<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** A tenant with `users` platform users over `queues` queues, and a platform token. */
async function seed(base: string, users: number, queues: number) {
  const t = (await call<Tenant>(base, PROVIDER, 'POST', '/v1/tenants', { name: `Bench ${queues}`, plan: 'record' })).id;
  await call(base, PROVIDER, 'PUT', `/v1/tenants/${t}/platform/snapshot`, {
    queues: Array.from({ length: queues }, (_, i) => ({
      externalId: `q${i}`,
      name: `Q${i}`,
      kind: 'queue',
      wrapUpSeconds: 0,
    })),
    users: Array.from({ length: users }, (_, i) => ({
      externalId: `e${i}`,
      displayName: `User ${i}`,
      email: `u${i}.${queues}@bench.example`,
      extension: String(10_000 + i),
      devices: [],
      acdQueues: i % 3 ? [`q${i % queues}`, `q${(i * 7) % queues}`] : [],
    })),
  });
  const token = (await call<{ token: string }>(base, PROVIDER, 'POST', `/v1/tenants/${t}/platform-tokens`, {})).token;
  const ids = (
    await call<{ items: Array<{ id: string }> }>(base, PROVIDER, 'GET', `/v1/tenants/${t}/users?limit=500`)
  ).items.map((u) => u.id);
  const queueIds = (
    await call<{ items: Array<{ id: string }> }>(base, PROVIDER, 'GET', `/v1/tenants/${t}/queues?limit=500`)
  ).items.map((q) => q.id);
  return { t, token, ids, queueIds };
}

/** Waits (at most two minutes) until the node's outbox has nothing pending (`/readyz` detail). */
async function outboxDrained(base: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const ready = (await (await fetch(`${base}/readyz`)).json()) as { outbox?: { pending: number } };
    if (!ready.outbox?.pending) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;

export async function run(): Promise<string> {
  const pg = await postgresReachable();
  const db = pg ? await createTestDatabase() : null;
  const server = await start(db);
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  // The floor: parse the same body, answer the same bytes.
  const floor = Fastify();
  let answer = '';
  floor.post('/*', async (req, reply) => {
    void req.body;
    return reply.type('application/json; charset=utf-8').send(answer);
  });
  const floorBase = await floor.listen({ port: 0, host: '127.0.0.1' });
  const out: string[] = [];
  try {
    const small = await seed(base, USERS, 200);
    const big = await seed(base, 2_000, 2_000);
    // The syncs wrote one change event per user to the outbox; its dispatch is not decision work.
    await outboxDrained(base);
    const busyBefore = os.loadavg()[0]! > os.cpus().length;
    const caps = ['users:view', 'reports:view', 'cc:agent', 'portal:use', 'telephony:call', 'inbox:use'];
    const checksOf = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        i % 2
          ? { userId: small.ids[i % small.ids.length]!, capability: caps[i % caps.length]! }
          : {
              userId: small.ids[i % small.ids.length]!,
              capability: 'queue:join',
              resource: `queue:${small.queueIds[i % small.queueIds.length]!}`,
            },
      );
    /**
     * Switchboard and the floor on the same request, in turns (Switchboard, floor, Switchboard,
     * floor; half the time each), so a drift in the machine's speed falls on both alike.
     */
    const side = async (path: string, body: unknown, token: string, connections: number) => {
      const text = JSON.stringify(body);
      answer = JSON.stringify(await call(base, token, 'POST', path, body));
      const half = { path, body: text, token, connections, seconds: SECONDS / 2 };
      const sb: LoadResult[] = [];
      const fl: LoadResult[] = [];
      for (let turn = 0; turn < 2; turn++) {
        sb.push(await runLoad({ url: base, ...half }));
        fl.push(await runLoad({ url: floorBase, ...half }));
      }
      return { sb: combine(sb), fl: combine(fl) };
    };
    const rows: string[] = [];
    const row = (name: string, per: number, r: { sb: LoadResult; fl: LoadResult }, unit: string) =>
      rows.push(
        `| ${name} | ${fmt(r.sb.perSecond * per)} ${unit} (p50 ${r.sb.p50.toFixed(1)}, p99 ${r.sb.p99.toFixed(1)} ms) | ` +
          `${fmt(r.fl.perSecond * per)} (p99 ${r.fl.p99.toFixed(1)} ms) | **${pct(r.sb.perSecond, r.fl.perSecond)}** |`,
      );
    const checkPath = `/v1/tenants/${small.t}/check`;
    // Warm-up (JIT, snapshots).
    await runLoad({
      url: base,
      path: checkPath,
      body: JSON.stringify({ checks: checksOf(100) }),
      token: PROVIDER,
      connections: 4,
      seconds: 1,
    });
    row(
      '`POST /check`, 1 check, 4 connections',
      1,
      await side(checkPath, { checks: checksOf(1) }, PROVIDER, 4),
      'decisions/s',
    );
    row(
      '`POST /check`, batches of 100, 4 connections',
      100,
      await side(checkPath, { checks: checksOf(100) }, PROVIDER, 4),
      'decisions/s',
    );
    row(
      '`POST /check`, batches of 1,000, 4 connections',
      1000,
      await side(checkPath, { checks: checksOf(1000) }, PROVIDER, 4),
      'decisions/s',
    );
    row(
      '`POST /check`, batches of 1,000, `explain: false`',
      1000,
      await side(checkPath, { checks: checksOf(1000), explain: false }, PROVIDER, 4),
      'decisions/s',
    );
    const dial = (s: typeof small) => ({ userId: s.ids[7]!, number: '+49 30 1234567', channel: 'call' });
    const d200 = await side(`/v1/tenants/${small.t}/dial-check`, dial(small), small.token, 16);
    const d2000 = await side(`/v1/tenants/${big.t}/dial-check`, dial(big), big.token, 16);
    row('dial-check, 16 connections, 200 queues', 1, d200, 'requests/s');
    row('dial-check, 16 connections, 2,000 queues', 1, d2000, 'requests/s');
    // Every call to a number not dialled before on this node: its classification (emergency, region)
    // is parsed, not remembered; half are home numbers (the tenant's home region is US), half German.
    // The floor answers the same bytes as above.
    const fresh = Array.from({ length: 200_000 }, (_, i) =>
      JSON.stringify({ ...dial(small), number: i % 2 ? `+49 30 ${2_000_000 + i}` : `+1 212 ${2_000_000 + i}` }),
    );
    const dFresh = await runLoad({
      url: base,
      path: `/v1/tenants/${small.t}/dial-check`,
      body: fresh[0]!,
      bodies: fresh,
      token: small.token,
      connections: 16,
      seconds: SECONDS,
    });
    row(
      'dial-check, 16 connections, a number not dialled before on every call',
      1,
      { sb: dFresh, fl: d200.fl },
      'requests/s',
    );
    // Dial-check while another client sends 1,000-check batches: one generator thread each, so the
    // generators do not outnumber the cores and the latency measured is the server's. Then the same
    // with 4 dial-check connections (a PBX's few), alone and beside the batches: the delay a batch
    // adds to a dial check, rather than the queueing of 16 connections at full load.
    const sendBatches = () =>
      runLoad({
        workers: 1,
        url: base,
        path: checkPath,
        body: JSON.stringify({ checks: checksOf(1000) }),
        token: PROVIDER,
        connections: 2,
        seconds: SECONDS,
      });
    const dialOn = (connections: number) =>
      runLoad({
        workers: 1,
        url: base,
        path: `/v1/tenants/${small.t}/dial-check`,
        body: JSON.stringify(dial(small)),
        token: small.token,
        connections,
        seconds: SECONDS,
      });
    const batches = sendBatches();
    const busy = await dialOn(16);
    const beside = await batches;
    const fewAlone = await dialOn(4);
    const fewBatches = sendBatches();
    const fewBeside = await dialOn(4);
    await fewBatches;

    // Memory per warm user: the tenant reloaded into the store, heap + ArrayBuffers before and after.
    const store = snapshotsOf(server.deps.db)!;
    const gc = globalThis.gc!;
    store.invalidate(small.t);
    // Two full collections: everything the dropped snapshot held is only all gone after the second.
    gc();
    gc();
    const m0 = process.memoryUsage();
    const snap = (await store.get(small.t))!;
    gc();
    gc();
    const m1 = process.memoryUsage();
    const perUser = (m1.heapUsed + m1.arrayBuffers - m0.heapUsed - m0.arrayBuffers) / snap.users.size;
    // Then four decisions with reasons asked about every user (the memo holds up to four per user):
    // three capabilities and a queue, remembered as a batch check would remember them.
    for (const user of snap.users.values()) {
      for (const c of caps.slice(0, 3)) snap.explain(user, c);
      snap.explain(user, 'queue:join', `queue:${small.queueIds[user.slot % small.queueIds.length]!}`);
    }
    gc();
    gc();
    const m2 = process.memoryUsage();
    const explainedPerUser = (m2.heapUsed + m2.arrayBuffers - m1.heapUsed - m1.arrayBuffers) / snap.users.size;

    out.push(
      '## Decisions at memory speed (live snapshot)',
      '',
      `One server on ${pg ? 'PostgreSQL' : 'the embedded database'}: a tenant of ${fmt(USERS)} platform users over 200 queues and one of 2,000 users over 2,000 queues. ` +
        `Load from ${LOAD_WORKERS} worker threads (undici keep-alive pools, ${SECONDS} s per row); the floor is a bare Fastify server in the same process that parses the same JSON body and answers the same bytes, measured in turns with Switchboard (Switchboard, floor, Switchboard, floor) with the same load. ` +
        'Checks are half tenant-wide, half queue-scoped, with reasons unless `explain: false`; dial checks use the platform token. ' +
        "Measured after the outbox had dispatched the seeding syncs' change events. " +
        (busyBefore
          ? `**Measured while other work loaded the ${os.cpus().length} cores** (see the load average below): the ratios are the figures to read.`
          : `The load generator (${LOAD_WORKERS} worker threads) shares the cores with the server under test and with the floor alike.`),
      '',
      '| path | Switchboard | floor | share of floor |',
      '|---|---:|---:|---:|',
      ...rows,
      '',
      `- Dial-check flat in queues: 2,000 queues answer at **${(d2000.sb.perSecond / d200.sb.perSecond).toFixed(2)}x** the rate of 200 queues (p99 ${d2000.sb.p99.toFixed(1)} vs ${d200.sb.p99.toFixed(1)} ms).`,
      `- Dial-check beside 1,000-check batches (2 connections sending batches; one generator thread each): ${fmt(busy.perSecond)} requests/s, **p99 ${busy.p99.toFixed(1)} ms** (alone: p99 ${d200.sb.p99.toFixed(1)} ms); the batches meanwhile ran at ${fmt(beside.perSecond * 1000)} decisions/s. With 4 dial-check connections: p50 ${fewAlone.p50.toFixed(1)}, **p99 ${fewAlone.p99.toFixed(1)} ms** alone, p50 ${fewBeside.p50.toFixed(1)}, **p99 ${fewBeside.p99.toFixed(1)} ms** beside the batches.`,
      `- Memory per warm user (the tenant of ${fmt(snap.users.size)} users reloaded into the store; heap + ArrayBuffers delta after \`gc()\`, bitsets and explainable state): **${fmt(perUser)} bytes** (the store's budget counts ${'700'} bytes per user); with four remembered explanations each (three capabilities and a queue), ${fmt(explainedPerUser)} bytes more: **${fmt(perUser + explainedPerUser)} bytes** in all (the store counts them too).`,
    );
  } finally {
    await server.close();
    await floor.close();
    await db?.drop();
  }
  out.push('', await manyTenants(pg));
  return out.join('\n');
}

/** RSS while 2,000 small tenants are used one after another under an 8 MB snapshot budget. */
async function manyTenants(pg: boolean): Promise<string> {
  const db = pg ? await createTestDatabase() : null;
  const server = await start(db, { SWITCHBOARD_SNAPSHOT_MEMORY_MB: '8' });
  try {
    const store = snapshotsOf(server.deps.db)!;
    const ids: string[] = [];
    for (let i = 0; i < TENANTS; i++) {
      const r = await server.app.inject({
        method: 'POST',
        url: '/v1/tenants',
        headers: { authorization: `Bearer ${PROVIDER}` },
        payload: { name: `Many ${i}` },
      });
      const t = (JSON.parse(r.body) as Tenant).id;
      await insertPlatformUsers(
        server.deps.db,
        t,
        Array.from({ length: 50 }, () => ({})),
      );
      ids.push(t);
    }
    globalThis.gc!();
    const rss0 = process.memoryUsage().rss;
    const samples: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      await store.get(ids[i]!);
      if ((i + 1) % (TENANTS / 4) === 0) {
        globalThis.gc!();
        const s = store.stats;
        samples.push(
          `| ${fmt(i + 1)} | ${fmt(s.tenants)} | ${(s.bytes / 2 ** 20).toFixed(1)} MB | ${((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(1)} MB |`,
        );
      }
    }
    return [
      `### ${fmt(TENANTS)} tenants under an 8 MB budget`,
      '',
      `${fmt(TENANTS)} tenants of 50 users each, used one after another (\`SWITCHBOARD_SNAPSHOT_MEMORY_MB=8\`); least recently used tenants are dropped past the budget, so RSS stays flat however many tenants pass through.`,
      '',
      '| tenants used | tenants held | snapshot estimate | RSS growth since the first |',
      '|---:|---:|---:|---:|',
      ...samples,
    ].join('\n');
  } finally {
    await server.close();
    await db?.drop();
  }
}
