/**
 * The stream client (SPEC 8): keeps the user's effective configuration current over
 * `GET /v1/stream`, reconnecting with exponential backoff and full jitter and resuming with
 * `?since=<last version>` (D4). It never goes back to an older version (D3), stops for good on
 * `revoked` (D5), and answers `can()` / `canDial()` locally from the last configuration.
 *
 *   const stream = new ConfigStream({ baseUrl, token, WebSocket: (await import('ws')).default }); // Node
 *   const stream = new ConfigStream({ baseUrl: '', getTicket: async () => (await sb.me.streamTicket()).ticket }); // browser
 *   stream.on('change', ({ config, changed }) => …);
 *   await stream.ready();
 *   stream.can('telephony:record'); stream.canDial('+48 600 000 000', 'call');
 */
import { can, canDial, type DialChannel, type DialDecision } from './can.js';
import type { EffectiveConfig } from './http.js';

/** The subset of the WebSocket API the client uses: the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
/** A WebSocket constructor. The second argument carries headers for `ws` in Node; browsers never get it. */
export type WebSocketConstructor = new (url: string, options?: { headers: Record<string, string> }) => WebSocketLike;

export interface ConfigStreamOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:3000`; `''` means the page's own origin. */
  baseUrl: string;
  /** A session token sent as `Authorization: Bearer` (needs a WebSocket that takes headers, e.g. `ws`). */
  token?: string;
  /** Browsers: fetches a fresh single-use ticket before each (re)connect (`POST /v1/stream/tickets`). */
  getTicket?: () => Promise<string>;
  /** Defaults to `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Resume from a version the app already holds (e.g. persisted across restarts). */
  since?: number;
  /** Backoff: first delay ceiling and cap, in ms (defaults 500 and 30,000). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Application-level ping interval in ms (browsers cannot send protocol pings); 0 disables. Default 25,000. */
  pingMs?: number;
  /** For tests: the random source of the jitter. */
  random?: () => number;
}

export interface ConfigChange {
  previous: EffectiveConfig | null;
  config: EffectiveConfig;
  changed: string[];
}

interface Events {
  config: EffectiveConfig;
  change: ConfigChange;
  uptodate: { version: number };
  revoked: { reason: string };
  open: undefined;
  close: { code: number; reconnectInMs: number | null };
  error: Error;
}
type Handler<K extends keyof Events> = (payload: Events[K]) => void;

/** Close code the server sends with `revoked`. */
const CLOSE_REVOKED = 4001;

export class ConfigStream {
  private socket: WebSocketLike | null = null;
  private current: EffectiveConfig | null = null;
  private lastVersion: number | null;
  private attempt = 0;
  private stopped = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pinger: ReturnType<typeof setInterval> | null = null;
  private readonly handlers = new Map<keyof Events, Set<(p: never) => void>>();

  constructor(private readonly options: ConfigStreamOptions) {
    this.lastVersion = options.since ?? null;
  }

