import { sql, type Kysely } from 'kysely';

/**
 * Identity (SPEC 9): single-use links (invitations, resets), API tokens, OIDC issuers and
 * in-flight sign-ins, the dev mailbox, and the failed-login counters that throttle (I4).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // I3: only the SHA-256 of a link's token is stored; `used_at` makes it single-use.
  await db.schema
    .createTable('one_time_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await sql`create index one_time_tokens_user on one_time_tokens (tenant_id, user_id) where used_at is null`.execute(
    db,
  );

  // I5: named, scoped, optionally expiring; the secret is shown once and stored hashed.
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('last_used_addr', 'text')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await sql`create index api_tokens_tenant on api_tokens (tenant_id, created_at)`.execute(db);

  // Token use is audited with the client address (issue #4 item 8), at most once a minute per token.
  await sql`alter table platform_tokens add column last_used_addr text`.execute(db);
  await sql`alter table platform_tokens add column name text`.execute(db);

  // I2: issuers configured per tenant; the client secret is sealed with the deployment's secret key.
  await db.schema
    .createTable('oidc_issuers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index oidc_issuers_tenant on oidc_issuers (tenant_id)`.execute(db);

  // A sign-in in flight: state, nonce and PKCE verifier, kept in the database so any node can finish it.
  await db.schema
    .createTable('oidc_flows')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('issuer_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Without SMTP_URL, mail is kept here so the provider can read it (the flows work out of the box).
  await db.schema
    .createTable('dev_mailbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('to_addr', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // I4: failed logins per account (lowercased email) and per client address, shared by every node.
  await db.schema
    .createTable('login_failures')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // The sweeper looks for lapsed sessions by last activity.
  await sql`create index sessions_live_seen on sessions (last_seen_at) where ended_at is null`.execute(db);
}
