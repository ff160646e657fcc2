import * as client from 'openid-client';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { requireCapability } from '../access/actor-access.js';
import { auditStandalone } from '../auth/auth.repo.js';
import { mayUsePortal, type AuthService, type LoginMeta } from '../auth/auth.service.js';
import type { OpenedSession } from '../sessions/sessions.service.js';
import * as repo from './oidc.repo.js';
import type { OidcIssuer, OidcIssuerCreate, OidcIssuerPatch } from './oidc.schemas.js';

export const CALLBACK_PATH = '/v1/auth/oidc/callback';
const FLOW_TTL_SECONDS = 10 * 60;

/** Plain HTTP is accepted only for an issuer on this machine (a test or development identity provider). */
function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

function present(r: repo.OidcIssuerRow): OidcIssuer {
  return {
    id: r.id,
    name: r.name,
    issuer: r.issuer,
    clientId: r.client_id,
    hasClientSecret: r.client_secret !== null,
    redirectPath: CALLBACK_PATH,
    startPath: `/v1/auth/oidc/${r.id}/start`,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * OIDC sign-in (I2) with openid-client: authorization code with PKCE, state and nonce. Issuers are
 * configured per tenant; the user is matched by verified email among the tenant's users with website
 * access, and gets a portal session like a password login (seats included).
 */
export class OidcService {
  /** Discovered configurations per issuer id, per node (discovery documents rarely change). */
  private readonly configs = new Map<string, Promise<client.Configuration>>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly auth: AuthService,
  ) {}

  private discover(issuer: string, clientId: string, secret: string | null): Promise<client.Configuration> {
    const url = new URL(issuer);
    const insecure = url.protocol === 'http:' && isLoopback(url);
    return client.discovery(
      url,
      clientId,
      secret ?? undefined,
      secret ? client.ClientSecretPost(secret) : client.None(),
      {
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: 10,
      },
    );
  }

  private configFor(row: repo.OidcIssuerRow): Promise<client.Configuration> {
    let c = this.configs.get(row.id);
    if (!c) {
      c = this.discover(
        row.issuer,
        row.client_id,
        row.client_secret ? this.deps.secrets.open(row.client_secret) : null,
      );
      c.catch(() => this.configs.delete(row.id));
      this.configs.set(row.id, c);
    }
    return c;
  }

  async createIssuer(ctx: RequestContext, tenantId: string, input: OidcIssuerCreate): Promise<OidcIssuer> {
    await requireCapability(this.deps.db, ctx, tenantId, 'settings:edit');
    await this.assertDiscoverable(input.issuer, input.clientId, input.clientSecret ?? null);
    return inTransaction(this.deps, ctx, async (uow) => {
      const row = await repo.insertIssuer(uow.tx, {
        id: newId('oidc'),
        tenant_id: tenantId,
        name: input.name,
        issuer: input.issuer,
        client_id: input.clientId,
        client_secret: input.clientSecret ? this.deps.secrets.seal(input.clientSecret) : null,
      });
      const out = present(row);
      uow.audit({ tenantId, action: 'oidc_issuer.create', targetType: 'oidc_issuer', targetId: row.id, after: out });
      return out;
    });
  }

  /**
   * Changes an issuer (settings:edit): its name, URL, client id or secret (`null` removes the secret).
   * A changed URL or client is checked against the issuer's discovery document before it is saved;
   * the next sign-in uses the new settings.
   */
  async updateIssuer(ctx: RequestContext, tenantId: string, id: string, patch: OidcIssuerPatch): Promise<OidcIssuer> {
    await requireCapability(this.deps.db, ctx, tenantId, 'settings:edit');
    const before = await repo.findIssuer(this.deps.db, id);
    if (!before || before.tenant_id !== tenantId) throw notFound('OIDC issuer');
    const issuer = patch.issuer ?? before.issuer;
    const clientId = patch.clientId ?? before.client_id;
    const secret =
      patch.clientSecret === undefined
        ? before.client_secret && this.deps.secrets.open(before.client_secret)
        : patch.clientSecret;
    if (patch.issuer !== undefined || patch.clientId !== undefined || patch.clientSecret !== undefined)
      await this.assertDiscoverable(issuer, clientId, secret);
    const out = await inTransaction(this.deps, ctx, async (uow) => {
      const row = await repo.updateIssuer(uow.tx, tenantId, id, {
        ...(patch.name !== undefined && { name: patch.name }),
        issuer,
        client_id: clientId,
        ...(patch.clientSecret !== undefined && {
          client_secret: patch.clientSecret === null ? null : this.deps.secrets.seal(patch.clientSecret),
        }),
      });
      if (!row) throw notFound('OIDC issuer');
      const after = present(row);
      uow.audit({
        tenantId,
        action: 'oidc_issuer.update',
        targetType: 'oidc_issuer',
        targetId: id,
        before: present(before),
        after,
      });
      return after;
    });
    this.configs.delete(id);
    return out;
  }

  /** An issuer may be saved only over https (plain HTTP on this machine) and with a readable discovery document. */
  private async assertDiscoverable(issuer: string, clientId: string, secret: string | null): Promise<void> {
    const url = new URL(issuer);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
      throw new AppError('validation_failed', 'the issuer must use https', { field: '/issuer' });
    }
    try {
      await this.discover(issuer, clientId, secret);
    } catch (err) {
      throw new AppError(
        'validation_failed',
        `the issuer's discovery document could not be read: ${(err as Error).message}`,
        { field: '/issuer' },
      );
    }
  }

  async listIssuers(ctx: RequestContext, tenantId: string): Promise<OidcIssuer[]> {
    await requireCapability(this.deps.db, ctx, tenantId, ['settings:view', 'settings:edit']);
    return (await repo.listIssuers(this.deps.db, tenantId)).map(present);
  }

  /**
   * The sign-in buttons of one tenant's portal: names and start paths only (never issuer URLs or
   * client ids), for one tenant at a time, so the list reveals no other tenant's identity providers.
   * An unknown tenant has no buttons, like a tenant without issuers.
   */
  async signInOptions(tenantId: string): Promise<Array<{ id: string; name: string; startPath: string }>> {
    return (await repo.listIssuers(this.deps.db, tenantId)).map((r) => ({
      id: r.id,
      name: r.name,
      startPath: `/v1/auth/oidc/${r.id}/start`,
    }));
  }

  async deleteIssuer(ctx: RequestContext, tenantId: string, id: string): Promise<void> {
    await requireCapability(this.deps.db, ctx, tenantId, 'settings:edit');
    await inTransaction(this.deps, ctx, async (uow) => {
      const row = await repo.deleteIssuer(uow.tx, tenantId, id);
      if (!row) throw notFound('OIDC issuer');
      uow.audit({
        tenantId,
        action: 'oidc_issuer.delete',
        targetType: 'oidc_issuer',
        targetId: id,
        before: present(row),
      });
    });
    this.configs.delete(id);
  }

  /** Starts a sign-in: remembers state, nonce and PKCE verifier, returns the identity provider's URL. */
  async start(issuerId: string, origin: string, returnTo: string | undefined): Promise<URL> {
    const row = await repo.findIssuer(this.deps.db, issuerId);
    if (!row) throw notFound('OIDC issuer');
    const config = await this.configFor(row);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const redirectUri = `${(this.deps.config.PUBLIC_URL ?? origin).replace(/\/$/, '')}${CALLBACK_PATH}`;
    await repo.insertFlow(
      this.deps.db,
      {
        state,
        issuer_id: row.id,
        nonce,
        code_verifier: verifier,
        redirect_uri: redirectUri,
        return_to: returnTo ?? null,
      },
      FLOW_TTL_SECONDS,
    );
    return client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
  }

  /** Finishes a sign-in from the callback's query: checks state, nonce and PKCE, matches the user, opens a portal session. */
  async finish(
    meta: LoginMeta,
    query: Record<string, string | undefined>,
  ): Promise<{ session: OpenedSession; returnTo: string }> {
    const refuse = async (
      code: 'invalid_credentials' | 'portal_access_required',
      detail: string,
      tenantId: string | null,
      why: string,
    ) => {
      await auditStandalone(this.deps.db, [
        {
          tenantId,
          actorType: 'anonymous',
          actorId: null,
          credential: null,
          action: 'auth.login_refused',
          targetType: 'user',
          targetId: null,
          after: { code, method: 'oidc', reason: why },
          requestId: meta.requestId,
          clientAddr: meta.clientAddr,
        },
      ]);
      return new AppError(code, detail, { rule: code === 'invalid_credentials' ? 'I2' : 'G1' });
    };
    const flow = query.state ? await repo.takeFlow(this.deps.db, query.state) : undefined;
    if (!flow)
      throw await refuse(
        'invalid_credentials',
        'this sign-in is unknown or has expired; start again',
        null,
        'unknown_state',
      );
    const issuer = await repo.findIssuer(this.deps.db, flow.issuer_id);
    if (!issuer)
      throw await refuse(
        'invalid_credentials',
        'this identity provider is no longer configured',
        null,
        'issuer_removed',
      );
    if (query.error)
      throw await refuse(
        'invalid_credentials',
        `the identity provider refused: ${query.error_description ?? query.error}`,
        issuer.tenant_id,
        query.error,
      );
    const config = await this.configFor(issuer);
    const current = new URL(flow.redirect_uri);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) current.searchParams.set(k, v);
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.code_verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      this.deps.log.warn({ err, issuer: issuer.issuer }, 'OIDC code exchange failed');
      throw await refuse(
        'invalid_credentials',
        'the sign-in could not be verified with the identity provider',
        issuer.tenant_id,
        'exchange_failed',
      );
    }
    const email = typeof claims?.email === 'string' ? claims.email : null;
    if (!email || claims?.email_verified !== true) {
      throw await refuse(
        'invalid_credentials',
        'the identity provider did not vouch for an email address (email_verified)',
        issuer.tenant_id,
        'email_unverified',
      );
    }
    const user = await repo.findWebsiteUserByEmail(this.deps.db, issuer.tenant_id, email);
    if (!user)
      throw await refuse(
        'invalid_credentials',
        'no user with website access signs in with this email',
        issuer.tenant_id,
        'no_match',
      );
    if (user.status !== 'active' || !(await mayUsePortal(this.deps, user))) {
      throw await refuse(
        'portal_access_required',
        'signing in to the portal needs an active user with website access',
        issuer.tenant_id,
        'no_portal_access',
      );
    }
    const session = await this.auth.openSession(meta, user, 'portal', `oidc:${issuer.id}`);
    return { session, returnTo: flow.return_to ?? '/' };
  }
}
