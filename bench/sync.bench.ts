/**
 * Platform sync (P1) of 100,000 users, and POST /check over HTTP in batches.
 * Side by side in one run: PostgreSQL vs the embedded database for sync; batch sizes 1, 100, 1000
 * for /check (decisions per second), all through a real port.
 */
import { performance } from 'node:perf_hooks';
import { buildServer, type Server } from '../src/app.js';
import type { Queue, SnapshotResult, Tenant, UserPage } from '../src/contract/index.js';
import { loadConfig } from '../src/infra/config.js';
import { createTestDatabase, postgresReachable } from '../test/support/databases.js';

const USERS = Number(process.env.BENCH_SYNC_USERS ?? 100_000);
const QUEUES = 200;
const TOKEN = 'bench-provider-token-0123456789';

function snapshot(n: number, variant = 0) {
  const queues = Array.from({ length: QUEUES }, (_, i) => ({
    externalId: `q${i}`,
    name: `Queue ${i}`,
    kind: 'queue' as const,
    wrapUpSeconds: i % 3 === 0 ? 0 : 30,
  }));
  const users = Array.from({ length: n }, (_, i) => ({
    externalId: `ext-${i}`,
    // `variant` renames 1% of the users, for a realistic incremental sync.
    displayName: `User ${i}${variant && i % 100 === 0 ? ` v${variant}` : ''}`,
    email: `user${i}@bench.example`,
    extension: String(10_000 + i),
    devices:
      i % 4 === 0
        ? [
            {
              externalId: `dev-${i}`,
              name: `Desk ${i}`,
              kind: 'sip' as const,
              sip: { username: `u${i}`, password: `p${i}-secret`, realm: 'pbx.example' },
            },
          ]
        : [],
    acdQueues: i % 5 === 0 ? [] : [`q${i % QUEUES}`, `q${(i * 7) % QUEUES}`],
  }));
  return { users, queues };
}

/** One API call; answers the body the caller expects (T), or throws with the problem document. */
async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json as T;
}

async function withServer<T>(
  kind: 'postgres' | 'pglite',
  fn: (base: string, server: Server) => Promise<T>,
): Promise<T> {
  const db = kind === 'postgres' ? await createTestDatabase() : null;
  const server = await buildServer(
    loadConfig({
      SWITCHBOARD_PROVIDER_TOKEN: TOKEN,
      LOG_LEVEL: 'silent',
      SWITCHBOARD_DATA_DIR: 'memory://',
      ...(db ? { DATABASE_URL: db.url } : {}),
    }),
  );
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await fn(base, server);
  } finally {
    await server.close();
    await db?.drop();
  }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function syncRun(kind: 'postgres' | 'pglite') {
  return withServer(kind, async (base) => {
    const tenant = await call<Tenant>(base, 'POST', '/v1/tenants', { name: 'Bench', policies: { agentAddOn: 'auto' } });
    const path = `/v1/tenants/${tenant.id}/platform/snapshot`;
    const t0 = performance.now();
    const first = await call<SnapshotResult>(base, 'PUT', path, snapshot(USERS));
    const t1 = performance.now();
    const again = await call<SnapshotResult>(base, 'PUT', path, snapshot(USERS));
    const t2 = performance.now();
    const changed = await call<SnapshotResult>(base, 'PUT', path, snapshot(USERS, 1));
    const t3 = performance.now();
    const dry = await call<SnapshotResult>(base, 'PUT', `${path}?dryRun=true`, snapshot(USERS, 2));
    const t4 = performance.now();
    if (
      first.created !== USERS ||
      again.unchanged !== USERS ||
      changed.updated !== USERS / 100 ||
      dry.updated !== USERS / 100
    ) {
      throw new Error(
        `unexpected sync answers: ${JSON.stringify({ first: first.created, again: again.unchanged, changed: changed.updated, dry: dry.updated })}`,
      );
    }
    return { first: t1 - t0, unchanged: t2 - t1, onePercent: t3 - t2, dryRun: t4 - t3 };
  });
}

