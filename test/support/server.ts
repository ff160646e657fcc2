import { describe } from 'vitest';
import { buildServer, type Server } from '../../src/app.js';
import { loadConfig } from '../../src/infra/config.js';

export const PROVIDER_TOKEN = 'test-provider-token-0123456789abcdef';
export { ADMIN_URL, createTestDatabase, postgresReachable, type DbKind } from './databases.js';
import { createTestDatabase, postgresReachable, type DbKind } from './databases.js';

export interface TestServer extends Server {
  kind: DbKind;
  stop(): Promise<void>;
}

/** A server on a fresh database of the given kind, with the test provider token. */
export async function startTestServer(kind: DbKind, env: Record<string, string> = {}): Promise<TestServer> {
  let drop = async () => {};
  const vars: Record<string, string> = {
    SWITCHBOARD_PROVIDER_TOKEN: PROVIDER_TOKEN,
    LOG_LEVEL: 'silent',
    SWITCHBOARD_DATA_DIR: 'memory://',
    ...env,
  };
  if (kind === 'postgres') {
    const db = await createTestDatabase();
    vars.DATABASE_URL = db.url;
    drop = db.drop;
  }
  const server = await buildServer(loadConfig(vars));
  return {
    ...server,
    kind,
    stop: async () => {
      await server.close();
      await drop();
    },
  };
}

const wantPostgres = process.env.SKIP_POSTGRES !== '1';
const pgAvailable = wantPostgres ? await postgresReachable() : false;

/** Runs a suite on the embedded database always, and on PostgreSQL when reachable (required in CI). */
export function describeEachDatabase(name: string, fn: (kind: DbKind) => void): void {
  describe(`${name} [pglite]`, () => fn('pglite'));
  describe.skipIf(!pgAvailable)(`${name} [postgres]`, () => fn('postgres'));
}
