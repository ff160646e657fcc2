import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Every environment variable Switchboard reads, parsed once at start. */
const ConfigSchema = Type.Object({
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  SWITCHBOARD_DATA_DIR: Type.String({ default: './data' }),
  /** How long a PostgreSQL connection may take to open before the request answers 503. */
  DATABASE_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 30000 }),
  /** The longest one SQL statement (and an idle open transaction) may run on PostgreSQL. */
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 120000 }),
  /** Batch checks and AuthZEN evaluations one credential may send per minute (per node). */
  RATE_LIMIT_CHECKS_PER_MINUTE: Type.Integer({ minimum: 1, default: 6000 }),
  /** Syncs, imports, exports and usage reports one credential may ask for per minute (per node). */
  RATE_LIMIT_BULK_PER_MINUTE: Type.Integer({ minimum: 1, default: 30 }),
  /** Batch checks and evaluations all credentials of one tenant may send per minute (per node); default twice a credential's. */
  RATE_LIMIT_TENANT_CHECKS_PER_MINUTE: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Bulk operations all credentials of one tenant may ask for per minute (per node); default twice a credential's. */
  RATE_LIMIT_TENANT_BULK_PER_MINUTE: Type.Optional(Type.Integer({ minimum: 1 })),
  SWITCHBOARD_PROVIDER_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  SWITCHBOARD_SECRET_KEY: Type.Optional(Type.String({ minLength: 32 })),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  SMTP_URL: Type.Optional(Type.String()),
  MAIL_FROM: Type.String({ default: 'Switchboard <no-reply@switchboard.local>' }),
  PUBLIC_URL: Type.Optional(Type.String()),
  SWEEP_INTERVAL_MS: Type.Integer({ minimum: 100, default: 1000 }),
  /** Bounds of a tenant's app-session lapse (S3, default 90 s), set by the provider for every tenant. */
  SESSION_APP_LAPSE_MIN_SECONDS: Type.Integer({ minimum: 10, default: 30 }),
  SESSION_APP_LAPSE_MAX_SECONDS: Type.Integer({ minimum: 10, default: 600 }),
  /** Bounds of a tenant's portal idle time (S3, default 30 min), set by the provider for every tenant. */
  SESSION_PORTAL_IDLE_MIN_MINUTES: Type.Integer({ minimum: 1, default: 5 }),
  SESSION_PORTAL_IDLE_MAX_MINUTES: Type.Integer({ minimum: 1, default: 720 }),
  /** Memory budget of the live tenant snapshots on one node; least recently used tenants are dropped past it. */
  SWITCHBOARD_SNAPSHOT_MEMORY_MB: Type.Integer({ minimum: 1, default: 256 }),
  /** `true`, a hop count, or addresses/CIDRs of the proxies whose X-Forwarded-For is believed. */
  TRUST_PROXY: Type.Union([Type.Boolean(), Type.Integer({ minimum: 1 }), Type.String()], { default: false }),
  /** Lets webhooks reach private, loopback and link-local addresses (tests, closed networks). */
  WEBHOOK_ALLOW_PRIVATE: Type.Boolean({ default: false }),
  /** How long one webhook attempt may take before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 15000 }),
  /** How often each node looks for due outbox work (it is also woken at once by its own commits). */
  OUTBOX_POLL_MS: Type.Integer({ minimum: 20, default: 1000 }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses `env` into a typed config; the error names the offending variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  // TRUST_PROXY is `true`/`false`, a hop count, or a list of addresses: only the list stays text.
  if (typeof raw.TRUST_PROXY === 'string') {
    const t = raw.TRUST_PROXY.trim();
    raw.TRUST_PROXY = t === 'true' ? true : t === 'false' ? false : /^\d+$/.test(t) ? Number(t) : t;
  }
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const errors = [...Value.Errors(ConfigSchema, withDefaults)];
  if (errors.length > 0) {
    const e = errors[0]!;
    throw new ConfigError(`Invalid configuration: ${e.path.slice(1) || 'environment'}: ${e.message}`);
  }
  return withDefaults as Config;
}
