import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from './app.js';
import { pendingMigrations, pingDatabase, type DatabaseHandle } from './db/database.js';
import { putSystemSetting } from './db/system-settings.js';
import type { Config } from './infra/config.js';
import type { RequestContext } from './infra/context.js';
import { generateToken, hashToken } from './infra/crypto.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import type { AuditVerification } from './modules/audit/audit.schemas.js';
import { outboxLag } from './modules/outbox/outbox.repo.js';
import { QueuesService } from './modules/queues/queues.service.js';
import { TenantsService } from './modules/tenants/tenants.service.js';
import { UsersService } from './modules/users/users.service.js';
import type { Tenant, TenantCreate } from './modules/tenants/tenants.schemas.js';

/**
 * The operator's commands (`switchboard tenants|provider-token|audit|doctor`): the same services the
 * API calls, acting as the provider, so every rule and every audit entry is the same as over HTTP.
 */
function operatorContext(): RequestContext {
  return {
    requestId: `cli-${randomUUID()}`,
    actor: { kind: 'provider', id: 'provider', credential: 'operator_cli' },
    clientAddr: null,
  };
}

export async function createTenant(server: Server, input: TenantCreate): Promise<Tenant> {
  return new TenantsService(server.deps).create(operatorContext(), input);
}

/** Every tenant, a page at a time. */
export async function listAllTenants(server: Server): Promise<Tenant[]> {
  const tenants = new TenantsService(server.deps);
  const out: Tenant[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await tenants.list(operatorContext(), { cursor, limit: 500 });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

/** What `switchboard demo` made: a tenant to look at, and how its administrator signs in. */
export interface Demo {
  tenant: Tenant;
  adminEmail: string;
  adminPassword: string;
  users: number;
  queues: string[];
  signInUrl: string;
  /** Signs the administrator in once, within 15 minutes (I3). */
  signInLink: string;
}

const DEMO_AGENTS = ['Ana Costa', 'Ben Okafor', 'Chloé Martin', 'Dmitri Petrov', 'Eun-ji Park', 'Farid Haddad'];

/**
 * A demo tenant a newcomer can open in a minute: an administrator with a generated password (shown
 * once), agents and two queues, all made through the same services as the API (rules and audit).
 */
export async function createDemo(server: Server, config: Config): Promise<Demo> {
  const ctx = operatorContext();
  const tenant = await new TenantsService(server.deps).create(ctx, {
    name: `Demo Contact Center ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
    plan: 'record',
    seats: 25,
  });
  const domain = `demo-${tenant.id.slice(-8).toLowerCase()}.example`;
  const queuesService = new QueuesService(server.deps);
  const queues = [];
  for (const name of ['Sales', 'Support']) queues.push((await queuesService.create(ctx, tenant.id, { name })).name);
  const users = new UsersService(server.deps);
  const adminEmail = `admin@${domain}`;
  const adminPassword = randomBytes(12).toString('base64url');
  const admin = await users.create(ctx, tenant.id, {
    displayName: 'Demo Administrator',
    email: adminEmail,
    password: adminPassword,
    permissions: ['website_access', 'manage_users', 'manage_billable_items', 'customer_settings', 'rest_api_admin'],
    profile: { kind: 'superuser' },
  });
  for (const displayName of DEMO_AGENTS)
    await users.create(ctx, tenant.id, {
      displayName,
      email: `${displayName
        .toLowerCase()
        .split(' ')[0]!
        .normalize('NFD')
        .replace(/[^a-z]/g, '')}@${domain}`,
    });
  const base = (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/$/, '');
  const link = await new AuthService(server.deps).issueSignInLink(ctx, tenant.id, admin.id);
  return {
    tenant,
    adminEmail,
    adminPassword,
    users: DEMO_AGENTS.length + 1,
    queues,
    signInUrl: `${base}/sign-in?email=${encodeURIComponent(adminEmail)}`,
    signInLink: `${base}/sign-in/link?token=${encodeURIComponent(link)}`,
  };
}

export async function verifyAudit(server: Server, tenantId: string): Promise<AuditVerification> {
  return new AuditService(server.deps).verify(operatorContext(), tenantId);
}

/**
 * A new provider token replaces the stored one (its hash); the old one stops working at once on every
 * node. Refused when the token comes from SWITCHBOARD_PROVIDER_TOKEN: rotate it there.
 */
export async function rotateProviderToken(database: DatabaseHandle, config: Config): Promise<string> {
  if (config.SWITCHBOARD_PROVIDER_TOKEN)
    throw new Error('the provider token comes from SWITCHBOARD_PROVIDER_TOKEN: change that variable to rotate it');
  const token = generateToken('sbp');
  await putSystemSetting(database.db, 'provider_token_hash', hashToken(token));
  return token;
}

/** An outbox row due this long without a node taking it means no node is dispatching. */
const OUTBOX_LAG_LIMIT_SECONDS = 300;

export interface DoctorCheck {
  check: string;
  ok: boolean;
  detail: string;
}

/** What a node needs, checked without changing anything: configuration, database, migrations. */
export async function doctor(
  database: DatabaseHandle | null,
  config: Config,
  openError?: unknown,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [
    {
      check: 'database',
      ok: database !== null,
      detail: config.DATABASE_URL
        ? `PostgreSQL at ${redactUrl(config.DATABASE_URL)}`
        : `embedded (PGlite) in ${config.SWITCHBOARD_DATA_DIR}`,
    },
    {
      check: 'secret key',
      ok: true,
      detail: config.SWITCHBOARD_SECRET_KEY
        ? 'SWITCHBOARD_SECRET_KEY is set'
        : 'generated and kept in the database: set SWITCHBOARD_SECRET_KEY in production to keep the key apart from the data',
    },
    {
      check: 'mail',
      ok: true,
      detail: config.SMTP_URL ? 'SMTP_URL is set' : 'no SMTP_URL: mails go to the dev mailbox',
    },
    {
      check: 'public URL',
      ok: true,
      detail: config.PUBLIC_URL ?? 'PUBLIC_URL is not set: links in mails and OIDC redirects use the request address',
    },
  ];
  if (!database) {
    checks[0]!.detail += `: cannot open (${openError instanceof Error ? openError.message : String(openError)})`;
    return checks;
  }
  try {
    await pingDatabase(database.db);
    const pending = await pendingMigrations(database.db);
    checks.push({
      check: 'migrations',
      ok: pending.length === 0,
      detail: pending.length ? `pending: ${pending.join(', ')} (run switchboard migrate)` : 'up to date',
    });
    if (pending.length === 0) {
      // Webhooks, mails and phone-system requests waiting: a lag of minutes means no node dispatches.
      const lag = await outboxLag(database.db);
      checks.push({
        check: 'outbox',
        ok: lag.lagSeconds < OUTBOX_LAG_LIMIT_SECONDS,
        detail: `${lag.pending} pending, the oldest due one waiting ${Math.round(lag.lagSeconds)} s${
          lag.lagSeconds >= OUTBOX_LAG_LIMIT_SECONDS ? ': is any node running?' : ''
        }`,
      });
    }
  } catch (err) {
    checks[0] = { ...checks[0]!, ok: false, detail: `${checks[0]!.detail}: ${(err as Error).message}` };
  }
  return checks;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unparseable URL';
  }
}
