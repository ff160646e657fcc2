/**
 * Stream bench (SPEC 8, issue #5): commit-to-receive latency with 10,000 connected clients on one
 * node and spread over three nodes, the push rate of a tenant-wide change touching 10,000 users,
 * and server memory per connection. Real server processes (`tsx src/cli.ts serve`) on one local
 * PostgreSQL, clients in this process, loopback only; every phase is bounded in time.
 * Run through bench/run.ts: `npm run bench -- stream`. Needs PostgreSQL (as the tests do).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import WebSocket from 'ws';
import type { Tenant, User } from '../src/contract/index.js';
import { generateToken, hashToken } from '../src/infra/crypto.js';
import { createTestDatabase, postgresReachable, PROVIDER_TOKEN } from '../test/support/server.js';
import { http, startCluster, type Cluster } from '../test/identity/cluster.js';
import { messageText } from '../test/stream/support.js';

const CLIENTS = Number(process.env.BENCH_STREAM_CLIENTS ?? 10_000);
const CHANGES = Number(process.env.BENCH_STREAM_CHANGES ?? 300);
const CONNECT_CONCURRENCY = 250;
const WARMUP = 20;
/** Hard ceiling for any wait, so a broken run ends instead of hanging. */
const PHASE_TIMEOUT_MS = 120_000;

interface Client {
  userId: string;
  ws: WebSocket;
  node: number;
  version: number;
  arrivals: Map<number, number>;
}
interface Seeded {
  tenantId: string;
  users: Array<{ id: string; token: string }>;
}

/**
 * When each version committed, as seen by a LISTEN of the bench's own on the change channel: the
 * notification is sent at commit, so this is commit time (plus a loopback hop), on the same clock
 * as the clients' arrivals.
 */
const committedAt = new Map<number, number>();
async function listenForCommits(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  c.on('notification', (n) => {
    const now = performance.now();
    const m = /"version":(\d+)/.exec(n.payload ?? '');
    if (m && !committedAt.has(Number(m[1]))) committedAt.set(Number(m[1]), now);
  });
  await c.query('listen switchboard_changes');
  return c;
}

/** 10,000 platform users with one app session each, written straight into the database (a fixture, not an API path). */
async function seed(url: string, base: string): Promise<Seeded> {
  const t = await http<Tenant>(
    `${base}/v1/tenants`,
    'POST',
    { name: 'Stream bench', plan: 'record', homeRegion: 'PL' },
    PROVIDER_TOKEN,
  );
  if (t.status !== 201) throw new Error(`tenant: ${t.status}`);
  const tenantId = t.body.id;
  const users = Array.from({ length: CLIENTS }, (_, i) => ({
    id: `usr_bench${String(i).padStart(6, '0')}`,
    token: generateToken('sbs'),
  }));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const json = (v: unknown) => JSON.stringify(v);
    await c.query(
      `insert into users (id, tenant_id, source, external_id, status, display_name, licences, supervisor_level, permissions,
        recording_scope, uc_client, group_ids, workspaces, contact_center, profile, features, preferences, acd_queue_ids, version)
      select id, $2, 'platform', id, 'active', 'Agent ' || id, '{essential}', 'none', '{}', 'own', $3::jsonb, '{}', '{}'::jsonb, $4::jsonb,
        $5::jsonb, $6::jsonb, $7::jsonb, '{}', nextval('change_seq') from unnest($1::text[]) as id`,
      [
        users.map((u) => u.id),
        tenantId,
        json({ desktop: false, softphone: { enabled: false, clients: [], deviceId: null } }),
        json({ admin: false, queues: {} }),
        json({ kind: 'none' }),
        json({
          channels: 'both',
          recording: true,
          crmOverlay: true,
          dialRestriction: { enabled: false, allowedRegions: [] },
        }),
        json({ recording: true, crmOverlay: true }),
      ],
    );
    await c.query(
      `insert into sessions (id, tenant_id, user_id, token_hash, audience)
      select 'ses_' || u, $2, u, h, 'app' from unnest($1::text[], $3::text[]) as x(u, h)`,
      [users.map((u) => u.id), tenantId, users.map((u) => hashToken(u.token))],
    );
  } finally {
    await c.end();
  }
  return { tenantId, users };
}

