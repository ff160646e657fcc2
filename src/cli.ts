#!/usr/bin/env node
import { buildServer } from './app.js';
import { loadConfig, ConfigError } from './infra/config.js';
import { migrateToLatest, openDatabase } from './db/database.js';

/** `switchboard serve` (default) or `switchboard migrate`. */
async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  const config = loadConfig();
  if (command === 'migrate') {
    const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.SWITCHBOARD_DATA_DIR });
    const applied = await migrateToLatest(handle.db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    await handle.close();
    return;
  }
  if (command !== 'serve') {
    console.error(`Unknown command "${command}". Commands: serve, migrate.`);
    process.exitCode = 2;
    return;
  }
  const server = await buildServer(config);
  const address = await server.app.listen({ port: config.PORT, host: config.HOST });
  const where = config.DATABASE_URL ? 'PostgreSQL' : `the embedded database in ${config.SWITCHBOARD_DATA_DIR}`;
  console.log(`\nSwitchboard is serving at ${address} on ${where}.`);
  console.log(`  Admin portal: ${address}/    API docs: ${address}/docs    OpenAPI: ${address}/openapi.json`);
  if (server.generatedProviderToken) {
    console.log(`  Provider token (shown once; keep it safe): ${server.generatedProviderToken}`);
  } else if (config.SWITCHBOARD_PROVIDER_TOKEN) {
    console.log('  Provider token: the value of SWITCHBOARD_PROVIDER_TOKEN.');
  } else {
    console.log('  Provider token: the one printed at the first start (set SWITCHBOARD_PROVIDER_TOKEN to choose one).');
  }
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
