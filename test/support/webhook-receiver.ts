import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Inbox } from './waiting.js';

/**
 * A webhook receiver on loopback for tests and benchmarks: records every request with its headers
 * and body, and answers what `respond` says (200 by default). `verify` checks a request's
 * signature with the Standard Webhooks reference library. No test-runner imports here.
 */
export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  json: {
    type: string;
    timestamp: string;
    tenantId: string;
    origin: string;
    actor: unknown;
    data: Record<string, unknown>;
  };
  /** performance.timeOrigin + now, when it arrived (benchmarks). */
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** Never answer (the sender's timeout). */
  hang?: boolean;
}

export class WebhookReceiver {
  readonly inbox = new Inbox<Received>();
  respond: (r: Received) => Answer = () => ({ status: 200 });
  private server: Server | null = null;
  private readonly hanging = new Set<() => void>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const r: Received = {
          id: String(req.headers['webhook-id']),
          timestamp: String(req.headers['webhook-timestamp']),
          signature: String(req.headers['webhook-signature']),
          body,
          json: JSON.parse(body) as Received['json'],
          at: performance.timeOrigin + performance.now(),
        };
        const answer = this.respond(r);
        this.inbox.push(r);
        if (answer.hang) {
          this.hanging.add(() => res.destroy());
          return;
        }
        res.writeHead(answer.status, answer.headers ?? {});
        res.end('ok');
      });
    });
    this.server.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Whether the request carries a valid signature for `secret` (throws otherwise). */
  static verify(r: Received, secret: string): unknown {
    return new Webhook(secret).verify(r.body, {
      'webhook-id': r.id,
      'webhook-timestamp': r.timestamp,
      'webhook-signature': r.signature,
    });
  }

  ofType(type: string): Received[] {
    return this.inbox.items.filter((r) => r.json.type === type);
  }

  async stop(): Promise<void> {
    for (const end of this.hanging) end();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
