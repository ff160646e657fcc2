/**
 * Webhooks bench (W1, issue 13): deliveries per second from the outbox to a webhook receiver on
 * loopback, and the lag from commit to receiver (p50/p99), against a same-run floor: a bare loop of
 * HTTP POSTs to the same receiver over fresh connections (what one delivery attempt does, without
 * the outbox, the signature or the log). In-process server on PostgreSQL when reachable, otherwise
 * the embedded database. Run through bench/run.ts: `npm run bench -- webhooks`.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { buildServer } from '../src/app.js';
import { loadConfig } from '../src/infra/config.js';
import type { RequestContext } from '../src/infra/context.js';
import { inTransaction } from '../src/infra/unit-of-work.js';
import { createTestDatabase, postgresReachable, PROVIDER_TOKEN } from '../test/support/server.js';
import { api } from '../test/support/api.js';
import { WebhookReceiver } from '../test/support/webhook-receiver.js';

const BURST = Number(process.env.BENCH_WEBHOOK_BURST ?? 2000);
const LAG_SAMPLES = Number(process.env.BENCH_WEBHOOK_LAG ?? 200);
/** The dispatcher's concurrency, used for the floor too. */
const CONCURRENCY = 8;
const TIMEOUT_MS = 120_000;

const SYSTEM: RequestContext = {
  requestId: 'bench',
  actor: { kind: 'provider', id: 'provider', credential: 'provider' },
  clientAddr: null,
};

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function post(url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function floor(url: string, n: number): Promise<{ perSecond: number; p50: number; p99: number }> {
  const body = JSON.stringify({ type: 'floor', tenantId: 'floor', data: {} });
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        next++;
        const s = performance.now();
        await post(url, body);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  // Sequential single POSTs for the latency floor (the lag samples are sequential too).
  const single: number[] = [];
  for (let i = 0; i < LAG_SAMPLES; i++) {
    const s = performance.now();
    await post(url, body);
    single.push(performance.now() - s);
  }
  single.sort((a, b) => a - b);
  return { perSecond: n / seconds, p50: pct(single, 50), p99: pct(single, 99) };
}

export async function run(): Promise<string> {
  const onPg = await postgresReachable();
  const db = onPg ? await createTestDatabase() : null;
  const server = await buildServer(
    loadConfig({
      SWITCHBOARD_PROVIDER_TOKEN: PROVIDER_TOKEN,
      LOG_LEVEL: 'silent',
      SWITCHBOARD_DATA_DIR: 'memory://',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      ...(db && { DATABASE_URL: db.url }),
    }),
  );
  const receiver = new WebhookReceiver();
  const url = await receiver.start();
  try {
    const a = api(server);
    const { id: t } = await a.tenant();
    const hook = await a.asProvider('POST', `/v1/tenants/${t}/webhooks`, { url, events: ['user.updated'] });
    if (hook.status !== 201) throw new Error(`webhook: ${hook.status}`);
    const arrived = (tag: string, n: number) =>
      receiver.inbox.waitFor(
        (items) => items.filter((r) => String(r.json.data.userId).startsWith(tag)).length >= n,
        `${n} ${tag}`,
        TIMEOUT_MS,
      );

    const base = await floor(url, BURST);

    // Throughput: BURST events committed in one transaction, drained by the dispatcher.
    const t0 = performance.now();
    await inTransaction(server.deps, SYSTEM, async (uow) => {
      for (let i = 0; i < BURST; i++)
        uow.emit({ type: 'user.updated', tenantId: t, data: { userId: `burst-${i}`, changed: [] } });
    });
    await arrived('burst-', BURST);
    const drain = (performance.now() - t0) / 1000;

    // Lag: one event per transaction, the next committed once the previous one arrived.
    const lags: number[] = [];
    for (let i = 0; i < LAG_SAMPLES; i++) {
      const tag = `lag-${i}-`;
      await inTransaction(server.deps, SYSTEM, async (uow) => {
        uow.emit({ type: 'user.updated', tenantId: t, data: { userId: `${tag}x`, changed: [] } });
      });
      const committed = performance.timeOrigin + performance.now();
      const [r] = (await arrived(tag, 1)).filter((x) => String(x.json.data.userId).startsWith(tag));
      lags.push(r!.at - committed);
    }
    lags.sort((x, y) => x - y);
    const perSecond = BURST / drain;
    const f = (n: number, d = 1) => n.toFixed(d);
    return [
      `## webhooks`,
      ``,
      `Outbox to a webhook receiver on loopback, in-process server on ${onPg ? 'PostgreSQL' : 'the embedded database'}, ` +
        `dispatcher concurrency ${CONCURRENCY}. Floor: bare HTTP POSTs to the same receiver over fresh connections ` +
        `(${CONCURRENCY} concurrent for throughput, one at a time for latency), measured in the same run.`,
      ``,
      `| measure | outbox | floor (bare POST) | outbox / floor |`,
      `|---|---|---|---|`,
      `| deliveries per second (${BURST} events in one commit: fan-out, sign, POST, log) | ${f(perSecond, 0)} | ${f(base.perSecond, 0)} | ${f(perSecond / base.perSecond, 2)} |`,
      `| commit to receiver p50, ms (${LAG_SAMPLES} sequential commits) | ${f(pct(lags, 50))} | ${f(base.p50)} | ${f(pct(lags, 50) / base.p50, 1)} |`,
      `| commit to receiver p99, ms | ${f(pct(lags, 99))} | ${f(base.p99)} | ${f(pct(lags, 99) / base.p99, 1)} |`,
      ``,
      `Each delivery is two outbox steps (the event row fanned out to a delivery row, then the attempt) with ` +
        `database work around the POST, so the ratio is the price of durability and the delivery log. That work ` +
        `is shared, not paid per delivery: one statement claims a batch, a claim's events fan out in one ` +
        `statement, its deliveries' endpoints and messages load in one query, and attempt logs and results are ` +
        `written in group commits. Measured on a machine shared with other work: absolute figures are noisy; ` +
        `the ratios are same-run.`,
    ].join('\n');
  } finally {
    await receiver.stop();
    await server.close();
    await db?.drop();
  }
}
