import type { WebSocket } from 'ws';
import type { EffectiveConfig } from '../../access/effective-config.js';
import type { ChangeEvent } from '../../infra/bus.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { loadEffectiveConfigs } from '../access/config-loader.js';
import { deleteExpiredTickets, liveSessionIds, touchSessions } from './stream.repo.js';

/** Who a stream belongs to: a user, and the session it keeps alive (null for API tokens). */
export interface StreamIdentity {
  tenantId: string;
  userId: string;
  sessionId: string | null;
}

/** One open stream on this node. */
interface Connection extends StreamIdentity {
  ws: WebSocket;
  /** Highest version sent (or the client's `since`): nothing at or below it is ever sent (D3). */
  lastVersion: number;
  /** Whether the client answered the last ping. */
  alive: boolean;
  closed: boolean;
}

export interface StreamHubOptions {
  /** Protocol ping interval; a client that misses one ping is dropped. */
  pingMs?: number;
  /** How often open streams refresh their sessions' `last_seen_at` (D6; by default a third of the shortest app lapse allowed). */
  touchMs?: number;
}

/** WebSocket close code sent with `revoked` (4000-4999 is the application range). */
export const CLOSE_REVOKED = 4001;
const CLOSE_GOING_AWAY = 1001;
/** Users loaded, built and pushed together in one step of a refresh. */
const REFRESH_SLICE = 1_000;
/** Unsent bytes a socket may hold before the node gives up on it (a few hundred configurations). */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * The node's side of real-time delivery (SPEC 8). It holds this node's streams and reacts to the
 * change bus: a config event makes it load the affected connected users from the database in one
 * batch and push each configuration whose version is above the last one sent on that socket (D2,
 * D3); a revoke event sends `revoked` and closes (D5); `resync` refreshes everything.
 *
 * Per tenant, refreshes run one at a time and pending events coalesce: a burst of 100 changes costs
 * a few database loads, and since every load reads committed state and sends only newer versions,
 * a client sees strictly increasing versions ending at the latest (it may skip an intermediate
 * state that was already superseded when its load ran).
 */
