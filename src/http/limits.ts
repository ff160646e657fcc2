import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions, onRequestHookHandler } from 'fastify';
import type { Config } from '../infra/config.js';
import { AppError } from '../infra/errors.js';

/**
 * Rate limits on the expensive operations, each with two budgets a minute: one per credential (one
 * API token, one session, one platform token, the provider) and one per tenant, shared by every
 * credential of the tenant, so many tokens of one tenant cannot take more than the tenant's budget of
 * a node. The operations: batch checks and AuthZEN evaluations, and the bulk ones (platform sync,
 * imports, exports, usage reports). Answered `429 rate_limited` (problem+json) with `Retry-After`.
 * Counters are per node (in memory): behind a load balancer of N nodes a credential or a tenant gets
 * at most N times the budget. Routes are matched by their template when they are added, so a new
 * route of one of these kinds is limited the day it is added.
 */
const CHECKS = [/^POST \/v1\/tenants\/\{t\}\/check$/, /^POST \/access\/v1\/evaluations?$/];
const BULK = [
  /^PUT \/v1\/tenants\/\{t\}\/platform\/snapshot$/,
  /^\w+ \/v1\/tenants\/\{t\}\/[\w/-]*(import|export)[\w/-]*$/,
  /^\w+ \/v1\/tenants\/\{t\}\/users\.csv$/,
  /^GET \/v1\/(tenants\/\{t\}\/)?usage$/,
];

type Kind = 'checks' | 'bulk';

/** Who a request's credential budget belongs to: its credential once authenticated, else its address. */
function credentialKey(req: FastifyRequest): string {
  const a = req.actor;
  if (!a) return `ip:${req.ip}`;
  return a.kind === 'provider' ? 'provider' : `${a.kind}:${a.credential}`;
}

/**
 * The tenant a request spends: the actor's own, or for the provider the tenant the path names. The
 * provider's tenant-less operations (`GET /v1/usage`) have no tenant budget.
 */
function tenantKey(req: FastifyRequest): string | null {
  const a = req.actor;
  if (a && a.kind !== 'provider') return a.tenantId;
  const t = (req.params as { t?: unknown } | undefined)?.t;
  return typeof t === 'string' ? t : null;
}

type Limiter = (req: FastifyRequest) => Promise<{ isExceeded?: boolean; ttlInSeconds?: number }>;

/** Refuses the request when one of its budgets is spent: 429 with `Retry-After`. */
async function spend(reply: FastifyReply, limiter: Limiter, req: FastifyRequest, whose: string, max: number) {
  const r = await limiter(req);
  if (!r.isExceeded) return;
  const retryAfter = Math.max(1, r.ttlInSeconds ?? 60);
  void reply.header('retry-after', String(retryAfter));
  throw new AppError('rate_limited', `${whose} budget of ${max} a minute for this operation is spent; retry later`, {
    extra: { retryAfter },
  });
}

/** Adds both budgets to every expensive route registered after this call (before the modules). */
export function registerRateLimits(app: FastifyInstance, config: Config): void {
  const budgets: Record<Kind, { credential: number; tenant: number }> = {
    checks: {
      credential: config.RATE_LIMIT_CHECKS_PER_MINUTE,
      tenant: config.RATE_LIMIT_TENANT_CHECKS_PER_MINUTE ?? 2 * config.RATE_LIMIT_CHECKS_PER_MINUTE,
    },
    bulk: {
      credential: config.RATE_LIMIT_BULK_PER_MINUTE,
      tenant: config.RATE_LIMIT_TENANT_BULK_PER_MINUTE ?? 2 * config.RATE_LIMIT_BULK_PER_MINUTE,
    },
  };
  // The limiters come from @fastify/rate-limit (registered with the identity module, which holds the
  // sign-in throttles); they are made at the first limited request, once the plugin is surely there.
  let limiters: Record<Kind, { credential: Limiter; tenant: Limiter }> | null = null;
  const make = (instance: FastifyInstance) => {
    const create = (o: object) => (instance as unknown as { createRateLimit(o: object): Limiter }).createRateLimit(o);
    const of = (kind: Kind) => ({
      credential: create({
        max: budgets[kind].credential,
        timeWindow: 60_000,
        keyGenerator: (req: FastifyRequest) => `${kind}:credential:${credentialKey(req)}`,
      }),
      tenant: create({
        max: budgets[kind].tenant,
        timeWindow: 60_000,
        keyGenerator: (req: FastifyRequest) => `${kind}:tenant:${tenantKey(req)}`,
        allowList: (req: FastifyRequest) => tenantKey(req) === null,
      }),
    });
    return { checks: of('checks'), bulk: of('bulk') };
  };

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const names = methods.map((m) => `${m} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    const kind: Kind | null = names.some((n) => CHECKS.some((r) => r.test(n)))
      ? 'checks'
      : names.some((n) => BULK.some((r) => r.test(n)))
        ? 'bulk'
        : null;
    if (kind === null) return;
    const limit = async function (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply): Promise<void> {
      limiters ??= make(this);
      // The credential's budget first: a credential past its own does not spend its tenant's.
      await spend(reply, limiters[kind].credential, req, "this credential's", budgets[kind].credential);
      await spend(reply, limiters[kind].tenant, req, "this tenant's", budgets[kind].tenant);
    };
    const own = route.onRequest;
    const hooks: onRequestHookHandler[] = own === undefined ? [] : Array.isArray(own) ? own : [own];
    route.onRequest = [...hooks, limit];
  });
}
