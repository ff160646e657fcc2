import WebSocket, { type RawData } from 'ws';
import type { EffectiveConfig, Tenant, TenantCreate } from '../../src/contract/index.js';
import { newId } from '../../src/infra/ids.js';
import type { ProblemBody } from '../support/api.js';
import { PROVIDER_TOKEN } from '../support/server.js';

/**
 * Helpers of the stream tests: tenants through the API, platform users and sessions straight in
 * the database (platform sync and login are other modules; a row is all the stream needs), and a
 * WebSocket client that queues messages so a test can await them in order.
 */

export const provider = { authorization: `Bearer ${PROVIDER_TOKEN}` };

/** Minimal HTTP client over a listening base URL (the multi-node test has no `app.inject`). */
export async function http<T = ProblemBody>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token = PROVIDER_TOKEN,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  // The body the test expects (T); the test asserts the status that goes with it.
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
}

export async function createTenant(base: string, input: Partial<TenantCreate> = {}): Promise<string> {
  const r = await http<Tenant>(base, 'POST', '/v1/tenants', {
    name: `T ${newId('x')}`,
    plan: 'record',
    homeRegion: 'PL',
    ...input,
  });
  if (r.status !== 201) throw new Error(`tenant: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.id;
}

export { insertPlatformUser, insertSession } from '../support/fixtures.js';

export type StreamMessage =
  | { type: 'config'; version: number; config: EffectiveConfig }
  | { type: 'uptodate'; version: number }
  | { type: 'revoked'; reason: string }
  | { type: 'pong'; version: number };

/** The text of a WebSocket message, whichever binary type `ws` delivered it as. */
export function messageText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
}

/** A stream client that buffers messages; `next()` awaits the next one (or fails after `ms`). */
export class TestStream {
  readonly messages: StreamMessage[] = [];
  private read = 0;
  /** Wakes whoever waits for the next message or the close. */
  private readonly wakers = new Set<() => void>();
  closeCode: number | null = null;
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(messageText(data)) as StreamMessage);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        this.wake();
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

  /** The next unread message; fails when none comes within `ms`, or the stream closes first. */
  async next(ms = 5_000): Promise<StreamMessage> {
    const deadline = Date.now() + ms;
    while (this.read === this.messages.length) {
      if (this.closeCode !== null) throw new Error(`stream closed (${this.closeCode}) with no further message`);
      await this.change(deadline, `no stream message within ${ms} ms`);
    }
    return this.messages[this.read++]!;
  }

  /** Reads messages until one satisfies `pred`, and returns it. */
  async until(pred: (m: StreamMessage) => boolean, ms = 5_000): Promise<StreamMessage> {
    for (;;) {
      const m = await this.next(ms);
      if (pred(m)) return m;
    }
  }

  /**
   * The messages the server sent before answering a ping sent now, unread so far (the pong itself is
   * consumed): to assert that nothing more came. No settle time is needed: the server writes to a
   * socket in order, so whatever a change sent this socket is ahead of the pong. (Messages up to a
   * close, if the server closes the stream instead.)
   */
  async pending(ms = 5_000): Promise<StreamMessage[]> {
    const deadline = Date.now() + ms;
    if (this.closeCode === null) this.ws.send('{"type":"ping"}');
    const unread: StreamMessage[] = [];
    for (;;) {
      if (this.read < this.messages.length) {
        const m = this.messages[this.read++]!;
        if (m.type === 'pong') return unread;
        unread.push(m);
      } else if (this.closeCode !== null) return unread;
      else await this.change(deadline, `no pong within ${ms} ms`);
    }
  }

  close(): void {
    this.ws.close();
  }

  /** Resolves on the next message or close; rejects with `failure` at the deadline. */
  private change(deadline: number, failure: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(
        () => {
          this.wakers.delete(wake);
          reject(new Error(failure));
        },
        Math.max(0, deadline - Date.now()),
      );
      this.wakers.add(wake);
    });
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }
}
