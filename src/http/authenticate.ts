import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Executor } from '../db/database.js';
import type { Actor, RequestContext } from '../infra/context.js';
import { AppError } from '../infra/errors.js';
import { resolvePlatformToken, resolveProvider, resolveSession } from '../modules/auth/credentials.js';

type Resolver = (db: Executor, token: string) => Promise<Actor | null>;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/**
 * Resolves the caller once per request (bearer token, or extra resolvers added by other modules,
 * e.g. cookies and API tokens). Routes then ask for a context with `contextOf`.
 */
export class Authenticator {
  private readonly byPrefix = new Map<string, Resolver>();
  private readonly fallbacks: Array<(req: FastifyRequest) => Promise<Actor | null>> = [];

  constructor(
    private readonly db: Executor,
    providerToken: string | undefined,
  ) {
    this.byPrefix.set('sbs', resolveSession);
    this.byPrefix.set('sbk', resolvePlatformToken);
    this.byPrefix.set('sbp', (db, t) => resolveProvider(db, t, providerToken));
    this.providerToken = providerToken;
  }
  private readonly providerToken: string | undefined;

  /** Registers the resolver for tokens of one prefix (`sbt` API tokens, …). */
  addTokenKind(prefix: string, resolver: Resolver): void {
    this.byPrefix.set(prefix, resolver);
  }
  /** Registers a resolver used when there is no bearer token (e.g. the portal's session cookie). */
  addFallback(resolver: (req: FastifyRequest) => Promise<Actor | null>): void {
    this.fallbacks.push(resolver);
  }

  async resolve(req: FastifyRequest): Promise<Actor | null> {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new AppError('unauthorized', 'the Authorization header must be "Bearer <token>"');
      const token = m[1]!;
      const prefix = token.split('_')[0] ?? '';
      const resolver = this.byPrefix.get(prefix);
      // A deployment's configured provider token may have any form.
      const actor = resolver
        ? await resolver(this.db, token)
        : await resolveProvider(this.db, token, this.providerToken);
      if (!actor) throw new AppError('invalid_token', 'the token is not valid (expired, revoked or unknown)');
      return actor;
    }
    for (const f of this.fallbacks) {
      const actor = await f(req);
      if (actor) return actor;
    }
    return null;
  }

  register(app: FastifyInstance): void {
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (req) => {
      if (req.routeOptions.config && (req.routeOptions.config as { public?: boolean }).public) return;
      req.actor = await this.resolve(req);
    });
  }
}

/** The request's context; refuses anonymous callers. */
export function contextOf(req: FastifyRequest): RequestContext {
  if (!req.actor) throw new AppError('unauthorized', 'sign in or send a bearer token');
  return { requestId: req.id, actor: req.actor, clientAddr: req.ip ?? null };
}