  /** The last configuration received (null before the first). */
  get config(): EffectiveConfig | null {
    return this.current;
  }
  /** The version the client holds (also after `uptodate`). */
  get version(): number | null {
    return this.lastVersion;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof Events>(event: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Opens the stream (idempotent). */
  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    void this.connect();
    return this;
  }

  /** Closes the stream and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pinger) clearInterval(this.pinger);
    this.timer = this.pinger = null;
    const s = this.socket;
    this.socket = null;
    s?.close(1000, 'client stopped');
  }

  /** Resolves with the first configuration (at once if one is held); starts the stream if needed. */
  ready(timeoutMs = 10_000): Promise<EffectiveConfig> {
    return this.waitFor((c) => c !== null, timeoutMs);
  }

  /** Resolves once a configuration of at least `version` is held. */
  waitForVersion(version: number, timeoutMs = 10_000): Promise<EffectiveConfig> {
    return this.waitFor((c) => c !== null && c.version >= version, timeoutMs);
  }

  /** `can` (client/can.ts) on the last configuration. */
  can(capability: string, resource?: string): boolean {
    return can(this.current, capability, resource);
  }
  /** `canDial` (client/can.ts) on the last configuration. */
  canDial(number: string, channel: DialChannel): DialDecision {
    return canDial(this.current, number, channel);
  }

  // ---- connection --------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const Ctor = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) {
      this.emit('error', new Error('no WebSocket implementation: pass options.WebSocket (e.g. the ws package)'));
      return;
    }
    const url = new URL(
      '/v1/stream',
      this.options.baseUrl || (globalThis as { location?: { href: string } }).location?.href,
    );
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.lastVersion !== null) url.searchParams.set('since', String(this.lastVersion));
    let socket: WebSocketLike;
    try {
      if (this.options.getTicket) {
        url.searchParams.set('ticket', await this.options.getTicket());
        if (this.stopped) return;
        socket = new Ctor(url.toString());
      } else {
        socket = new Ctor(url.toString(), {
          headers: this.options.token ? { authorization: `Bearer ${this.options.token}` } : {},
        });
      }
    } catch (err) {
      this.emit('error', err instanceof Error ? err : new Error(String(err)));
      this.scheduleReconnect(0);
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.emit('open', undefined);
    socket.onmessage = (ev) => this.onMessage(String(ev.data));
    socket.onerror = () => this.emit('error', new Error('stream connection error'));
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.pinger) {
        clearInterval(this.pinger);
        this.pinger = null;
      }
      if (ev.code === CLOSE_REVOKED) this.stopped = true;
      this.scheduleReconnect(ev.code);
    };
    const pingMs = this.options.pingMs ?? 25_000;
    if (pingMs > 0)
      this.pinger = setInterval(() => {
        if (socket.readyState === 1) socket.send('{"type":"ping"}');
      }, pingMs);
  }

  private scheduleReconnect(code: number): void {
    if (this.stopped) {
      this.emit('close', { code, reconnectInMs: null });
      return;
    }
    const initial = this.options.backoff?.initialMs ?? 500;
    const max = this.options.backoff?.maxMs ?? 30_000;
    // Full jitter: a server restart does not make every client come back in the same instant.
    const delay = Math.floor((this.options.random ?? Math.random)() * Math.min(max, initial * 2 ** this.attempt));
    this.attempt = Math.min(this.attempt + 1, 30);
    this.emit('close', { code, reconnectInMs: delay });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  private onMessage(text: string): void {
    let msg: { type?: string; version?: number; config?: EffectiveConfig; reason?: string };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (msg.type === 'config' && msg.config && typeof msg.version === 'number') {
      this.attempt = 0;
      // D3: never step back, whatever arrives (e.g. a late message from a previous connection).
      if (this.lastVersion !== null && msg.version <= this.lastVersion && this.current) return;
      const previous = this.current;
      this.current = msg.config;
      this.lastVersion = msg.version;
      this.emit('config', msg.config);
      this.emit('change', { previous, config: msg.config, changed: changedKeys(previous, msg.config) });
    } else if (msg.type === 'uptodate' && typeof msg.version === 'number') {
      this.attempt = 0;
      this.emit('uptodate', { version: msg.version });
    } else if (msg.type === 'revoked') {
      this.stopped = true;
      this.emit('revoked', { reason: msg.reason ?? 'revoked' });
    }
  }

  private waitFor(pred: (c: EffectiveConfig | null) => boolean, timeoutMs: number): Promise<EffectiveConfig> {
    if (pred(this.current)) return Promise.resolve(this.current!);
    if (this.stopped) this.start();
    return new Promise((resolve, reject) => {
      const off = this.on('config', (c) => {
        if (pred(c)) {
          clearTimeout(t);
          off();
          offRevoked();
          resolve(c);
        }
      });
      const offRevoked = this.on('revoked', ({ reason }) => {
        clearTimeout(t);
        off();
        offRevoked();
        reject(new Error(`stream revoked: ${reason}`));
      });
      const t = setTimeout(() => {
        off();
        offRevoked();
        reject(new Error(`no configuration within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  private emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const h of this.handlers.get(event) ?? []) {
      try {
        (h as Handler<K>)(payload);
      } catch {
        /* a listener's error must not break the stream */
      }
    }
  }
}

/** Top-level sections that changed (`features.*` one level deeper), for "what changed" displays. */
export function changedKeys(previous: EffectiveConfig | null, next: EffectiveConfig): string[] {
  if (!previous) return Object.keys(next).filter((k) => k !== 'version');
  const out: string[] = [];
  for (const key of Object.keys(next) as Array<keyof EffectiveConfig>) {
    if (key === 'version' || JSON.stringify(previous[key]) === JSON.stringify(next[key])) continue;
    if (key === 'features') {
      for (const f of Object.keys(next.features) as Array<keyof EffectiveConfig['features']>) {
        if (JSON.stringify(previous.features[f]) !== JSON.stringify(next.features[f])) out.push(`features.${f}`);
      }
    } else out.push(key);
  }
  return out;
}
