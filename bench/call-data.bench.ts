/**
 * Call data (CD1, CD3): ingestion throughput in 10,000-record batches over HTTP (PostgreSQL and the
 * embedded database), a by-group report over one large tenant-month, and the latency from ingestion to
 * a connected live dashboard. Each figure beside a floor measured in the same run:
 * - ingestion: a bare multi-row INSERT of the same rows into an unpartitioned copy of the table;
 * - the report (read from the calls rollup): the bare GROUP BY over the participants' table, without HTTP, labels
 *   or totals (what the report cost before the rollup, at best);
 * - live latency: the ingestion request's own round trip (the push cannot beat the commit).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import WebSocket from 'ws';
import { buildServer, type Server } from '../src/app.js';
import type { IngestResult, Tenant } from '../src/contract/index.js';
import { loadConfig } from '../src/infra/config.js';
import { upsertRollup } from '../src/modules/call-data/call-data.repo.js';
import { createTestDatabase, postgresReachable } from '../test/support/databases.js';

const TOKEN = 'bench-provider-token-0123456789';
const BATCH = 10_000;
const USERS = 1000;
const PG_BATCHES = Number(process.env.BENCH_CALL_BATCHES ?? 10);
const PGLITE_BATCHES = Number(process.env.BENCH_CALL_BATCHES_PGLITE ?? 3);
const MONTH_CALLS = Number(process.env.BENCH_MONTH_CALLS ?? 1_000_000);
const GROUPS = 50;
/** Calls generated per statement for the month. */
const GENERATE_CHUNK = 250_000;
/** Which parts to run (comma-separated: ingestion, report, live); all by default. `report` alone runs the month. */
const PARTS = new Set((process.env.BENCH_CALL_PARTS ?? 'ingestion,report,live').split(',').map((s) => s.trim()));

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

