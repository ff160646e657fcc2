import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Tenant } from '../../src/contract/index.js';
import { hashPassword } from '../../src/infra/crypto.js';
import type { ProblemBody } from '../support/api.js';
import { PROVIDER_TOKEN } from '../support/server.js';

/**
 * Several real server processes (`tsx src/cli.ts serve`) on one PostgreSQL database, on loopback:
 * what the multi-node seat test and the seat benchmark run against.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Node {
  url: string;
  child: ChildProcess;
  stderr: string[];
}
export interface Cluster {
  nodes: Node[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** Polls /readyz until the node answers (a child process announces no readiness event); fails if it exits. */
async function waitReady(node: Node, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (node.child.exitCode !== null) throw new Error(`node ${node.url} exited: ${node.stderr.join('').slice(-2000)}`);
    try {
      const r = await fetch(`${node.url}/readyz`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`node ${node.url} not ready after ${timeoutMs} ms: ${node.stderr.join('').slice(-2000)}`);
}

async function startNode(databaseUrl: string, env: Record<string, string>): Promise<Node> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SWITCHBOARD_PROVIDER_TOKEN: PROVIDER_TOKEN,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const node: Node = { url: `http://127.0.0.1:${port}`, child, stderr: [] };
  child.stderr.on('data', (d: Buffer) => {
    node.stderr.push(d.toString());
    if (node.stderr.length > 200) node.stderr.shift();
  });
  return node;
}

/** Starts `count` nodes; the first one migrates the database before the others start. */
export async function startCluster(
  databaseUrl: string,
  count: number,
  env: Record<string, string> = {},
  /** How long a node may take to answer /readyz (a loaded machine starts slowly). */
  readyMs = 60_000,
): Promise<Cluster> {
  const nodes: Node[] = [];
  const stop = async () => {
    await Promise.all(
      nodes.map(
        (n) =>
          new Promise<void>((ok) => {
            // A node killed by a signal has no exit code, only a signal code: it is gone all the same.
            if (n.child.exitCode !== null || n.child.signalCode !== null) return ok();
            n.child.once('exit', () => ok());
            n.child.kill('SIGTERM');
            setTimeout(() => {
              if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
            }, 5000).unref();
          }),
      ),
    );
  };
  try {
    const first = await startNode(databaseUrl, env);
    nodes.push(first);
    await waitReady(first, readyMs);
    const rest = await Promise.all(Array.from({ length: count - 1 }, () => startNode(databaseUrl, env)));
    nodes.push(...rest);
    await Promise.all(rest.map((n) => waitReady(n, readyMs)));
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes, stop };
}

/** JSON over HTTP to one node; the body is what the caller expects (T), by default a problem document. */
export async function http<T = ProblemBody>(
  url: string,
  method: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const r = await fetch(url, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  let parsed: unknown = null;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    parsed = text;
  }
  return { status: r.status, body: parsed as T };
}

/**
 * A tenant with `count` platform users through the API (provider creates the tenant and a platform
 * token; the token pushes a snapshot). Platform sync carries no passwords, so one password hash is
 * then set for all of them directly in the database (a fixture shortcut, not an API path).
 */
export async function seedTenant(
  nodeUrl: string,
  databaseUrl: string,
  opts: { seats: number | null; users: number; password: string; plan?: string },
): Promise<{ tenantId: string; users: Array<{ id: string; email: string }> }> {
  const t = await http<Tenant>(
    `${nodeUrl}/v1/tenants`,
    'POST',
    { name: `Seats ${Date.now()}`, seats: opts.seats, ...(opts.plan && { plan: opts.plan }) },
    PROVIDER_TOKEN,
  );
  if (t.status !== 201) throw new Error(`tenant: ${t.status} ${JSON.stringify(t.body)}`);
  const tenantId = t.body.id;
  const pt = await http<{ id: string; token: string }>(
    `${nodeUrl}/v1/tenants/${tenantId}/platform-tokens`,
    'POST',
    { name: 'pbx' },
    PROVIDER_TOKEN,
  );
  if (pt.status !== 201) throw new Error(`platform token: ${pt.status} ${JSON.stringify(pt.body)}`);
  const stamp = Date.now().toString(36);
  const snapshot = {
    users: Array.from({ length: opts.users }, (_, i) => ({
      externalId: `ext-${i}`,
      displayName: `Agent ${i}`,
      email: `agent${i}.${stamp}@seats.example`,
      extension: String(2000 + i),
      devices: [],
      acdQueues: [],
    })),
    queues: [],
  };
  const s = await http(`${nodeUrl}/v1/tenants/${tenantId}/platform/snapshot`, 'PUT', snapshot, pt.body.token);
  if (s.status !== 200) throw new Error(`snapshot: ${s.status} ${JSON.stringify(s.body).slice(0, 500)}`);
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query('update users set password_hash = $1 where tenant_id = $2', [
      await hashPassword(opts.password),
      tenantId,
    ]);
    const rows = await c.query<{ id: string; email: string }>(
      'select id, email from users where tenant_id = $1 order by external_id',
      [tenantId],
    );
    return { tenantId, users: rows.rows };
  } finally {
    await c.end();
  }
}
