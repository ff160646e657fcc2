/**
 * Seats bench: seat-checked logins per second through three real server processes on one
 * PostgreSQL, and the delay from an app session's lapse to the sweeper freeing its seat.
 * Sessions are opened with the provider's support sign-in (`POST /v1/tenants/{t}/users/{u}/sessions`,
 * audience app): the same seat transaction as a password login (tenant row lock, live count,
 * insert, peak, audit) without scrypt, which would otherwise hide the seat path. Password logins
 * are measured too, for comparison. Run through bench/run.ts.
 */
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { LocalBus } from '../src/infra/bus.js';
import { SecretBox } from '../src/infra/crypto.js';
import { newId } from '../src/infra/ids.js';
import { inTransaction } from '../src/infra/unit-of-work.js';
import { loginContext, openSeatedSession } from '../src/modules/sessions/sessions.service.js';
import { createTestDatabase, postgresReachable, PROVIDER_TOKEN } from '../test/support/server.js';
import { http, seedTenant, startCluster } from '../test/identity/cluster.js';

const NODES = 3;
const USERS = Number(process.env.BENCH_SEAT_USERS ?? 3000);
const LOGINS = Number(process.env.BENCH_SEAT_LOGINS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_SEAT_CONCURRENCY ?? 48);
const PASSWORD_LOGINS = Number(process.env.BENCH_SEAT_PASSWORD_LOGINS ?? 300);
const LAPSES = 200;
const SERIAL = Number(process.env.BENCH_SEAT_SERIAL ?? 1000);
const PASSWORD = 'benchmark passphrase for seats';

interface Phase {
  label: string;
  count: number;
  seconds: number;
  p50: number;
  p99: number;
  statuses: Map<number, number>;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
};

/** Runs `count` requests with `concurrency` in flight, request i on node i mod 3. */
async function phase(
  label: string,
  count: number,
  concurrency: number,
  request: (i: number) => Promise<number>,
): Promise<Phase> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const status = await request(i);
        latencies.push(performance.now() - t0);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return {
    label,
    count,
    seconds: (performance.now() - start) / 1000,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    statuses,
  };
}

const row = (p: Phase) =>
  `| ${p.label} | ${p.count.toLocaleString('en')} | ${Math.round(p.count / p.seconds).toLocaleString('en')} | ${p.p50.toFixed(1)} ms | ${p.p99.toFixed(1)} ms | ${[...p.statuses].map(([s, n]) => `${s}: ${n}`).join(', ')} |`;