async function withServer<T>(kind: 'postgres' | 'pglite', fn: (base: string, s: Server) => Promise<T>): Promise<T> {
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

/** A tenant with USERS phone-system users (Essential from now on). */
async function tenantWithUsers(base: string): Promise<string> {
  const t = await call<Tenant>(base, 'POST', '/v1/tenants', { name: 'Bench calls' });
  const users = Array.from({ length: USERS }, (_, i) => ({
    externalId: `u${i}`,
    displayName: `User ${i}`,
    email: `u${i}@bench.example`,
    extension: String(1000 + i),
    devices: [],
    acdQueues: [],
  }));
  await call(base, 'PUT', `/v1/tenants/${t.id}/platform/snapshot`, {
    users,
    queues: [{ externalId: 'q0', name: 'Queue', kind: 'queue', wrapUpSeconds: 0 }],
  });
  return t.id;
}

function batch(n: number, startMs: number) {
  return Array.from({ length: BATCH }, (_, i) => {
    const k = n * BATCH + i;
    const started = new Date(startMs + k * 10);
    return {
      id: `cdr-${k}`,
      conversationId: `conv-${k}`,
      startedAt: started.toISOString(),
      answeredAt: new Date(started.getTime() + 4000).toISOString(),
      endedAt: new Date(started.getTime() + 64_000).toISOString(),
      direction: 'inbound',
      from: { number: `+4822${String(k).padStart(7, '0')}`, name: null, user: null },
      to: { number: String(1000 + (k % USERS)), name: null, user: `u${k % USERS}` },
      disposition: k % 10 === 0 ? 'abandoned' : 'answered',
      queue: 'q0',
      waitSeconds: k % 40,
      talkSeconds: k % 300,
    };
  });
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function ingestion(kind: 'postgres' | 'pglite', batches: number) {
  return withServer(kind, async (base, server) => {
    const t = await tenantWithUsers(base);
    const startMs = Date.now() + 1000;
    const bodies = Array.from({ length: batches }, (_, n) => batch(n, startMs));
    let stored = 0;
    const t0 = performance.now();
    for (const records of bodies)
      stored += (await call<IngestResult>(base, 'POST', `/v1/tenants/${t}/platform/call-records`, { records })).stored;
    const elapsed = performance.now() - t0;
    if (stored !== batches * BATCH) throw new Error(`stored ${stored} of ${batches * BATCH}`);

    // Floor: the same rows, a bare multi-row INSERT into an unpartitioned copy (no validation, licences, HTTP).
    const db = server.deps.db;
    await sql`create table bench_floor (like call_records including defaults)`.execute(db);
    const f0 = performance.now();
    for (const records of bodies)
      for (let i = 0; i < records.length; i += 2000) {
        const rows = records.slice(i, i + 2000).map((r) => ({
          tenant_id: t,
          external_id: r.id,
          started_at: r.startedAt,
          conversation_id: r.conversationId,
          answered_at: r.answeredAt,
          ended_at: r.endedAt,
          direction: r.direction,
          disposition: r.disposition,
          from_number: r.from.number,
          to_number: r.to.number,
          queue_external_id: r.queue,
          wait_seconds: r.waitSeconds,
          talk_seconds: r.talkSeconds,
        }));
        await db
          .insertInto('bench_floor' as never)
          .values(rows)
          .execute();
      }
    const floor = performance.now() - f0;
    const rate = (batches * BATCH) / (elapsed / 1000);
    const floorRate = (batches * BATCH) / (floor / 1000);
    return { rate, floorRate };
  });
}

/** MONTH_CALLS calls of one tenant in one month, generated in the database, then the by-group report. */
async function report() {
  return withServer('postgres', async (base, server) => {
    const db = server.deps.db;
    const t = await tenantWithUsers(base);
    const month = new Date();
    month.setUTCDate(1);
    month.setUTCHours(0, 0, 0, 0);
    // One ingested record creates this month's partitions the way the application does.
    await call(base, 'POST', `/v1/tenants/${t}/platform/call-records`, {
      records: batch(0, Date.now() + 1000).slice(0, 1),
    });
    const g0 = performance.now();
    // In chunks, so no statement runs into the server's statement timeout on a loaded machine. Each chunk adds to
    // the calls rollup through the statement fragment ingestion uses.
    for (let lo = 1; lo <= MONTH_CALLS; lo += GENERATE_CHUNK) {
      const hi = Math.min(MONTH_CALLS, lo + GENERATE_CHUNK - 1);
      await sql`
        with ins as (
          insert into call_records (tenant_id, external_id, started_at, direction, disposition, queue_external_id,
            wait_seconds, talk_seconds)
          select ${t}, 'gen-' || i, ${month}::timestamptz + (i % (27 * 86400)) * interval '1 second',
            (array['inbound','outbound','internal'])[1 + i % 3], (array['answered','no_answer','busy','abandoned'])[1 + i % 4],
            'q0', i % 60, i % 600
          from generate_series(${lo}::int, ${hi}::int) i
          returning started_at, queue_id, direction, disposition, wait_seconds, talk_seconds
        ), parts as (
          insert into call_participants (tenant_id, started_at, call_id, user_id, group_id, role, direction, disposition,
            wait_seconds, talk_seconds)
          select ${t}, ${month}::timestamptz + (i % (27 * 86400)) * interval '1 second', 'gen-' || i, 'usr-' || (i % ${USERS}),
            'grp-' || (i % ${GROUPS}), 'destination', (array['inbound','outbound','internal'])[1 + i % 3],
            (array['answered','no_answer','busy','abandoned'])[1 + i % 4], i % 60, i % 600
          from generate_series(${lo}::int, ${hi}::int) i
          returning user_id, group_id, started_at, queue_id, direction, disposition, wait_seconds, talk_seconds
        ), rollup as (${upsertRollup(t)})
        select 1`.execute(db);
    }
    await sql`analyze call_participants`.execute(db);
    await sql`analyze call_records`.execute(db);
    await sql`analyze call_rollup`.execute(db);
    const generated = performance.now() - g0;
    const rollup = await sql<{ n: number }>`
      select count(*)::int as n from call_rollup where tenant_id = ${t} and grain = 'group'`.execute(db);
    const from = month.toISOString();
    const to = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1)).toISOString();
    const times: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < 12; i++) {
      const a = performance.now();
      await call(base, 'GET', `/v1/tenants/${t}/reports/calls?by=group&from=${from}&to=${to}`);
      times.push(performance.now() - a);
      const b = performance.now();
      await sql`select group_id, count(*) from call_participants
        where tenant_id = ${t} and started_at >= ${from}::timestamptz and started_at < ${to}::timestamptz
        group by group_id`.execute(db);
      floors.push(performance.now() - b);
    }
    return {
      generated,
      rollupRows: rollup.rows[0]!.n,
      p50: pct(times, 0.5),
      p95: pct(times, 0.95),
      floor50: pct(floors, 0.5),
    };
  });
}

