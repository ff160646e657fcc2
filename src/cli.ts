#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { buildServer, type Server } from './app.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './db/database.js';
import { validateAsBody } from './http/validation.js';
import { loadConfig, ConfigError, type Config } from './infra/config.js';
import { TenantCreate } from './modules/tenants/tenants.schemas.js';
import { createDemo, createTenant, doctor, listAllTenants, rotateProviderToken, verifyAudit } from './operator.js';

const HELP = `Switchboard: user, licence and access service.

Usage: switchboard <command> [options]

  serve                          serve the API and the portal (the default)
  migrate                        apply pending database migrations and exit
  tenants list                   list every tenant (id, name, plan, seats)
  tenants create --name <name> [--plan <plan>] [--region <CC>] [--seats <n>]
                                 create a tenant (as the provider) and print its id
  provider-token rotate          replace the stored provider token; prints the new one once
  audit verify <tenantId>        recompute a tenant's audit hash chain (exit 1 when broken)
  demo                           create a demo tenant (admin, agents, queues) and print how to sign in
  doctor                         check configuration, database, migrations and outbox lag (exit 1 on a problem)
  help, --help                   this text

Configuration comes from the environment (DATABASE_URL, SWITCHBOARD_DATA_DIR, ...): see README.md.`;

/** A usage mistake: the message and the help, exit code 2. */
class UsageError extends Error {}

async function withDatabase<T>(config: Config, work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.SWITCHBOARD_DATA_DIR });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

async function withServer<T>(config: Config, work: (server: Server) => Promise<T>): Promise<T> {
  const server = await buildServer({ ...config, LOG_LEVEL: 'warn' });
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

async function serve(config: Config): Promise<void> {
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

async function tenants(config: Config, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const list = await withServer(config, listAllTenants);
    for (const t of list)
      console.log(`${t.id}\t${t.name}\t${t.plan}\t${t.homeRegion}\tseats ${t.seats ?? 'unlimited'}`);
    if (list.length === 0) console.log('No tenants yet: switchboard tenants create --name <name>');
    return;
  }
  if (sub === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: {
        name: { type: 'string' },
        plan: { type: 'string' },
        region: { type: 'string' },
        seats: { type: 'string' },
      },
    });
    if (!values.name) throw new UsageError('tenants create needs --name');
    if (values.seats !== undefined && !/^\d+$/.test(values.seats)) throw new UsageError('--seats is a whole number');
    const input = {
      name: values.name,
      ...(values.plan && { plan: values.plan }),
      ...(values.region && { homeRegion: values.region }),
      ...(values.seats !== undefined && { seats: Number(values.seats) }),
    };
    // The same schema as POST /v1/tenants.
    const invalid = validateAsBody(TenantCreate, input);
    if (invalid) throw new UsageError(`tenants create: ${invalid}`);
    const tenant = await withServer(config, (server) => createTenant(server, input));
    console.log(tenant.id);
    return;
  }
  throw new UsageError(`tenants ${sub ?? ''}: expected "list" or "create"`);
}

async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const applied = await withDatabase(config, (d) => migrateToLatest(d.db));
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return;
    }
    case 'tenants':
      return tenants(config, rest);
    case 'provider-token': {
      if (rest[0] !== 'rotate') throw new UsageError('provider-token: expected "rotate"');
      // Through the server's start-up, so a fresh database is migrated first.
      const token = await withServer(config, (server) => rotateProviderToken(server.database, config));
      console.log(`New provider token (shown once; the old one no longer works): ${token}`);
      return;
    }
    case 'audit': {
      const [sub, tenantId] = rest;
      if (sub !== 'verify' || !tenantId) throw new UsageError('audit: expected "verify <tenantId>"');
      const result = await withServer(config, (server) => verifyAudit(server, tenantId));
      console.log(
        result.intact
          ? `Intact: ${result.entries} entries.`
          : `BROKEN at entry ${result.brokenAt} (after ${result.entries} entries read).`,
      );
      if (!result.intact) process.exitCode = 1;
      return;
    }
    case 'demo': {
      const demo = await withServer(config, (server) => createDemo(server, config));
      console.log(
        `Demo tenant ${demo.tenant.name} (${demo.tenant.id}): ${demo.users} users, queues ${demo.queues.join(', ')}.`,
      );
      console.log(
        `Start the server (switchboard serve), then open this link within 15 minutes, signed in as its administrator:`,
      );
      console.log(`  ${demo.signInLink}`);
      console.log(`Or sign in at ${demo.signInUrl}`);
      console.log(`  email ${demo.adminEmail}  password ${demo.adminPassword}  (shown once)`);
      return;
    }
    case 'doctor': {
      let database: DatabaseHandle | null = null;
      let openError: unknown;
      try {
        database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.SWITCHBOARD_DATA_DIR });
      } catch (err) {
        openError = err;
      }
      const checks = await doctor(database, config, openError);
      await database?.close();
      for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.check}: ${c.detail}`);
      if (checks.some((c) => !c.ok)) process.exitCode = 1;
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`switchboard: ${err.message}\n\n${HELP}`);
    process.exit(2);
  }
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
});
