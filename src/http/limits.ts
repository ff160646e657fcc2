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

/**
 * Fixed one-minute windows per key, in memory: a key's window starts at its first request and its
 * count starts over when the window has passed (as @fastify/rate-limit's local store counts). Kept
 * here, synchronous, because every check request spends two budgets: the plugin's asynchronous
 * limiter showed on the hot path. At most 10,000 keys; past that, ended windows are dropped first,
 * then the oldest.
 */
export class Windows {
  private readonly byKey = new Map<string, { count: number; start: number }>();
  constructor(private readonly windowMs: number) {}

  /** Counts one request of `key`; its count in the window and the milliseconds the window has left. */
  spend(key: string, now: number): { count: number; leftMs: number } {
    let w = this.byKey.get(key);
    if (!w || w.start + this.windowMs <= now) {
      if (w) this.byKey.delete(key);
      else if (this.byKey.size >= 10_000) this.prune(now);
      w = { count: 0, start: now };
      this.byKey.set(key, w);
    }
    w.count++;
    return { count: w.count, leftMs: w.start + this.windowMs - now };
  }

  private prune(now: number): void {
    for (const [key, w] of this.byKey) if (w.start + this.windowMs <= now) this.byKey.delete(key);
    // Keys are in the order their windows started: the oldest go first.
    for (const key of this.byKey.keys()) {
      if (this.byKey.size < 10_000) break;
      this.byKey.delete(key);
    }
  }
}

/** Refuses the request when the budget of `key` is spent: 429 with `Retry-After`. */
function spend(reply: FastifyReply, windows: Windows, key: string, whose: string, max: number, now: number): void {
  const r = windows.spend(key, now);
  if (r.count <= max) return;
  const retryAfter = Math.max(1, Math.ceil(r.leftMs / 1000));
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
  const windows = new Windows(60_000);

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const names = methods.map((m) => `${m} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    const kind: Kind | null = names.some((n) => CHECKS.some((r) => r.test(n)))
      ? 'checks'
      : names.some((n) => BULK.some((r) => r.test(n)))
        ? 'bulk'
        : null;
    if (kind === null) return;
    const limit: onRequestHookHandler = (req, reply, done) => {
      const now = Date.now();
      // The credential's budget first: a credential past its own does not spend its tenant's.
      spend(
        reply,
        windows,
        `${kind}:credential:${credentialKey(req)}`,
        "this credential's",
        budgets[kind].credential,
        now,
      );
      const tenant = tenantKey(req);
      // The provider's tenant-less operations (`GET /v1/usage`) have no tenant budget.
      if (tenant !== null)
        spend(reply, windows, `${kind}:tenant:${tenant}`, "this tenant's", budgets[kind].tenant, now);
      done();
    };
    const own = route.onRequest;
    const hooks: onRequestHookHandler[] = own === undefined ? [] : Array.isArray(own) ? own : [own];
    route.onRequest = [...hooks, limit];
  });
}
