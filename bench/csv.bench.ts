/**
 * Users CSV (P3): an import of BENCH_CSV_ROWS rows (default 100,000) and the export of them, over a
 * real port, with peak memory (heap + array buffers, and RSS) sampled while each runs. The floors,
 * measured in the same run: csv-parse alone over the same bytes and a bare multi-row INSERT of the
 * same user rows into another tenant (import); csv-stringify alone over the same rows (export). Export
 * time and memory are shown for a tenth of the users and for all of them: streamed (keyset pages), the
 * peak does not grow with the rows.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { buildServer, type Server } from '../src/app.js';
import type { ImportJob, Tenant } from '../src/contract/index.js';
import { loadConfig } from '../src/infra/config.js';
import { createTestDatabase, postgresReachable } from '../test/support/databases.js';
import { insertSession } from '../test/support/fixtures.js';

const ROWS = Number(process.env.BENCH_CSV_ROWS ?? 100_000);
/** Rows of the imports that measure how the embedded database serves other requests meanwhile. */
const LIVE_ROWS = Number(process.env.BENCH_CSV_LIVE_ROWS ?? 20_000);
const TOKEN = 'bench-provider-token-0123456789';
const MB = 2 ** 20;

function file(n: number): string {
  const lines = ['displayName,email,permissions,status,channels,crmOverlay'];
  for (let i = 0; i < n; i++)
    lines.push(
      `"User ${String(i).padStart(6, '0')}",user${i}@csv.bench.example,,${i % 10 === 0 ? 'suspended' : 'active'},both,true`,
    );
  return `${lines.join('\n')}\n`;
}

