import rateLimit from '@fastify/rate-limit';
import type { Authenticator, TokenResolver } from '../../http/authenticate.js';
import type { Api } from '../../http/types.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError } from '../../infra/errors.js';
import { ApiTokensService } from '../api-tokens/api-tokens.service.js';
import { registerApiTokenRoutes, registerTokenUseAudit } from '../api-tokens/api-tokens.routes.js';
import type { Closer } from '../../infra/closer.js';
import type { Mailer } from '../mail/mailer.js';
import { registerMailRoutes } from '../mail/mail.routes.js';
import { OidcService } from '../oidc/oidc.service.js';
import { registerOidcRoutes } from '../oidc/oidc.routes.js';
import { PlatformTokensService } from '../platform-tokens/platform-tokens.service.js';
import { registerPlatformTokenRoutes } from '../platform-tokens/platform-tokens.routes.js';
import { registerSessionRoutes } from '../sessions/sessions.routes.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { registerSeatMetrics, startSweeper } from '../sessions/sweeper.js';
import { UsersService } from '../users/users.service.js';
import { registerAuthRoutes } from './auth.routes.js';
import {
  forgetAllTokens,
  forgetTokens,
  forgetTokensOfUsers,
  resolveApiToken,
  resolvePlatformToken,
  resolveProvider,
  resolveSession,
} from './credentials.js';
import type { ChangeEvent } from '../../infra/bus.js';
import { AuthService } from './auth.service.js';
import { registerPortalCookies } from './portal-cookie.js';
import { registerResourceTickets } from '../stream/resource-tickets.js';

/**
 * Identity (SPEC 6 and 9): login and seats, sessions and their sweeper, portal cookies with CSRF,
 * links by email, OIDC, API and platform tokens. Returns what to stop on shutdown.
 */
export async function registerIdentity(
  app: Api,
  deps: ServiceDeps,
  auth: Authenticator,
  mailer: Mailer,
): Promise<Closer[]> {
  if (!app.hasDecorator('rateLimit')) {
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_req, ctx) =>
        new AppError('rate_limited', `too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`, {
          rule: 'I4',
          extra: { retryAfter: Math.ceil(ctx.ttl / 1000) },
        }),
    });
  }
  // A ticket for one link or WebSocket is the more specific credential: it is asked before the cookie.
  registerResourceTickets(auth, deps.db, deps.config.SWITCHBOARD_PROVIDER_TOKEN);
  await registerPortalCookies(app, auth, deps.db);
  const resolveProviderToken: TokenResolver = (db, token) =>
    resolveProvider(db, token, deps.config.SWITCHBOARD_PROVIDER_TOKEN);
  auth.addTokenKind('sbs', resolveSession);
  auth.addTokenKind('sbk', resolvePlatformToken);
  auth.addTokenKind('sbp', resolveProviderToken);
  auth.setUnprefixed(resolveProviderToken);
  auth.addTokenKind('sbt', resolveApiToken);
  registerTokenUseAudit(app, deps);
  // Verified tokens are cached per node: revoked ones, and API tokens of users who changed, are dropped.
  const onRevoked = (e: ChangeEvent) => {
    if (e.type === 'credential') forgetTokens(deps.db, e.tokenIds);
    else if (e.type === 'config' || e.type === 'revoke') forgetTokensOfUsers(deps.db, e.tenantId, e.userIds);
    else if (e.type === 'resync') forgetAllTokens(deps.db);
  };
  const stopForgetting = [deps.bus.subscribe(onRevoked), deps.bus.subscribeOwnCommits(onRevoked)];

  const authService = new AuthService(deps);
  const sessions = new SessionsService(deps);
  registerAuthRoutes(app, { auth: authService, sessions, users: new UsersService(deps) }, deps.config.PUBLIC_URL);
  registerSessionRoutes(app, sessions, authService);
  registerApiTokenRoutes(app, new ApiTokensService(deps));
  registerPlatformTokenRoutes(app, new PlatformTokensService(deps));
  registerMailRoutes(app, deps, mailer);
  registerOidcRoutes(app, new OidcService(deps, authService), deps.config.PUBLIC_URL);
  const stopSweeper = startSweeper(deps);
  registerSeatMetrics(deps);
  return [stopSweeper, ...stopForgetting];
}
