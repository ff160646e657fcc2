import { randomUUID } from 'node:crypto';
import type { Server } from './app.js';
import { pendingMigrations, pingDatabase, type DatabaseHandle } from './db/database.js';
import { putSystemSetting } from './db/system-settings.js';
import type { Config } from './infra/config.js';
import type { RequestContext } from './infra/context.js';
import { generateToken, hashToken } from './infra/crypto.js';
import { AuditService } from './modules/audit/audit.service.js';
import type { AuditVerification } from './modules/audit/audit.schemas.js';
import { TenantsService } from './modules/tenants/tenants.service.js';
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
