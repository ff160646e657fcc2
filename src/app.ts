import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { Logger } from 'pino';
import { migrateToLatest, openDatabase, pingDatabase, type DatabaseHandle } from './db/database.js';
import { LocalBus, PgBus, type ChangeBus } from './infra/bus.js';
import type { Config } from './infra/config.js';
import type { ServiceDeps } from './infra/deps.js';
import { ensureProviderToken, loadSecretBox } from './infra/bootstrap.js';
import { newId } from './infra/ids.js';
import { Metrics } from './infra/metrics.js';
import { createLogger } from './infra/logger.js';
import { statisticsSettled } from './db/analyze.js';
import { Authenticator, contextOf } from './http/authenticate.js';
import { finishOpenApiDocument } from './http/openapi.js';
import { registerErrorHandling } from './http/problem.js';
import { registerValidation } from './http/validation.js';
import { clientErrorHandler, frameworkErrors, registerInputGuards } from './http/input-guards.js';
import { registerRateLimits } from './http/limits.js';
import { registerDrain } from './http/drain.js';
import type { Api } from './http/types.js';
import { errorResponses, Problem } from './http/common-schemas.js';
import { AppError } from './infra/errors.js';
import { registerModules } from './modules/index.js';
import { outboxLag } from './modules/outbox/outbox.repo.js';
import { webhooksOpenApi } from './modules/webhooks/webhook-events.js';

export interface Server {
  app: Api;
  deps: ServiceDeps;
  database: DatabaseHandle;
  /** A provider token generated on this start (fresh deployment without one configured), shown once. */
  generatedProviderToken: string | null;
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The built portal, whether running from src/ (tsx) or dist/src/ (compiled). */
function portalDir(): string | null {
  for (const p of [resolve(here, '../web/dist'), resolve(here, '../../web/dist')])
    if (existsSync(join(p, 'index.html'))) return p;
  return null;
}

/** Trusts the nearest `hops` proxies (the count form of TRUST_PROXY). */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/** Builds a ready-to-listen server: database opened and migrated, bus started, every module registered. */
export async function buildServer(config: Config, opts: { logger?: Logger } = {}): Promise<Server> {
  const log = opts.logger ?? createLogger(config.LOG_LEVEL);
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.SWITCHBOARD_DATA_DIR,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    onIdleError: (err) => log.warn({ err }, 'idle database connection lost'),
  });
  await migrateToLatest(database.db);
  const secrets = await loadSecretBox(database.db, config.SWITCHBOARD_SECRET_KEY);
  const generatedProviderToken = await ensureProviderToken(database.db, config.SWITCHBOARD_PROVIDER_TOKEN);
  const bus: ChangeBus = database.kind === 'postgres' ? new PgBus(database.url!, log) : new LocalBus();
  await bus.start();

  const deps: ServiceDeps = {
    db: database.db,
    dbKind: database.kind,
    bus,
    config,
    secrets,
    log,
    nodeId: newId('node'),
    metrics: new Metrics(),
  };

  const app = Fastify({
    loggerInstance: log,
    bodyLimit: 1024 * 1024,
    frameworkErrors,
    clientErrorHandler,
    // Behind a load balancer the client address (throttling, audit) comes from X-Forwarded-For.
    trustProxy: typeof config.TRUST_PROXY === 'number' ? trustHops(config.TRUST_PROXY) : config.TRUST_PROXY,
    // The server's own id for every request; a client's X-Request-Id is kept apart (RequestContext).
    genReqId: () => randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as Api;

  registerErrorHandling(app);
  registerValidation(app);
  registerInputGuards(app);
  registerRateLimits(app, config);
  registerDrain(app);
  // Callback-style hooks: on the hot paths (checks, dial-checks) a promise per hook per request shows.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    done(null, payload);
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.inc({ method: req.method, route, status: reply.statusCode });
    deps.metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    done();
  });
  if (database.poolStats) {
    const stats = database.poolStats;
    deps.metrics.gauge(
      'switchboard_db_pool_connections',
      'PostgreSQL pool connections by state',
      () => {
        const s = stats();
        return { total: s.total, idle: s.idle, waiting: s.waiting };
      },
      'state',
    );
  }
  app.addSchema(Problem);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard API',
        version: '1',
        description:
          'User, licence and access service for cloud contact centers. Errors are RFC 9457 problem+json with a stable `code` and, where a rule refused, the SPEC `rule`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      // The webhook event catalogue (W1): what a subscribed endpoint receives, per event type.
      webhooks: webhooksOpenApi() as Record<string, never>,
    },
    transformObject: (document) =>
      'openapiObject' in document ? finishOpenApiDocument(document.openapiObject) : document.swaggerObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const auth = new Authenticator(database.db);
  auth.register(app);

  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await pingDatabase(database.db);
      // The outbox's lag is detail, not readiness: a slow webhook receiver does not take a node out.
      return { status: 'ready', database: database.kind, outbox: await outboxLag(database.db) };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: database.kind });
    }
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['Operations'],
        summary: "This node's metrics in Prometheus text format (provider token)",
        produces: ['text/plain'],
        response: { 200: { type: 'string', description: 'Prometheus exposition format' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (contextOf(req).actor.kind !== 'provider')
        throw new AppError('provider_only', "metrics are the operator's: scrape with the provider token");
      const { contentType, body } = await deps.metrics.scrape();
      return reply.type(contentType).send(body);
    },
  );

  const closers = await registerModules(app, deps, auth);

  const portal = portalDir();
  if (portal) {
    await app.register(fastifyStatic, { root: portal, prefix: '/', wildcard: false, decorateReply: true });
    // Client-side routes of the portal fall back to index.html; API paths keep their problem+json 404s.
    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
      if (/^\/(v1|docs|scim)\b/.test(req.url)) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  }

  await app.ready();
  return {
    app,
    deps,
    database,
    generatedProviderToken,
    /**
     * The drain (SIGTERM): streams close with 1001 and the listener stops taking connections (a
     * request on a kept-alive one answers 503), the requests in flight finish; then background work
     * stops, the outbox dispatcher finishing and recording what it holds; then the bus and the pool.
     */
    async close() {
      await app.close();
      for (const c of closers) await c();
      await bus.stop();
      // A background ANALYZE after bulk writes (src/db/analyze.ts) ends before the pool does.
      await statisticsSettled(database.db);
      await database.close();
    },
  };
}
