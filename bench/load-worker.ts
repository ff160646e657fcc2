import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * One load: `connections` keep-alive connections sending the same POST for `seconds`, spread over
 * `workers` worker threads (default `BENCH_LOAD_WORKERS`, else 2), so one generator thread is not
 * what limits a fast server.
 */
interface Load {
  url: string;
  path: string;
  body: string;
  /** Bodies sent in turn instead of `body` (each generator thread starts at its own offset). */
  bodies?: string[];
  token: string;
  connections: number;
  seconds: number;
  workers?: number;
}
export interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Every request's latency (ms), sorted, and the seconds the load ran. */
  latencies: Float64Array;
  elapsed: number;
}

/** The load generator threads a load uses unless it says otherwise. */
export const LOAD_WORKERS = Math.max(1, Number(process.env.BENCH_LOAD_WORKERS ?? 2));

/** What one generator thread sends back: its request latencies (ms), errors and elapsed seconds. */
interface Part {
  latencies: Float64Array;
  errors: number;
  elapsed: number;
}

/**
 * The generator, run as plain JavaScript on a worker thread (threads do not inherit the tsx loader):
 * an undici keep-alive pool sends the same request from each connection until time is up.
 */
const SOURCE = `
const { parentPort, workerData: load } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { Pool } = require(load.undici);
(async () => {
  const pool = new Pool(load.url, { connections: load.connections, pipelining: 1 });
  const lat = [];
  let errors = 0;
  const until = performance.now() + load.seconds * 1000;
  let next = load.offset;
  const one = async () => {
    while (performance.now() < until) {
      const body = load.bodies ? load.bodies[next++ % load.bodies.length] : load.body;
      const s = performance.now();
      const r = await pool.request({ method: 'POST', path: load.path, body,
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + load.token } });
      await r.body.arrayBuffer();
      if (r.statusCode !== 200) errors++;
      lat.push(performance.now() - s);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: load.connections }, one));
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  parentPort.postMessage({ latencies: Float64Array.from(lat), errors, elapsed });
})();
`;

function runPart(load: Load, connections: number, undici: string, offset: number): Promise<Part> {
  return new Promise((resolve, reject) => {
    const w = new Worker(SOURCE, { eval: true, workerData: { ...load, connections, undici, offset } });
    w.once('message', (r: Part) => {
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

/**
 * Runs one load on worker threads, so the generator never shares the server's event loop; the
 * connections are shared out between the threads and their latencies merged.
 */
export async function runLoad(load: Load): Promise<LoadResult> {
  const undici = createRequire(import.meta.url).resolve('undici');
  const workers = Math.max(1, Math.min(load.workers ?? LOAD_WORKERS, load.connections));
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      runPart(
        load,
        Math.floor(load.connections / workers) + (i < load.connections % workers ? 1 : 0),
        undici,
        // Threads sending several bodies start apart, so they do not send the same ones.
        load.bodies ? Math.floor((i * load.bodies.length) / workers) : 0,
      ),
    ),
  );
  const elapsed = Math.max(...parts.map((p) => p.elapsed));
  return summary(
    parts.map((p) => p.latencies),
    elapsed,
    parts.reduce((n, p) => n + p.errors, 0),
  );
}

/** Loads run one after another as one: requests over the seconds they ran together, latencies merged. */
export function combine(loads: LoadResult[]): LoadResult {
  return summary(
    loads.map((l) => l.latencies),
    loads.reduce((s, l) => s + l.elapsed, 0),
    loads.reduce((n, l) => n + l.errors, 0),
  );
}

function summary(latencies: Float64Array[], elapsed: number, errors: number): LoadResult {
  const lat = Float64Array.from(latencies.flatMap((l) => Array.from(l))).sort();
  return {
    perSecond: lat.length / elapsed,
    p50: lat[Math.floor(lat.length * 0.5)] ?? 0,
    p99: lat[Math.floor(lat.length * 0.99)] ?? 0,
    errors,
    latencies: lat,
    elapsed,
  };
}