/** From POST of one agent event to the live snapshot that shows it on a connected socket. */
async function liveLatency(kind: 'postgres' | 'pglite') {
  return withServer(kind, async (base, server) => {
    const t = await tenantWithUsers(base);
    const users = await server.deps.db.selectFrom('users').select('id').where('tenant_id', '=', t).limit(1).execute();
    await call(base, 'PATCH', `/v1/tenants/${t}/users/${users[0]!.id}`, { licences: ['essential', 'agent'] });
    const ext = (
      await server.deps.db
        .selectFrom('users')
        .select('external_id')
        .where('id', '=', users[0]!.id)
        .executeTakeFirstOrThrow()
    ).external_id!;
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/tenants/${t}/live/stream`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    let waiter: ((at: number) => void) | null = null;
    ws.on('message', () => waiter?.(performance.now()));
    await new Promise<void>((resolve) => ws.once('message', () => resolve()));
    const latencies: number[] = [];
    const roundTrips: number[] = [];
    for (let i = 0; i < 60; i++) {
      const pushed = new Promise<number>((resolve) => (waiter = resolve));
      const a = performance.now();
      await call(base, 'POST', `/v1/tenants/${t}/platform/agent-events`, {
        records: [
          {
            id: `ev-${i}`,
            at: new Date().toISOString(),
            user: ext,
            type: i % 2 ? 'pause' : 'unpause',
            queue: 'q0',
            conversationId: `c${i}`,
          },
        ],
      });
      roundTrips.push(performance.now() - a);
      latencies.push((await pushed) - a);
      waiter = null;
    }
    ws.close();
    return { p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), rt50: pct(roundTrips, 0.5) };
  });
}

export async function run(): Promise<string> {
  const lines = ['## Call data (CD1, CD3): ingestion, the by-group report, live latency', ''];
  const pg = await postgresReachable();
  lines.push('| measure | figure | same-run floor | ratio |', '|---|---|---|---|');
  for (const kind of !PARTS.has('ingestion') ? [] : pg ? (['postgres', 'pglite'] as const) : (['pglite'] as const)) {
    const batches = kind === 'postgres' ? PG_BATCHES : PGLITE_BATCHES;
    const r = await ingestion(kind, batches);
    lines.push(
      `| ingestion on ${kind} (${batches} x ${BATCH.toLocaleString('en')} records over HTTP) | ${Math.round(r.rate).toLocaleString('en')} records/s | bare multi-row INSERT: ${Math.round(r.floorRate).toLocaleString('en')} rows/s | ${(r.rate / r.floorRate).toFixed(2)} |`,
    );
  }
  if (pg && PARTS.has('report')) {
    const r = await report();
    lines.push(
      `| by-group report, one tenant-month of ${MONTH_CALLS.toLocaleString('en')} calls, read from the rollup (${r.rollupRows.toLocaleString('en')} group-hour rows; PostgreSQL; ${(r.generated / 1000).toFixed(0)} s to generate) | p50 ${ms(r.p50)}, p95 ${ms(r.p95)} | bare GROUP BY: p50 ${ms(r.floor50)} | ${(r.p50 / r.floor50).toFixed(2)} |`,
    );
  }
  for (const kind of !PARTS.has('live') ? [] : pg ? (['postgres', 'pglite'] as const) : (['pglite'] as const)) {
    const r = await liveLatency(kind);
    lines.push(
      `| live latency on ${kind}: ingestion POST to the snapshot on a connected socket (60 events) | p50 ${ms(r.p50)}, p99 ${ms(r.p99)} | the POST's own round trip: p50 ${ms(r.rt50)} | ${(r.p50 / r.rt50).toFixed(2)} |`,
    );
  }
  lines.push(
    '',
    `Goals: 20,000 records/s on PostgreSQL; by-group report p95 under 1 s over a tenant-month (the issue names 5,000,000 calls; this run generates ${MONTH_CALLS.toLocaleString('en')}, set BENCH_MONTH_CALLS to change it); live p99 under 1 s. ` +
      'The machine is shared: absolute figures are noisy, the ratios to the same-run floors less so.',
  );
  return lines.join('\n');
}
