import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** One load: `connections` keep-alive connections sending the same POST for `seconds`. */
interface Load {
  url: string;
  path: string;
  body: string;
  token: string;
  connections: number;
  seconds: number;
}
export interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
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
  const one = async () => {
    while (performance.now() < until) {
      const s = performance.now();
      const r = await pool.request({ method: 'POST', path: load.path, body: load.body,
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
  lat.sort((a, b) => a - b);
  parentPort.postMessage({ perSecond: lat.length / elapsed, p50: lat[Math.floor(lat.length * 0.5)] || 0,
    p99: lat[Math.floor(lat.length * 0.99)] || 0, errors });
})();
`;

/** Runs one load on a worker thread, so the generator never shares the server's event loop. */
export function runLoad(load: Load): Promise<LoadResult> {
  const undici = createRequire(import.meta.url).resolve('undici');
  return new Promise((resolve, reject) => {
    const w = new Worker(SOURCE, { eval: true, workerData: { ...load, undici } });
    w.once('message', (r: LoadResult) => {
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
  });
}