/** Runs `work` while sampling RSS and heap (+ array buffers); answers its time and the peaks above the start. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; rssMb: number; heapMb: number }> {
  globalThis.gc?.();
  const start = process.memoryUsage();
  const heapOf = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;
  let rss = start.rss;
  let heap = heapOf(start);
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, heapOf(m));
  }, 50);
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - t0, rssMb: (rss - start.rss) / MB, heapMb: (heap - heapOf(start)) / MB };
  } finally {
    clearInterval(timer);
  }
}

async function call<T>(base: string, method: string, path: string, body?: string, type = 'application/json') {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': type } : {}) },
    body,
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

async function importFile(base: string, t: string, csv: string): Promise<ImportJob> {
  let job = await call<ImportJob>(base, 'POST', `/v1/tenants/${t}/users/import`, csv, 'text/csv');
  while (job.status === 'running') {
    await new Promise((r) => setTimeout(r, 200));
    job = await call<ImportJob>(base, 'GET', `/v1/tenants/${t}/users/import/${job.id}`);
  }
  if (job.status !== 'done') throw new Error(`import ${job.status}: ${JSON.stringify(job.result).slice(0, 300)}`);
  return job;
}

/** Reads the export as it streams, keeping only a byte count. */
async function exportBytes(base: string, t: string, query = ''): Promise<number> {
  const res = await fetch(`${base}/v1/tenants/${t}/users/export${query}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  if (!res.ok || !res.body) throw new Error(`export: ${res.status}`);
  let bytes = 0;
  for await (const chunk of res.body) bytes += (chunk as Uint8Array).byteLength;
  return bytes;
}

/**
 * While an import runs on the embedded database, a portal session polls its progress and another
 * asks for the users list, one request after the other; answers what they saw. The event loop's
 * longest block is sampled too (the server runs in this process).
 */
async function importWhileServing(mode: 'all' | 'valid' | 'dry run'): Promise<string> {
  const server: Server = await buildServer(
    loadConfig({ SWITCHBOARD_PROVIDER_TOKEN: TOKEN, LOG_LEVEL: 'silent', SWITCHBOARD_DATA_DIR: 'memory://' }),
  );
  try {
    const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const t = (await call<Tenant>(base, 'POST', '/v1/tenants', JSON.stringify({ name: `CSV live ${mode}` }))).id;
    const admin = await call<{ id: string }>(
      base,
      'POST',
      `/v1/tenants/${t}/users`,
      JSON.stringify({
        displayName: 'Admin',
        email: 'admin@live.example',
        permissions: ['website_access', 'manage_users'],
      }),
    );
    const { token } = await insertSession(server.database.db, t, admin.id, 'portal');
    const asAdmin = async (path: string) => {
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as ImportJob;
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return { body, ms: performance.now() - t0 };
    };
    await asAdmin(`/v1/tenants/${t}/users?limit=1`);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const t0 = performance.now();
    let job = await call<ImportJob>(
      base,
      'POST',
      `/v1/tenants/${t}/users/import?${mode === 'dry run' ? 'dryRun=true' : `mode=${mode}`}`,
      file(LIVE_ROWS).replaceAll('csv.bench.example', 'live.bench.example'),
      'text/csv',
    );
    const progress: number[] = [];
    const lists: number[] = [];
    const seen = new Set<number>();
    let listing = true;
    const lister = (async () => {
      while (listing) lists.push((await asAdmin(`/v1/tenants/${t}/users?limit=20`)).ms);
    })();
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      const r = await asAdmin(`/v1/tenants/${t}/users/import/${job.id}`);
      job = r.body;
      if (job.status === 'running') {
        progress.push(r.ms);
        seen.add(job.processedRows);
      }
    }
    const ms = performance.now() - t0;
    listing = false;
    await lister;
    loop.disable();
    if (job.status !== 'done') throw new Error(`import ${job.status}`);
    const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
    const p50 = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? 0;
    return `| ${mode === 'dry run' ? '`dryRun=true`' : `\`mode=${mode}\``} | ${(ms / 1000).toFixed(1)} s | ${progress.length} (${seen.size} values), p50 ${p50(progress).toFixed(0)} ms, max ${max(progress).toFixed(0)} ms | ${lists.length}, p50 ${p50(lists).toFixed(0)} ms, max ${max(lists).toFixed(0)} ms | ${(loop.max / 1e6).toFixed(0)} ms |`;
  } finally {
    await server.close();
  }
}

export async function run(): Promise<string> {
  const pg = await postgresReachable();
  const db = pg ? await createTestDatabase() : null;
  const server: Server = await buildServer(
    loadConfig({
      SWITCHBOARD_PROVIDER_TOKEN: TOKEN,
      LOG_LEVEL: 'silent',
      SWITCHBOARD_DATA_DIR: 'memory://',
      ...(db ? { DATABASE_URL: db.url } : {}),
    }),
  );
  try {
    const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const tenant = await call<Tenant>(base, 'POST', '/v1/tenants', JSON.stringify({ name: 'CSV bench' }));
    const t = tenant.id;
    const tenth = Math.max(1, Math.floor(ROWS / 10));

    // The floor over the same bytes: csv-parse alone.
    const csv = file(ROWS);
    const parseFloor = await measured(async () => parse(csv, { bom: true, trim: true }).length);
    const imported = await measured(() => importFile(base, t, csv));
    const created = imported.value.result?.created ?? 0;
    if (created !== ROWS) throw new Error(`import created ${created} of ${ROWS}`);

    // The floor of the writes: the same user rows, read back, inserted bare into another tenant in one
    // transaction, 1,000 rows a statement (no rules, audit, events, versions nor job).
    const copy = await call<Tenant>(base, 'POST', '/v1/tenants', JSON.stringify({ name: 'CSV bench floor' }));
    const rows = await server.database.db.selectFrom('users').selectAll().where('tenant_id', '=', t).execute();
    const insertFloor = await measured(() =>
      server.database.db.transaction().execute(async (tx) => {
        for (let i = 0; i < rows.length; i += 1000)
          await tx
            .insertInto('users')
            .values(rows.slice(i, i + 1000).map((r, j) => ({ ...r, id: `usr_floor_${i + j}`, tenant_id: copy.id })))
            .execute();
      }),
    );
    rows.length = 0;

    // Export: a tenth of the users (a filter), then all of them; then the floor, csv-stringify alone.
    const small = await measured(() => exportBytes(base, t, '?status=suspended'));
    const exported = await measured(() => exportBytes(base, t));
    const exportedRows = parse(
      await (
        await fetch(`${base}/v1/tenants/${t}/users/export`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).text(),
    );
    const stringifyFloor = await measured(async () => stringify(exportedRows).length);

    const f1 = (n: number) => n.toFixed(1);
    const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en');
    return [
      '## Users CSV (P3): import and export',
      '',
      `${ROWS.toLocaleString('en')} manual users through \`POST …/users/import\` (all or nothing, every row through the users service's rules) and \`GET …/users/export\`, over HTTP on ${db ? 'PostgreSQL' : 'the embedded database'}; the floors run in the same process over the same bytes. Memory is the peak above the start, sampled every 50 ms (the server runs in this process).`,
      '',
      '| what | rows | time | rows/s | peak RSS | peak heap + buffers | floor (same run) | ratio |',
      '|---|---:|---:|---:|---:|---:|---|---:|',
      `| import (job to \`done\`) | ${ROWS.toLocaleString('en')} | ${f1(imported.ms / 1000)} s | ${rate(ROWS, imported.ms)} | ${f1(imported.rssMb)} MB | ${f1(imported.heapMb)} MB | csv-parse alone: ${f1(parseFloor.ms)} ms | ${f1(imported.ms / parseFloor.ms)}x |`,
      `| import, against the bare INSERT floor | ${ROWS.toLocaleString('en')} | | | | | multi-row INSERT of the same rows: ${f1(insertFloor.ms / 1000)} s (${rate(ROWS, insertFloor.ms)} rows/s) | ${f1(imported.ms / insertFloor.ms)}x |`,
      `| export, all users (streamed) | ${ROWS.toLocaleString('en')} | ${f1(exported.ms / 1000)} s | ${rate(ROWS, exported.ms)} | ${f1(exported.rssMb)} MB | ${f1(exported.heapMb)} MB | csv-stringify alone: ${f1(stringifyFloor.ms)} ms | ${f1(exported.ms / stringifyFloor.ms)}x |`,
      `| export, a filter (\`status=suspended\`: a tenth) | ~${tenth.toLocaleString('en')} | ${f1(small.ms / 1000)} s | ${rate(tenth, small.ms)} | ${f1(small.rssMb)} MB | ${f1(small.heapMb)} MB | | |`,
      '',
      `Export bytes: ${(exported.value / MB).toFixed(1)} MB. Export heap peak: ${f1(exported.heapMb)} MB for all users against ${f1(small.heapMb)} MB for a tenth (the client reads the stream chunk by chunk; the server holds one page of 500 rows at a time). The import holds the parsed file and one transaction's bookkeeping: it reads what the rules need about the tenant once, reads the users the next 500 rows name in one query, checks every row with the users service's rules and writes new users 500 to a statement (audit entries are written every 500 rows; change events fold into one).${ROWS === 100_000 ? '' : ` This run: BENCH_CSV_ROWS=${ROWS} (the default is 100,000).`} The heap peak counts garbage V8 has not collected yet, which grows with a run's length; the RSS growth (${f1(exported.rssMb)} MB for all users, ${f1(small.rssMb)} MB for a tenth) is the figure for constant memory. Figures taken while other work shares the machine are noisy: compare the ratios to the same-run floors.`,
      '',
      `### While an import runs on the embedded database`,
      '',
      `${LIVE_ROWS.toLocaleString('en')} new users on PGlite (one connection). Meanwhile a portal session polls the job every 100 ms and, one request after another, lists users (\`GET …/users?limit=20\`). The progress is answered from the running node's memory and the session from its recent verification; a dry run (rolled back) and \`mode=valid\` (committed) go 500 rows at a time, so the list is answered between parts; \`mode=all\` holds the connection to its end, so a list request waits for it.`,
      '',
      '| import | time | progress requests while running | users-list requests answered | event loop longest block |',
      '|---|---:|---|---|---:|',
      await importWhileServing('dry run'),
      await importWhileServing('all'),
      await importWhileServing('valid'),
    ].join('\n');
  } finally {
    await server.close();
    await db?.drop();
  }
}