async function checkRun() {
  return withServer('postgres', async (base) => {
    const tenant = await call<Tenant>(base, 'POST', '/v1/tenants', {
      name: 'Checks',
      policies: { agentAddOn: 'auto' },
    });
    await call<SnapshotResult>(base, 'PUT', `/v1/tenants/${tenant.id}/platform/snapshot`, snapshot(10_000));
    const users = (await call<UserPage>(base, 'GET', `/v1/tenants/${tenant.id}/users?limit=500`)).items.map(
      (u) => u.id,
    );
    const queues = (await call<{ items: Queue[] }>(base, 'GET', `/v1/tenants/${tenant.id}/queues?limit=500`)).items.map(
      (q) => q.id,
    );
    const caps = ['users:view', 'reports:view', 'cc:agent', 'inbox:use', 'telephony:call', 'portal:use'];
    const rows: string[] = [];
    for (const batch of [1, 100, 1000]) {
      let decisions = 0,
        i = 0;
      const until = performance.now() + 4000;
      const lat: number[] = [];
      const worker = async () => {
        while (performance.now() < until) {
          const checks = Array.from({ length: batch }, () => {
            i++;
            return i % 2
              ? { userId: users[i % users.length], capability: caps[i % caps.length] }
              : {
                  userId: users[i % users.length],
                  capability: 'queue:join',
                  resource: `queue:${queues[i % queues.length]}`,
                };
          });
          const s = performance.now();
          await call<unknown>(base, 'POST', `/v1/tenants/${tenant.id}/check`, { checks });
          lat.push(performance.now() - s);
          decisions += batch;
        }
      };
      const start = performance.now();
      await Promise.all([worker(), worker(), worker(), worker()]);
      const elapsed = (performance.now() - start) / 1000;
      lat.sort((a, b) => a - b);
      rows.push(
        `| ${batch} | ${Math.round(decisions / elapsed).toLocaleString('en')} | ${lat[Math.floor(lat.length * 0.5)]!.toFixed(1)} ms | ${lat[Math.floor(lat.length * 0.99)]!.toFixed(1)} ms |`,
      );
    }
    return rows;
  });
}

export async function run(): Promise<string> {
  if (!(await postgresReachable())) return '## Platform sync and HTTP checks\n\nSkipped: PostgreSQL is not reachable.';
  const pg = await syncRun('postgres');
  const lite = await syncRun('pglite');
  const checks = await checkRun();
  return [
    `## Platform sync (P1) of ${USERS.toLocaleString('en')} users, and POST /check over HTTP`,
    '',
    `Snapshot: ${USERS.toLocaleString('en')} platform users (a quarter with a SIP device, 80% in two of ${QUEUES} ACD queues, automatic Agent add-on), sent over HTTP to a real port as one JSON body; the same server code on PostgreSQL and on the embedded database, one after the other.`,
    '',
    '| sync | PostgreSQL | embedded (PGlite) | goal (PostgreSQL) |',
    '|---|---:|---:|---:|',
    `| first import (creates all) | ${secs(pg.first)} | ${secs(lite.first)} | < 20 s |`,
    `| unchanged re-sync | ${secs(pg.unchanged)} | ${secs(lite.unchanged)} | < 5 s |`,
    `| 1% of users renamed | ${secs(pg.onePercent)} | ${secs(lite.onePercent)} | |`,
    `| dry run (1% renamed, nothing written) | ${secs(pg.dryRun)} | ${secs(lite.dryRun)} | |`,
    '',
    'POST /check over HTTP on PostgreSQL (tenant of 10,000 users; half unscoped, half queue-scoped checks; 4 concurrent clients for 4 s per batch size; every answer explained with grantedBy/blockedBy):',
    '',
    '| checks per request | decisions/s | p50 request | p99 request |',
    '|---:|---:|---:|---:|',
    ...checks,
  ].join('\n');
}
