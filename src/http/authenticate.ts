import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Executor } from '../db/database.js';
import type { Actor, RequestContext } from '../infra/context.js';
import { AppError } from '../infra/errors.js';

/** Turns a bearer secret into an actor, or null when it is not (or no longer) valid. */
export type TokenResolver = (db: Executor, token: string) => Promise<Actor | null>;

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
  private readonly byPrefix = new Map<string, TokenResolver>();
  private readonly fallbacks: Array<(req: FastifyRequest) => Promise<Actor | null>> = [];

  /** For tokens of no registered prefix: a deployment's configured provider token may have any form. */
  private unprefixed: TokenResolver | null = null;

  /** Checks every resolved actor must pass (e.g. its tenant is not suspended); each throws its refusal. */
  private readonly actorChecks: Array<(actor: Actor) => Promise<void>> = [];

  constructor(private readonly db: Executor) {}

  /** Registers the resolver for tokens of one prefix (`sbt` API tokens, …). */
  addTokenKind(prefix: string, resolver: TokenResolver): void {
    this.byPrefix.set(prefix, resolver);
  }
  /** Registers the resolver for tokens whose prefix no kind claims. */
  setUnprefixed(resolver: TokenResolver): void {
    this.unprefixed = resolver;
  }
  /** Registers a check every resolved actor must pass; it throws the refusal (an AppError). */
  addActorCheck(check: (actor: Actor) => Promise<void>): void {
    this.actorChecks.push(check);
  }
  /** Registers a resolver used when there is no bearer token (e.g. the portal's session cookie). */
  addFallback(resolver: (req: FastifyRequest) => Promise<Actor | null>): void {
    this.fallbacks.push(resolver);
  }

  async resolve(req: FastifyRequest): Promise<Actor | null> {
    const actor = await this.resolveCredential(req);
    if (actor) for (const check of this.actorChecks) await check(actor);
    return actor;
  }

  private async resolveCredential(req: FastifyRequest): Promise<Actor | null> {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new AppError('unauthorized', 'the Authorization header must be "Bearer <token>"');
      const token = m[1]!;
      const prefix = token.split('_')[0] ?? '';
      const resolver = this.byPrefix.get(prefix) ?? this.unprefixed;
      const actor = resolver ? await resolver(this.db, token) : null;
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
      // `routeOptions` is built afresh on each read: read once, only the config.
      if ((req.routeOptions.config as { public?: boolean } | undefined)?.public) return;
      req.actor = await this.resolve(req);
      const clientRequestId = wellFormedRequestId(req.headers['x-request-id']);
      // The request's logger is its own child (with `reqId`): the bindings join it in place.
      if (req.actor || clientRequestId)
        (req.log as Logger).setBindings({
          ...(req.actor && logBindings(req.actor, req.params)),
          ...(clientRequestId && { clientRequestId }),
        });
    });
  }
}

const SCIM_PATH = /^\/v1\/tenants\/[^/]+\/scim\//;

/** The request's context; refuses anonymous callers. */
export function contextOf(req: FastifyRequest): RequestContext {
  if (!req.actor) throw new AppError('unauthorized', 'sign in or send a bearer token');
  const clientRequestId = wellFormedRequestId(req.headers['x-request-id']);
  return {
    requestId: req.id,
    actor: req.actor,
    clientAddr: req.ip ?? null,
    ...(clientRequestId && { clientRequestId }),
    // W1: changes made through SCIM say so in their events, whichever token made them.
    ...(SCIM_PATH.test(req.url) && { origin: 'scim' as const }),
  };
}

/**
 * What every log line of a request says about who acted where: the actor's id and kind, and the
 * tenant (the actor's own, or for the provider the tenant the path names).
 */
export function logBindings(
  actor: Actor,
  params: unknown,
): { tenantId: string | null; actorId: string; actorType: string } {
  const pathTenant = (params as { t?: unknown } | undefined)?.t;
  const tenantId = actor.kind === 'provider' ? (typeof pathTenant === 'string' ? pathTenant : null) : actor.tenantId;
  return { tenantId, actorId: actor.id, actorType: actor.kind };
}

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{5,127}$/;

/**
 * A client's `X-Request-Id` is kept (audit, logs) only when it is one well-formed token: a UUID, a
 * ULID, a trace id or the like; empty, repeated (joined with commas) or odd values are dropped.
 */
export function wellFormedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : undefined;
}
