import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Config } from '../infra/config.js';
import { AppError } from '../infra/errors.js';

/**
 * Rate limits on the expensive operations, per credential (one API token, one session, one platform
 * token, the provider): batch checks and AuthZEN evaluations, and the bulk ones (platform sync,
 * imports, exports, usage reports). Answered `429 rate_limited` (problem+json) with `Retry-After`.
 * Counters are per node (in memory): behind a load balancer of N nodes a credential gets at most N
 * times the budget. Routes are matched by their template when they are added, so a new route of one
 * of these kinds is limited the day it is added.
 */
const CHECKS = [/^POST \/v1\/tenants\/\{t\}\/check$/, /^POST \/access\/v1\/evaluations?$/];
const BULK = [
  /^PUT \/v1\/tenants\/\{t\}\/platform\/snapshot$/,
  /^\w+ \/v1\/tenants\/\{t\}\/[\w/-]*(import|export)[\w/-]*$/,
  /^\w+ \/v1\/tenants\/\{t\}\/users\.csv$/,
  /^GET \/v1\/(tenants\/\{t\}\/)?usage$/,
];

/** Who a request's budget belongs to: its credential once authenticated, else its address. */
function credentialKey(req: FastifyRequest): string {
  const a = req.actor;
  if (!a) return `ip:${req.ip}`;
  return a.kind === 'provider' ? 'provider' : `${a.kind}:${a.credential}`;
}

/** Adds the limit to every expensive route registered after this call (before the modules). */
export function registerRateLimits(app: FastifyInstance, config: Config): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const names = methods.map((m) => `${m} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    const max = names.some((n) => CHECKS.some((r) => r.test(n)))
      ? config.RATE_LIMIT_CHECKS_PER_MINUTE
      : names.some((n) => BULK.some((r) => r.test(n)))
        ? config.RATE_LIMIT_BULK_PER_MINUTE
        : null;
    const own = (route.config as { rateLimit?: unknown } | undefined)?.rateLimit;
    if (max === null || own !== undefined) return;
    route.config = {
      ...(route.config as object),
      rateLimit: {
        max,
        timeWindow: 60_000,
        keyGenerator: credentialKey,
        errorResponseBuilder: (_req: FastifyRequest, ctx: { ttl: number }) =>
          new AppError('rate_limited', `this credential's budget of ${max} a minute is spent; retry later`, {
            extra: { retryAfter: Math.ceil(ctx.ttl / 1000) },
          }),
      },
    };
  });
}
