/**
 * AuthZEN evaluations like POST /check: the same decisions asked through `POST /access/v1/evaluations`
 * and through `POST …/check`, side by side in one run on one server (same tenant, same API token, same
 * checks), batches of 1, 100 and 1,000, 4 connections from worker threads. The figure that matters
 * is the ratio: AuthZEN is a mapping over the same service method, so it should keep close to 1.
 */
import Fastify from 'fastify';
import { buildServer } from '../src/app.js';
import type { CreatedApiToken, LoginResult, Queue, Tenant, UserPage } from '../src/contract/index.js';
import { loadConfig } from '../src/infra/config.js';
import { createTestDatabase, postgresReachable } from '../test/support/databases.js';
import { combine, LOAD_WORKERS, runLoad, type LoadResult } from './load-worker.js';

const USERS = Number(process.env.BENCH_AUTHZEN_USERS ?? 2_000);
const QUEUES = 50;
const SECONDS = Number(process.env.BENCH_AUTHZEN_SECONDS ?? 3);
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;
const PROVIDER = 'bench-provider-token-0123456789';
const PASSWORD = 'correct horse battery staple';

async function call<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json as T;
}

interface Check {
  userId: string;
  capability: string;
  resource?: string;
}

export async function run(): Promise<string> {
  const pg = await postgresReachable();
  const db = pg ? await createTestDatabase() : null;
  const server = await buildServer(
    loadConfig({
      SWITCHBOARD_PROVIDER_TOKEN: PROVIDER,
      LOG_LEVEL: 'silent',
      SWITCHBOARD_DATA_DIR: 'memory://',
      // The throughput is what is measured here, not the per-credential rate limit (docs/operations.md).
      RATE_LIMIT_CHECKS_PER_MINUTE: String(1e9),
      ...(db ? { DATABASE_URL: db.url } : {}),
    }),
  );
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const tenant = await call<Tenant>(base, PROVIDER, 'POST', '/v1/tenants', { name: 'AuthZEN', plan: 'record' });
    const t = tenant.id;
    await call(base, PROVIDER, 'PUT', `/v1/tenants/${t}/platform/snapshot`, {
      queues: Array.from({ length: QUEUES }, (_, i) => ({
        externalId: `q${i}`,
        name: `Q${i}`,
        kind: 'queue',
        wrapUpSeconds: 0,
      })),
      users: Array.from({ length: USERS }, (_, i) => ({
        externalId: `e${i}`,
        displayName: `User ${i}`,
        email: `u${i}@bench.example`,
        extension: String(10_000 + i),
        devices: [],
        acdQueues: i % 3 ? [`q${i % QUEUES}`] : [],
      })),
    });
    await call(base, PROVIDER, 'POST', `/v1/tenants/${t}/users`, {
      displayName: 'PEP owner',
      email: 'pep@bench.example',
      password: PASSWORD,
      permissions: ['website_access', 'manage_users', 'rest_api_admin'],
    });
    const login = await call<LoginResult>(base, PROVIDER, 'POST', '/v1/auth/login', {
      email: 'pep@bench.example',
      password: PASSWORD,
      audience: 'portal',
    });
    const token = (
      await call<CreatedApiToken>(base, login.token, 'POST', `/v1/tenants/${t}/api-tokens`, {
        name: 'PEP',
        scopes: ['users:view'],
      })
    ).token;
    const users = (await call<UserPage>(base, PROVIDER, 'GET', `/v1/tenants/${t}/users?limit=500`)).items.map(
      (u) => u.id,
    );
    const queues = (await call<{ items: Queue[] }>(base, PROVIDER, 'GET', `/v1/tenants/${t}/queues?limit=500`)).items;
    const caps = ['users:view', 'reports:view', 'cc:agent', 'portal:use', 'telephony:call'];
    const checksOf = (n: number): Check[] =>
      Array.from({ length: n }, (_, i) =>
        i % 2
          ? { userId: users[i % users.length]!, capability: caps[i % caps.length]! }
          : {
              userId: users[i % users.length]!,
              capability: 'queue:join',
              resource: `queue:${queues[i % queues.length]!.id}`,
            },
      );
    const asEvaluations = (checks: Check[]) => ({
      evaluations: checks.map((c) => ({
        subject: { type: 'user', id: c.userId },
        action: { name: c.capability },
        resource: c.resource ? { type: 'queue', id: c.resource.slice('queue:'.length) } : { type: 'tenant', id: t },
      })),
    });
    // The floor: a bare Fastify server that parses the same body and answers the same bytes.
    const floor = Fastify();
    const answers = new Map<string, string>();
    floor.post('/*', async (req, reply) => reply.type('application/json; charset=utf-8').send(answers.get(req.url)));
    const floorBase = await floor.listen({ port: 0, host: '127.0.0.1' });
    const rows: string[] = [];
    try {
      const load = async (path: string, body: unknown) => {
        const text = JSON.stringify(body);
        answers.set(path, JSON.stringify(await call(base, token, 'POST', path, body)));
        const at = (url: string, seconds: number) => runLoad({ url, path, body: text, token, connections: 4, seconds });
        await at(base, 1); // warm-up (JIT, remembered explanations)
        // In turns, half the time each, so a drift in the machine's speed falls on both alike.
        const sb: LoadResult[] = [];
        const fl: LoadResult[] = [];
        for (let turn = 0; turn < 2; turn++) {
          sb.push(await at(base, SECONDS / 2));
          fl.push(await at(floorBase, SECONDS / 2));
        }
        return { sb: combine(sb), fl: combine(fl), bytes: text.length };
      };
      for (const batch of [1, 100, 1000]) {
        const checks = checksOf(batch);
        const check = await load(`/v1/tenants/${t}/check`, { checks });
        const authzen = await load('/access/v1/evaluations', asEvaluations(checks));
        const cell = (r: { sb: LoadResult; fl: LoadResult }) =>
          `${Math.round(r.sb.perSecond * batch).toLocaleString('en')} (p99 ${r.sb.p99.toFixed(1)} ms; ${pct(r.sb.perSecond, r.fl.perSecond)} of its floor)`;
        const kb = (n: number) => (n < 10_000 ? `${n} B` : `${Math.round(n / 1024)} KB`);
        rows.push(
          `| ${batch} | ${kb(check.bytes)} / ${kb(authzen.bytes)} | ${cell(check)} | ${cell(authzen)} | ${(authzen.sb.perSecond / check.sb.perSecond).toFixed(2)} | **${(authzen.sb.perSecond / authzen.fl.perSecond / (check.sb.perSecond / check.fl.perSecond)).toFixed(2)}** |`,
        );
      }
    } finally {
      await floor.close();
    }
    return [
      '## AuthZEN evaluations like POST /check',
      '',
      `The same decisions through \`POST /access/v1/evaluations\` and \`POST …/check\`, one server on ${pg ? 'PostgreSQL' : 'the embedded database'}, ${USERS.toLocaleString('en')} platform users in ${QUEUES} queues, one API token (scope \`users:view\`); half tenant-wide, half queue-scoped checks; 4 keep-alive connections from ${LOAD_WORKERS} worker threads for ${SECONDS} s per row (after a warm-up), /check first, then AuthZEN, each in turns with its floor (a bare Fastify server parsing the same body and answering the same bytes). Both answer with the reasons (\`grantedBy\`/\`blockedBy\`).`,
      '',
      '| checks per request | request body (check / AuthZEN) | POST /check decisions/s | AuthZEN decisions/s | AuthZEN / check | AuthZEN / check, each against its floor |',
      '|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
      "An AuthZEN request names each subject, action and resource as objects, so the same checks are about twice the JSON to read: the floor alone (which only parses and answers) slows with it. The last column compares each API's share of its own floor, the part of the work that is Switchboard's; the raw ratio beside it includes the larger body. On a machine shared with other work (see the load average below) the absolute figures say little; the ratios, measured side by side in the same run, are the figures.",
    ].join('\n');
  } finally {
    await server.close();
    await db?.drop();
  }
}
