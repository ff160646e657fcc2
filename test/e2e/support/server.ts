/**
 * Starts a real Switchboard server for the browser flows: `tsx src/cli.ts serve` (or the build with
 * E2E_USE_DIST=1), on a free port, with a fresh data directory and a
 * known provider token. Builds the portal (web/dist) first when it is missing.
 */
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const PROVIDER_TOKEN = 'e2e-provider-token-0123456789abcdef';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
  log(): string;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

export function ensurePortalBuilt(): void {
  if (!existsSync(join(ROOT, 'web/dist/index.html')) || process.env.E2E_REBUILD_WEB === '1') {
    execSync('npm run build:web', { cwd: ROOT, stdio: 'inherit' });
  }
}

export async function startServer(): Promise<RunningServer> {
  ensurePortalBuilt();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    SWITCHBOARD_PROVIDER_TOKEN: PROVIDER_TOKEN,
    SWITCHBOARD_DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
  };
  // The sources by default, so a stale build never hides a change; E2E_USE_DIST=1 tests the build.
  const useDist = process.env.E2E_USE_DIST === '1' && existsSync(join(ROOT, 'dist/src/cli.js'));
  const child: ChildProcess = useDist
    ? spawn(process.execPath, ['dist/src/cli.js', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  // A loaded machine (a shared CI runner) may need longer: E2E_START_TIMEOUT_MS.
  const deadline = Date.now() + Number(process.env.E2E_START_TIMEOUT_MS ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            r(null);
          }, 5000);
          child.once('exit', () => {
            clearTimeout(t);
            r(null);
          });
        });
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
