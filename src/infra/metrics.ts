import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
