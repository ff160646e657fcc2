/**
 * SCIM list with a filter (P2) over a tenant of BENCH_SCIM_USERS provisioned users (default 100,000):
 * p50/p95 of `GET …/scim/v2/Users?filter=userName eq "…"` (what Entra ID and Okta send before every
 * create) and of a value-path filter, against the floor measured in the same run on the same tenant:
 * the plain users list (`GET …/users?q=…`, the portal's search). Requests go through the server's
 * HTTP stack (inject), on PostgreSQL when one answers, else on the embedded database.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildServer } from '../src/app.js';
import type { Tenant } from '../src/contract/index.js';
import { loadConfig } from '../src/infra/config.js';
import { createTestDatabase, postgresReachable } from '../test/support/databases.js';
import { insertPlatformUsers } from '../test/support/fixtures.js';

const USERS = Number(process.env.BENCH_SCIM_USERS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_SCIM_REQUESTS ?? 200);
const TOKEN = 'bench-provider-token-0123456789';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function run(): Promise<string> {
  const pg = await postgresReachable();
  const db = pg ? await createTestDatabase() : null;
  const server = await buildServer(
    loadConfig({
      SWITCHBOARD_PROVIDER_TOKEN: TOKEN,
      LOG_LEVEL: 'silent',
      SWITCHBOARD_DATA_DIR: 'memory://',
      ...(db ? { DATABASE_URL: db.url } : {}),
    }),
  );
  try {
    const inject = async (url: string) => {
      const res = await server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return res.json<{ totalResults?: number; items?: unknown[] }>();
    };
    const created = await server.app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { name: 'SCIM bench', plan: 'record', homeRegion: 'PL' },
    });
    const t = created.json<Tenant>().id;
    const seedStart = performance.now();
    const email = (i: number) => `user${String(i).padStart(6, '0')}@scim.bench.example`;
    await insertPlatformUsers(
      server.deps.db,
      t,
      Array.from({ length: USERS }, (_, i) => ({
        email: email(i),
        display_name: `User ${String(i).padStart(6, '0')}`,
      })),
    );
    // Every user provisioned over SCIM: its resource as an identity provider sends it.
    await sql`insert into scim_users (user_id, tenant_id, user_name, external_id, resource)
      select id, tenant_id, email, id, jsonb_build_object(
        'name', jsonb_build_object('givenName', 'User', 'familyName', display_name),
        'emails', jsonb_build_array(jsonb_build_object('value', email, 'type', 'work', 'primary', true)))
      from users where tenant_id = ${t}`.execute(server.deps.db);
    await sql`analyze`.execute(server.deps.db);
    const seedMs = performance.now() - seedStart;

    const base = `/v1/tenants/${t}`;
    const pick = () => Math.floor(Math.random() * USERS);
    const cases: Array<{
      name: string;
      url: () => string;
      expect: (b: { totalResults?: number; items?: unknown[] }) => boolean;
    }> = [
      {
        name: 'floor: users list, `?q=` search (limit 50)',
        url: () => `${base}/users?q=${encodeURIComponent(email(pick()))}&limit=50`,
        expect: (b) => (b.items?.length ?? 0) >= 1,
      },
      {
        name: 'SCIM `userName eq "…"` (count 100)',
        url: () =>
          `${base}/scim/v2/Users?count=100&filter=${encodeURIComponent(`userName eq "${email(pick()).toUpperCase()}"`)}`,
        expect: (b) => b.totalResults === 1,
      },
      {
        name: 'SCIM `emails[type eq "work"].value eq "…"` (count 100)',
        url: () =>
          `${base}/scim/v2/Users?count=100&filter=${encodeURIComponent(`emails[type eq "work"].value eq "${email(pick())}"`)}`,
        expect: (b) => b.totalResults === 1,
      },
    ];
    const rows: string[] = [];
    let floorP95 = 0;
    for (const c of cases) {
      for (let i = 0; i < 5; i++) await inject(c.url()); // warm-up
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const url = c.url();
        const t0 = performance.now();
        const body = await inject(url);
        times.push(performance.now() - t0);
        if (!c.expect(body)) throw new Error(`${c.name}: unexpected answer for ${url}`);
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      const p95 = percentile(times, 95);
      if (!floorP95) floorP95 = p95;
      rows.push(`| ${c.name} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${(p95 / floorP95).toFixed(2)} |`);
    }
    return [
      `## SCIM list with a filter (${USERS.toLocaleString('en')} users, ${server.deps.dbKind})`,
      '',
      `${REQUESTS} requests per row through the HTTP stack (inject), each for a random user; seeding took ${(seedMs / 1000).toFixed(1)} s.`,
      "The floor is the plain users list on the same tenant in the same run; the ratio is p95 over the floor's p95.",
      'Figures taken while other work shares the machine are noisy: compare the ratios.',
      '',
      '| request | p50 ms | p95 ms | p95 / floor |',
      '|---|---|---|---|',
      ...rows,
    ].join('\n');
  } finally {
    await server.close();
    await db?.drop();
  }
}
