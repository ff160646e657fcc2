import WebSocket from 'ws';
import { newId } from '../../src/infra/ids.js';
import { PROVIDER_TOKEN } from '../support/server.js';

/**
 * Helpers of the stream tests: tenants through the API, platform users and sessions straight in
 * the database (platform sync and login are other modules; a row is all the stream needs), and a
 * WebSocket client that queues messages so a test can await them in order.
 */

export const provider = { authorization: `Bearer ${PROVIDER_TOKEN}` };

/** Minimal HTTP client over a listening base URL (the multi-node test has no `app.inject`). */
export async function http(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token = PROVIDER_TOKEN,
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

export async function createTenant(base: string, input: Record<string, unknown> = {}): Promise<string> {
  const r = await http(base, 'POST', '/v1/tenants', {
    name: `T ${newId('x')}`,
    plan: 'record',
    homeRegion: 'PL',
    ...input,
  });
  if (r.status !== 201) throw new Error(`tenant: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.id as string;
}

export { insertPlatformUser, insertSession } from '../support/fixtures.js';

export type StreamMessage =
  | { type: 'config'; version: number; config: any }
  | { type: 'uptodate'; version: number }
  | { type: 'revoked'; reason: string }
  | { type: 'pong'; version: number };

/** A stream client that buffers messages; `next()` awaits the next one (or fails after `ms`). */
export class TestStream {
  readonly messages: StreamMessage[] = [];
  private waiters: Array<(m: StreamMessage) => void> = [];
  private read = 0;
  closeCode: number | null = null;
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as StreamMessage;
      this.messages.push(m);
      const w = this.waiters.shift();
      if (w) {
        this.read++;
        w(m);
      }
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  /** Opens `/v1/stream` with a bearer token or a ticket; rejects with the HTTP status when refused. */
  static open(base: string, opts: { token?: string; ticket?: string; since?: number }): Promise<TestStream> {
    const url = new URL('/v1/stream', base.replace(/^http/, 'ws'));
    if (opts.ticket) url.searchParams.set('ticket', opts.ticket);
    if (opts.since !== undefined) url.searchParams.set('since', String(opts.since));
    const ws = new WebSocket(url, { headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {} });
    const stream = new TestStream(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(stream));
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode })),
      );
      ws.once('error', reject);
    });
  }

  next(ms = 5_000): Promise<StreamMessage> {
    if (this.read < this.messages.length) return Promise.resolve(this.messages[this.read++]!);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error(`no stream message within ${ms} ms`));
      }, ms);
      const done = (m: StreamMessage) => {
        clearTimeout(t);
        resolve(m);
      };
      this.waiters.push(done);
    });
  }

  /** Waits until a config with at least `version` arrives; returns every message read meanwhile. */
  async until(pred: (m: StreamMessage) => boolean, ms = 5_000): Promise<StreamMessage> {
    for (;;) {
      const m = await this.next(ms);
      if (pred(m)) return m;
    }
  }

  /** Messages not yet read (after a short settle), to assert that nothing more came. */
  async pending(settleMs = 150): Promise<StreamMessage[]> {
    await new Promise((r) => setTimeout(r, settleMs));
    return this.messages.slice(this.read);
  }

  close(): void {
    this.ws.close();
  }
}