export async function run(): Promise<string> {
  if (!(await postgresReachable()))
    return '## Seats\n\nSKIPPED: PostgreSQL is not reachable (the seat bench needs real server processes on one PostgreSQL).';
  const db = await createTestDatabase();
  const cluster = await startCluster(db.url, NODES);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    const urls = cluster.nodes.map((n) => n.url);
    const { tenantId, users } = await seedTenant(urls[0]!, db.url, { seats: null, users: USERS, password: PASSWORD });
    const open = (i: number) =>
      http(
        `${urls[i % NODES]}/v1/tenants/${tenantId}/users/${users[i % USERS]!.id}/sessions`,
        'POST',
        { audience: 'app' },
        PROVIDER_TOKEN,
      ).then((r) => r.status);

    // Warm-up (connections, JIT), then a seat limit no one reaches: every request takes the full seat path.
    await phase('warm-up', 300, CONCURRENCY, open);
    await sql.query(`update sessions set ended_at = now() where tenant_id = $1`, [tenantId]);
    await http(`${urls[0]}/v1/tenants/${tenantId}`, 'PATCH', { seats: USERS * 10 }, PROVIDER_TOKEN);
    const granted = await phase('seat granted (token-based app session)', LOGINS, CONCURRENCY, open);
    const inUse = (
      await sql.query<{ n: number }>(
        `select count(distinct user_id)::int as n from sessions where tenant_id = $1 and ended_at is null`,
        [tenantId],
      )
    ).rows[0]!.n;

    // Every seat taken: new users are refused after the same locked count (S2).
    await http(`${urls[0]}/v1/tenants/${tenantId}`, 'PATCH', { seats: Math.floor(USERS / 2) }, PROVIDER_TOKEN);
    await sql.query(
      `update sessions set ended_at = now() where tenant_id = $1 and user_id in (select id from users where tenant_id = $1 order by external_id offset $2)`,
      [tenantId, Math.floor(USERS / 2)],
    );
    const refused = await phase('seat refused (all taken, S2)', LOGINS / 2, CONCURRENCY, (i) =>
      open(Math.floor(USERS / 2) + (i % Math.ceil(USERS / 2))),
    );
    await sql.query(`update sessions set ended_at = now() where tenant_id = $1`, [tenantId]);

    const password = await phase('password login (scrypt, for comparison)', PASSWORD_LOGINS, CONCURRENCY, (i) =>
      http(`${urls[i % NODES]}/v1/auth/login`, 'POST', {
        email: users[i % USERS]!.email,
        password: PASSWORD,
        audience: 'app',
      }).then((r) => r.status),
    );

    // The seat transaction alone, one after another from this process (no HTTP, no CPU shared with
    // concurrent requests): its duration bounds how many seat decisions one tenant can take per second.
    await sql.query(`update sessions set ended_at = now() where tenant_id = $1 and ended_at is null`, [tenantId]);
    const direct = await openDatabase({ databaseUrl: db.url, dataDir: 'memory://' });
    const serial: number[] = [];
    try {
      const deps = { db: direct.db, bus: new LocalBus(), secrets: SecretBox.fromString('bench-only-secret-box') };
      for (let i = 0; i < SERIAL; i++) {
        const user = users[i % USERS]!,
          sessionId = newId('ses');
        const t0 = performance.now();
        await inTransaction(
          deps,
          loginContext({ requestId: 'bench', clientAddr: '127.0.0.1' }, tenantId, user.id, sessionId),
          (uow) => openSeatedSession(uow, { sessionId, tenantId, userId: user.id, audience: 'app', method: 'bench' }),
        );
        serial.push(performance.now() - t0);
      }
    } finally {
      await direct.close();
    }

    // Lapse-to-free: sessions made about 89 s quiet lapse over the next seconds; the sweepers (every 1 s by default) end them.
    await sql.query(`update sessions set ended_at = now() where tenant_id = $1 and ended_at is null`, [tenantId]);
    const since = (await sql.query<{ t: Date }>('select now() as t')).rows[0]!.t;
    await phase('lapse set-up', LAPSES, CONCURRENCY, open);
    // Staggered 10 ms apart over 2 s, so the delays sample every point of the sweep interval.
    await sql.query(
      `update sessions s set last_seen_at = now() - interval '89 seconds' + o.i * interval '10 milliseconds'
      from (select id, row_number() over (order by id) as i from sessions where tenant_id = $1 and ended_at is null) o where s.id = o.id`,
      [tenantId],
    );
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const left = (
        await sql.query<{ n: number }>(
          `select count(*)::int as n from sessions where tenant_id = $1 and ended_at is null`,
          [tenantId],
        )
      ).rows[0]!.n;
      if (left === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const delays = (
      await sql.query<{ ms: string }>(
        `select extract(epoch from (ended_at - (last_seen_at + interval '90 seconds'))) * 1000 as ms from sessions
      where tenant_id = $1 and ended_reason = 'lapsed' and created_at >= $2`,
        [tenantId, since],
      )
    ).rows.map((r) => Number(r.ms));

    return [
      '## Seats: seat-checked logins through three nodes, lapse-to-free delay',
      '',
      `Three server processes (\`tsx src/cli.ts serve\`) on one PostgreSQL, ${USERS.toLocaleString('en')} platform users in one tenant, ${CONCURRENCY} requests in flight spread round-robin over the nodes (HTTP on loopback). ` +
        'Each seat-checked login is one transaction that locks the tenant row, counts the live seat holders, inserts the session, raises the peak and appends the hash-chained audit entry; ' +
        'sessions are opened with the provider support sign-in so that password hashing does not hide the seat path.',
      '',
      '| phase | requests | per second | p50 | p99 | answers |',
      '|---|---:|---:|---:|---:|---|',
      row(granted),
      row(refused),
      row(password),
      '',
      `**The seat transaction alone** (${SERIAL.toLocaleString('en')} in a row from one process on the same database, no HTTP; lock, seat statement, audit entry, commit): ` +
        `median ${pct(serial, 0.5).toFixed(2)} ms, p99 ${pct(serial, 0.99).toFixed(2)} ms. One at a time, this is the time the tenant lock is held plus one round trip, ` +
        `so one tenant takes at most about ${Math.round(1000 / pct(serial, 0.5)).toLocaleString('en')} seat decisions per second on this machine; decisions in different tenants do not wait for each other (the lock is the tenant row). ` +
        "The HTTP phases share the machine's CPUs between three nodes, PostgreSQL and the load generator (see the load average below).",
      '',
      `Seat holders after the granted phase: ${inUse.toLocaleString('en')}${LOGINS > USERS ? ' (a user who already held a seat opened another session on the same seat, S1)' : ''}.`,
      '',
      `**Lapse-to-free** (sweeper every 1 s on each node; ${delays.length} app sessions lapsing 10 ms apart): median ${pct(delays, 0.5).toFixed(0)} ms, p99 ${pct(delays, 0.99).toFixed(0)} ms, max ${Math.max(...delays).toFixed(0)} ms after the lapse instant (goal: under 5 s). ` +
        'A lapsed session stops counting at the lapse instant itself (the count reads activity), so a new login can take the seat before the sweep.',
    ].join('\n');
  } finally {
    await sql.end();
    await cluster.stop();
    await db.drop();
  }
}
