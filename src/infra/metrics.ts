import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Tenants named in a per-tenant label on one node; the rest are counted together as `other`. */
export const MAX_TENANT_LABELS = 100;

/**
 * This node's Prometheus metrics (GET /metrics). One registry per server, so several servers in one
 * process (tests) keep apart. Label sets are bounded: routes are templates (`/v1/tenants/:t/users`),
 * never raw URLs, and statuses are what the server answers.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'switchboard_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly dialChecks = new Counter({
    name: 'switchboard_dial_checks_total',
    help: 'Dial checks answered, by answer code (emergency, internal, home_region, restricted, ...)',
    labelNames: ['code', 'allowed'] as const,
    registers: [this.registry],
  });

  readonly decisions = new Counter({
    name: 'switchboard_decisions_total',
    help: 'Access decisions answered (batch checks and AuthZEN evaluations), by outcome',
    labelNames: ['allowed'] as const,
    registers: [this.registry],
  });
  readonly seatRefusals = new Counter({
    name: 'switchboard_seat_refusals_total',
    help: `Sign-ins refused because every seat was taken (S1), by tenant (the first ${MAX_TENANT_LABELS} seen; the rest as "other")`,
    labelNames: ['tenant'] as const,
    registers: [this.registry],
  });
  readonly streamPushes = new Counter({
    name: 'switchboard_stream_pushes_total',
    help: 'Messages pushed to streams (D1) on this node, by type (config, uptodate, revoked)',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly syncDuration = new Histogram({
    name: 'switchboard_sync_duration_seconds',
    help: 'Platform syncs (P1), by dry run and outcome (applied or refused)',
    labelNames: ['dry_run', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly webhookAttempts = new Counter({
    name: 'switchboard_webhook_attempts_total',
    help: 'Webhook delivery attempts on this node, by outcome (delivered, retry, failed, skipped)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly tenantLabels = new Set<string>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'switchboard_' });
  }

  /** A gauge read when scraped (pool sizes, open streams): the value lives with its owner. */
  gauge(name: string, help: string, read: () => number | Record<string, number>, label = 'kind'): void {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      collect() {
        const v = read();
        if (typeof v === 'number') this.set(v);
        else for (const [k, n] of Object.entries(v)) this.set({ [label]: k }, n);
      },
    });
  }

  /**
   * A tenant id as a label value, bounded: the first ${MAX_TENANT_LABELS} tenants this node labels keep
   * their id, later ones are `other`, so a provider with many tenants cannot grow the series without end.
   */
  tenantLabel(tenantId: string): string {
    if (this.tenantLabels.has(tenantId)) return tenantId;
    if (this.tenantLabels.size >= MAX_TENANT_LABELS) return 'other';
    this.tenantLabels.add(tenantId);
    return tenantId;
  }

  /** Times a platform sync into `syncDuration`, labelled with its outcome (`applied` or `refused`). */
  async timeSync<T>(dryRun: boolean, work: () => Promise<T>): Promise<T> {
    const end = this.syncDuration.startTimer({ dry_run: String(dryRun) });
    try {
      const result = await work();
      end({ outcome: 'applied' });
      return result;
    } catch (err) {
      end({ outcome: 'refused' });
      throw err;
    }
  }

  /**
   * A gauge per tenant read when scraped, bounded to the ${MAX_TENANT_LABELS} largest values; the rest are
   * summed as `other`.
   */
  tenantGauge(name: string, help: string, read: () => Promise<Map<string, number>>): void {
    new Gauge({
      name,
      help,
      labelNames: ['tenant'],
      registers: [this.registry],
      async collect() {
        const values = [...(await read())].sort((a, b) => b[1] - a[1]);
        this.reset();
        for (const [tenant, n] of values.slice(0, MAX_TENANT_LABELS)) this.set({ tenant }, n);
        const rest = values.slice(MAX_TENANT_LABELS).reduce((sum, [, n]) => sum + n, 0);
        if (rest > 0) this.set({ tenant: 'other' }, rest);
      },
    });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