export class StreamHub {
  private readonly byTenant = new Map<string, Map<string, Set<Connection>>>();
  private readonly bySession = new Map<string, Set<Connection>>();
  /** Per tenant: users waiting for a refresh, or 'all'. */
  private readonly pending = new Map<string, Set<string> | 'all'>();
  private readonly draining = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: StreamHubOptions = {},
  ) {}

  /** Subscribes to the change bus and starts the ping and keep-alive timers. */
  start(): void {
    this.unsubscribe = this.deps.bus.subscribe((e) => this.onEvent(e));
    this.every(this.options.pingMs ?? 30_000, () => this.ping());
    // A third of the shortest app lapse a tenant may choose (S3), so a streaming app never lapses.
    const touchMs = Math.min(30_000, (this.deps.config.SESSION_APP_LAPSE_MIN_SECONDS * 1000) / 3);
    this.every(this.options.touchMs ?? touchMs, () => this.keepSessionsAlive());
  }

  /** Number of open streams on this node. */
  get size(): number {
    let n = 0;
    for (const users of this.byTenant.values()) for (const set of users.values()) n += set.size;
    return n;
  }

  /**
   * Attaches an authenticated socket (D1, D4): registers it first, so no change committed while its
   * first configuration loads is missed, then sends the configuration, or `uptodate` when `since`
   * is already current.
   */
  async attach(ws: WebSocket, who: StreamIdentity, since: number | null): Promise<void> {
    const conn: Connection = { ...who, ws, lastVersion: since ?? 0, alive: true, closed: false };
    this.add(conn);
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('message', (data: Buffer, isBinary) => this.onClientMessage(conn, data.toString(), isBinary));
    ws.on('close', () => this.remove(conn));
    ws.on('error', () => this.remove(conn));
    if (conn.sessionId) await touchSessions(this.deps.db, [conn.sessionId]);
    const config = (await loadEffectiveConfigs(this.deps.db, this.deps.secrets, who.tenantId, [who.userId])).get(
      who.userId,
    );
    if (conn.closed) return;
    if (!this.deliver(conn, config) && conn.lastVersion === (since ?? 0) && !conn.closed) {
      // Nothing newer than `since`, and no push overtook this load: tell the client it is current.
      this.send(conn, 'uptodate', JSON.stringify({ type: 'uptodate', version: config?.version ?? conn.lastVersion }));
    }
  }

  /** Closes every stream (server shutdown): 1001 tells clients to reconnect, maybe to another node. */
  async close(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearInterval(t);
    for (const conn of this.all()) {
      conn.closed = true;
      try {
        conn.ws.close(CLOSE_GOING_AWAY, 'server shutting down');
      } catch {
        conn.ws.terminate();
      }
    }
    this.byTenant.clear();
    this.bySession.clear();
  }

  /** Handles one change-bus event. Public for tests; normally called by the bus subscription. */
  onEvent(event: ChangeEvent): void {
    if (this.stopped) return;
    if (event.type === 'config') {
      const sent = event.configs ? this.deliverComputed(event.tenantId, event.configs) : new Set<string>();
      const rest = event.userIds?.filter((u) => !sent.has(u)) ?? null;
      if (rest === null || rest.length > 0) this.schedule(event.tenantId, rest, event.version);
    } else if (event.type === 'revoke')
      void this.revoke(event).catch((err) => this.deps.log.warn({ err }, 'stream revoke failed'));
    else if (event.type === 'resync') {
      for (const tenantId of this.byTenant.keys()) this.schedule(tenantId, null, null);
      void this.keepSessionsAlive();
    }
  }

  /**
   * Sends configurations the writer computed in its transaction. Events arrive in commit order, so
   * each change reaches the clients in order and none is skipped (a load could only see the latest).
   * Returns the users handled.
   */
  private deliverComputed(tenantId: string, configs: EffectiveConfig[]): Set<string> {
    const handled = new Set<string>();
    const users = this.byTenant.get(tenantId);
    for (const config of configs) {
      handled.add(config.userId);
      for (const conn of [...(users?.get(config.userId) ?? [])]) this.deliver(conn, config);
    }
    return handled;
  }

  // ---- refreshes ---------------------------------------------------------------------------------

  private schedule(tenantId: string, userIds: string[] | null, version: number | null): void {
    const users = this.byTenant.get(tenantId);
    if (!users) return;
    const affected = userIds === null ? [...users.keys()] : userIds.filter((u) => users.has(u));
    // A version every affected socket already has (a coalesced burst, or an echo) needs no load.
    if (version !== null && affected.every((u) => [...users.get(u)!].every((c) => c.lastVersion >= version))) return;
    if (affected.length === 0) return;
    const cur = this.pending.get(tenantId);
    if (userIds === null || cur === 'all') this.pending.set(tenantId, 'all');
    else if (cur) for (const u of affected) cur.add(u);
    else this.pending.set(tenantId, new Set(affected));
    if (!this.draining.has(tenantId)) void this.drain(tenantId);
  }

  private async drain(tenantId: string): Promise<void> {
    this.draining.add(tenantId);
    try {
      for (let work = this.pending.get(tenantId); work && !this.stopped; work = this.pending.get(tenantId)) {
        this.pending.delete(tenantId);
        const users = this.byTenant.get(tenantId);
        if (!users) continue;
        const ids = work === 'all' ? [...users.keys()] : [...work].filter((u) => users.has(u));
        try {
          await this.refresh(tenantId, ids);
        } catch (err) {
          this.deps.log.warn({ err, tenantId }, 'stream refresh failed; retrying with the next event or resync');
        }
      }
    } finally {
      this.draining.delete(tenantId);
    }
  }

  /**
   * Loads and pushes in slices: the first users of a 10,000-user tenant-wide change get theirs after
   * one slice instead of after all, and the event loop (other requests on this node) is never held
   * for the whole build.
   */
  private async refresh(tenantId: string, userIds: string[]): Promise<void> {
    for (let i = 0; i < userIds.length; i += REFRESH_SLICE) {
      await this.refreshSlice(tenantId, userIds.slice(i, i + REFRESH_SLICE));
    }
  }

  private async refreshSlice(tenantId: string, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    const configs = await loadEffectiveConfigs(this.deps.db, this.deps.secrets, tenantId, userIds);
    const users = this.byTenant.get(tenantId);
    if (!users) return;
    for (const userId of userIds) {
      const conns = users.get(userId);
      if (!conns) continue;
      const config = configs.get(userId);
      // One serialisation per user, shared by all their sockets.
      let payload: string | null = null;
      for (const conn of [...conns]) {
        if (!config || config.status !== 'active') {
          this.deliver(conn, config);
          continue;
        }
        if (config.version <= conn.lastVersion) continue;
        payload ??= JSON.stringify({ type: 'config', version: config.version, config });
        conn.lastVersion = config.version;
        this.send(conn, 'config', payload);
      }
    }
  }

  /**
   * Sends a configuration if it is newer than what the socket has; a user who is gone or no longer
   * active gets `revoked` instead (G13: a stream authorised by an API token has no session to end).
   * Returns whether something was sent.
   */
  private deliver(conn: Connection, config: EffectiveConfig | undefined): boolean {
    if (!config) {
      this.revokeConn(conn, 'user_removed');
      return true;
    }
    if (config.status !== 'active') {
      this.revokeConn(conn, config.status);
      return true;
    }
    if (config.version <= conn.lastVersion) return false;
    conn.lastVersion = config.version;
    this.send(conn, 'config', JSON.stringify({ type: 'config', version: config.version, config }));
    return true;
  }

  // ---- revocation (D5) ---------------------------------------------------------------------------

  private async revoke(event: Extract<ChangeEvent, { type: 'revoke' }>): Promise<void> {
    const users = this.byTenant.get(event.tenantId);
    if (!users) return;
    const targets = new Set<Connection>();
    for (const s of event.sessionIds ?? [])
      for (const c of this.bySession.get(s) ?? []) if (c.tenantId === event.tenantId) targets.add(c);
    for (const u of event.userIds ?? []) for (const c of users.get(u) ?? []) targets.add(c);
    if (event.sessionIds === null && event.userIds === null) {
      // Compacted (too many ids for one notification): close the tenant's streams whose session really ended.
      const conns = [...users.values()].flatMap((s) => [...s]);
      const live = await liveSessionIds(
        this.deps.db,
        conns.flatMap((c) => (c.sessionId ? [c.sessionId] : [])),
      );
      for (const c of conns) if (c.sessionId && !live.has(c.sessionId)) targets.add(c);
    }
    for (const c of targets) this.revokeConn(c, event.reason);
  }

  private revokeConn(conn: Connection, reason: string): void {
    if (conn.closed) return;
    this.send(conn, 'revoked', JSON.stringify({ type: 'revoked', reason }));
    conn.closed = true;
    this.remove(conn);
    conn.ws.close(CLOSE_REVOKED, 'revoked');
  }

  // ---- liveness ----------------------------------------------------------------------------------

  private ping(): void {
    for (const conn of this.all()) {
      if (!conn.alive) {
        conn.ws.terminate();
        this.remove(conn);
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        /* closing already */
      }
    }
  }

  /** D6: refreshes the sessions of open streams; streams whose session ended elsewhere are revoked. */
  private async keepSessionsAlive(): Promise<void> {
    const conns = this.all().filter((c) => c.sessionId);
    const ids = [...new Set(conns.map((c) => c.sessionId!))];
    try {
      const live = new Set<string>();
      for (let i = 0; i < ids.length; i += 5_000)
        for (const id of await touchSessions(this.deps.db, ids.slice(i, i + 5_000))) live.add(id);
      for (const c of conns) if (!live.has(c.sessionId!)) this.revokeConn(c, 'session_ended');
      await deleteExpiredTickets(this.deps.db);
    } catch (err) {
      this.deps.log.warn({ err }, 'stream keep-alive failed');
    }
  }

  /** Browsers cannot send protocol pings, so the stream also answers `{"type":"ping"}` with `pong`. */
  private onClientMessage(conn: Connection, text: string, isBinary: boolean): void {
    conn.alive = true;
    if (isBinary || text.length > 1024) return;
    try {
      const msg = JSON.parse(text) as { type?: unknown };
      if (msg.type === 'ping') this.send(conn, 'pong', JSON.stringify({ type: 'pong', version: conn.lastVersion }));
    } catch {
      /* not JSON: ignored, the stream is server-to-client */
    }
  }

  // ---- bookkeeping -------------------------------------------------------------------------------

  /** Sends one message; pushes (all but `pong`) are counted in `switchboard_stream_pushes_total`. */
  private send(conn: Connection, type: 'config' | 'uptodate' | 'revoked' | 'pong', payload: string): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    // A client that stopped reading would make the node buffer every push for it: drop it instead;
    // it reconnects with ?since= and gets the current configuration in one message (D4).
    if (conn.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      conn.ws.terminate();
      this.remove(conn);
      return;
    }
    conn.ws.send(payload);
    if (type !== 'pong') this.deps.metrics.streamPushes.inc({ type });
  }

  private add(conn: Connection): void {
    let users = this.byTenant.get(conn.tenantId);
    if (!users) this.byTenant.set(conn.tenantId, (users = new Map<string, Set<Connection>>()));
    let set = users.get(conn.userId);
    if (!set) users.set(conn.userId, (set = new Set()));
    set.add(conn);
    if (conn.sessionId) {
      let s = this.bySession.get(conn.sessionId);
      if (!s) this.bySession.set(conn.sessionId, (s = new Set()));
      s.add(conn);
    }
  }

  private remove(conn: Connection): void {
    conn.closed = true;
    const users = this.byTenant.get(conn.tenantId);
    const set = users?.get(conn.userId);
    set?.delete(conn);
    if (set && set.size === 0) users!.delete(conn.userId);
    if (users && users.size === 0) this.byTenant.delete(conn.tenantId);
    if (conn.sessionId) {
      const s = this.bySession.get(conn.sessionId);
      s?.delete(conn);
      if (s && s.size === 0) this.bySession.delete(conn.sessionId);
    }
  }

  private all(): Connection[] {
    const out: Connection[] = [];
    for (const users of this.byTenant.values()) for (const set of users.values()) out.push(...set);
    return out;
  }

  private every(ms: number, fn: () => void | Promise<void>): void {
    const t = setInterval(() => {
      void fn();
    }, ms);
    t.unref();
    this.timers.push(t);
  }
}