function connect(url: string, user: { id: string; token: string }, node: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/stream`, {
      headers: { authorization: `Bearer ${user.token}` },
      perMessageDeflate: false,
    });
    const client: Client = { userId: user.id, ws, node, version: 0, arrivals: new Map() };
    ws.on('message', (data) => {
      const now = performance.now();
      // Only the version matters here; the server has already built and serialised the whole document.
      const m = /"version":(\d+)/.exec(messageText(data).slice(0, 64));
      if (!m) return;
      const v = Number(m[1]);
      client.arrivals.set(v, now);
      if (v > client.version) client.version = v;
      if (client.version > 0) resolve(client);
    });
    ws.once('unexpected-response', (_q, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

async function connectAll(cluster: Cluster, seeded: Seeded, nodes: number[]): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < seeded.users.length; i += CONNECT_CONCURRENCY) {
    const batch = seeded.users.slice(i, i + CONNECT_CONCURRENCY);
    clients.push(
      ...(await Promise.all(
        batch.map((u, j) => {
          const n = nodes[(i + j) % nodes.length]!;
          return connect(cluster.nodes[n]!.url, u, n);
        }),
      )),
    );
  }
  return clients;
}

async function closeAll(clients: Client[]): Promise<void> {
  await Promise.all(
    clients.map(
      (c) =>
        new Promise<void>((ok) => {
          c.ws.once('close', () => ok());
          c.ws.close();
          setTimeout(ok, 5000).unref();
        }),
    ),
  );
}

async function waitUntil(pred: () => boolean, what: string): Promise<void> {
  const until = Date.now() + PHASE_TIMEOUT_MS;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Single-user changes through node 0, one after another; latency = request start to arrival at the user's client. */
async function latency(
  cluster: Cluster,
  seeded: Seeded,
  clients: Client[],
  pick: (c: Client) => boolean,
): Promise<{ commit: number[]; total: number[]; request: number[] }> {
  const candidates = clients.filter(pick);
  const out: number[] = [];
  const request: number[] = [];
  const commit: number[] = [];
  // The first WARMUP changes warm the JIT and connection pools and are not counted.
  for (let i = -WARMUP; i < CHANGES; i++) {
    const c = candidates[((i + WARMUP) * 7919) % candidates.length]!;
    const start = performance.now();
    const r = await http<User>(
      `${cluster.nodes[0]!.url}/v1/tenants/${seeded.tenantId}/users/${c.userId}`,
      'PATCH',
      { features: { crmOverlay: c.version % 2 === 0 } },
      PROVIDER_TOKEN,
    );
    const answered = performance.now();
    if (r.status !== 200) throw new Error(`patch: ${r.status} ${JSON.stringify(r.body)}`);
    const v = r.body.version;
    await waitUntil(() => c.arrivals.has(v) || c.version >= v, `version ${v}`);
    await waitUntil(() => committedAt.has(v), `the commit notification of ${v}`);
    if (i < 0) continue;
    const arrived = c.arrivals.get(v) ?? performance.now();
    out.push(arrived - start);
    request.push(answered - start);
    commit.push(arrived - committedAt.get(v)!);
  }
  return { commit, total: out, request };
}

/** A tenant-wide change through node 0: time until every client holds it. */
async function tenantWide(
  cluster: Cluster,
  seeded: Seeded,
  clients: Client[],
  flip: boolean,
): Promise<{ all: number; p50: number; p99: number }> {
  const start = performance.now();
  const r = await http<Tenant>(
    `${cluster.nodes[0]!.url}/v1/tenants/${seeded.tenantId}`,
    'PATCH',
    { settings: { agentsMayJoinUnassignedQueues: flip } },
    PROVIDER_TOKEN,
  );
  if (r.status !== 200) throw new Error(`tenant patch: ${r.status}`);
  const v = r.body.version;
  await waitUntil(() => clients.every((c) => c.version >= v), 'the tenant-wide push');
  const times = clients.map((c) => (c.arrivals.get(v) ?? performance.now()) - start);
  return { all: Math.max(...times), p50: pct(times, 50), p99: pct(times, 99) };
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Runs the bench; returns its Markdown section for bench/RESULTS.md. */
export async function run(): Promise<string> {
  if (!(await postgresReachable()))
    return '## Stream (D1-D6)\n\nSkipped: PostgreSQL is not reachable (the multi-node setup needs it).';
  const db = await createTestDatabase();
  const cluster = await startCluster(db.url, 3);
  try {
    const seeded = await seed(db.url, cluster.nodes[0]!.url);
    const listener = await listenForCommits(db.url);
    const pid = cluster.nodes[0]!.child.pid!;

    // One node: every client on node 0.
    const rssBefore = rssKiB(pid);
    let t0 = performance.now();
    let clients = await connectAll(cluster, seeded, [0]);
    const connectSeconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 1000));
    const rssAfter = rssKiB(pid);
    const one = await latency(cluster, seeded, clients, () => true);
    const wideOne = await tenantWide(cluster, seeded, clients, true);
    await closeAll(clients);

    // Three nodes: clients spread over all three, changes made through node 0.
    t0 = performance.now();
    clients = await connectAll(cluster, seeded, [0, 1, 2]);
    const connect3 = (performance.now() - t0) / 1000;
    const across = await latency(cluster, seeded, clients, (c) => c.node !== 0);
    const wideThree = await tenantWide(cluster, seeded, clients, false);
    await closeAll(clients);

    await listener.end();
    const perConn = ((rssAfter - rssBefore) * 1024) / CLIENTS;
    return [
      '## Stream (D1-D6): commit-to-receive, tenant-wide push, memory',
      '',
      `${CLIENTS.toLocaleString('en')} WebSocket clients (one per user, one tenant), real server processes on one local PostgreSQL, clients in the bench process, loopback. ` +
        'Changes are one user each (PATCH of the user through node A), one after another. Commit-to-receive runs from the commit (the moment a LISTEN ' +
        "of the bench itself receives the change notification) to the arrival of the new configuration at the user's client; request-to-receive " +
        'adds the change request itself (validation, rules, audit, commit).',
      '',
      '| scenario | commit-to-receive p50 | p99 | goal | request-to-receive p50 / p99 | change request alone p50 / p99 |',
      '|---|---|---|---|---|---|',
      `| ${CHANGES} single-user changes, ${CLIENTS.toLocaleString('en')} clients on one node | ${ms(pct(one.commit, 50))} | ${ms(pct(one.commit, 99))} | p99 < 50 ms | ${ms(pct(one.total, 50))} / ${ms(pct(one.total, 99))} | ${ms(pct(one.request, 50))} / ${ms(pct(one.request, 99))} |`,
      `| ${CHANGES} single-user changes via node A, clients on nodes B and C (of ${CLIENTS.toLocaleString('en')} over 3 nodes) | ${ms(pct(across.commit, 50))} | ${ms(pct(across.commit, 99))} | p99 < 100 ms | ${ms(pct(across.total, 50))} / ${ms(pct(across.total, 99))} | ${ms(pct(across.request, 50))} / ${ms(pct(across.request, 99))} |`,
      '',
      '| tenant-wide change touching every user | all delivered | per-client p50 | per-client p99 | push rate |',
      '|---|---|---|---|---|',
      `| one node, ${CLIENTS.toLocaleString('en')} clients | ${ms(wideOne.all)} | ${ms(wideOne.p50)} | ${ms(wideOne.p99)} | ${Math.round(CLIENTS / (wideOne.all / 1000)).toLocaleString('en')} configs/s |`,
      `| three nodes, ${CLIENTS.toLocaleString('en')} clients | ${ms(wideThree.all)} | ${ms(wideThree.p50)} | ${ms(wideThree.p99)} | ${Math.round(CLIENTS / (wideThree.all / 1000)).toLocaleString('en')} configs/s |`,
      '',
      `Memory: the node's RSS grew by ${((rssAfter - rssBefore) / 1024).toFixed(0)} MiB for ${CLIENTS.toLocaleString('en')} open streams, ` +
        `about ${(perConn / 1024).toFixed(1)} KiB per connection (socket buffers, ws state, hub bookkeeping; RSS, so it includes garbage not yet collected). ` +
        `Connecting all clients took ${connectSeconds.toFixed(1)} s on one node and ${connect3.toFixed(1)} s over three (each connect authenticates, touches the session and loads the configuration).`,
    ].join('\n');
  } finally {
    await cluster.stop();
    await db.drop();
  }
}

// Standalone: `npx tsx bench/stream.bench.ts`.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  run().then(
    (s) => {
      console.log(s);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
