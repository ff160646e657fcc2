import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Tx } from '../db/database.js';
import { notifyInTransaction } from '../db/notify.js';
import type { EffectiveConfig } from '../access/effective-config.js';
import type { ProfileInfo } from '../access/types.js';
import type { PlanFeature, RolePermissions } from '../catalog/index.js';

/**
 * What a tenant-wide change changed, when its writer can say: a node holding the tenant at
 * `previousVersion` (the tenant row's version before the change) recompiles from memory instead of
 * reloading the tenant; any other node reloads.
 */
export type TenantDelta = { previousVersion: number } & (
  { rolePermissions: RolePermissions } | { profile: ProfileInfo } | { planFeatures: readonly PlanFeature[] }
);

/**
 * The change bus: "tenant t, users u… changed at version v" to every node (ARCHITECTURE: bus).
 * Payloads stay small; nodes fetch what they need. On PostgreSQL the notification is sent inside
 * the writing transaction (pg_notify), so it is delivered if and only if the change commits, in
 * commit order. On the embedded database it is emitted in-process right after commit.
 */
export type ChangeEvent =
  | {
      type: 'config';
      tenantId: string;
      userIds: string[] | null;
      version: number;
      /**
       * The new effective configurations (without SIP secrets), when the writer computed them and they
       * fit a notification: nodes send them as they are, so every change reaches clients, none skipped.
       */
      configs?: EffectiveConfig[];
      /** With `userIds: null`: what changed tenant-wide, when the writer can say. */
      delta?: TenantDelta;
    }
  | { type: 'revoke'; tenantId: string; sessionIds: string[] | null; userIds: string[] | null; reason: string }
  /**
   * Tenant-wide state that no user's configuration shows changed (a profile nobody holds yet): nodes
   * reload their snapshot of the tenant, clients get nothing.
   */
  | { type: 'tenant'; tenantId: string; version: number; delta?: TenantDelta }
  /** Credentials (platform or API tokens) were revoked: nodes drop them from their caches. */
  | { type: 'credential'; tenantId: string; tokenIds: string[] }
  /** Call data was stored for a tenant (issue 14): live dashboards refresh. */
  | { type: 'call_data'; tenantId: string }
  /** The listener (re)connected: events may have been missed, so consumers resynchronise. */
  | { type: 'resync' };

export type ChangeHandler = (event: ChangeEvent) => void;

const CHANNEL = 'switchboard_changes';
/** PostgreSQL limits NOTIFY payloads to 8000 bytes; past this many ids, an event becomes tenant-wide. */
const MAX_IDS = 100;
/** Room for configurations in one notification; larger ones travel as ids and are loaded by the nodes. */
const MAX_PAYLOAD = 7000;

export function compactEvent(event: ChangeEvent): ChangeEvent {
  if (event.type === 'config' && event.configs && JSON.stringify(event).length > MAX_PAYLOAD) {
    const { configs: _dropped, ...rest } = event;
    return compactEvent(rest);
  }
  if (event.type === 'config' && event.userIds && event.userIds.length > MAX_IDS) return { ...event, userIds: null };
  if (
    (event.type === 'config' || event.type === 'tenant') &&
    event.delta &&
    JSON.stringify(event).length > MAX_PAYLOAD
  ) {
    // Nodes reload the tenant instead.
    const { delta: _dropped, ...rest } = event;
    return rest;
  }
  if (event.type === 'revoke') {
    const tooMany = (event.sessionIds?.length ?? 0) > MAX_IDS || (event.userIds?.length ?? 0) > MAX_IDS;
    if (tooMany) return { ...event, sessionIds: null, userIds: null };
  }
  return event;
}

export interface ChangeBus {
  /** Called inside the transaction, before commit. */
  publishInTransaction(tx: Tx, events: ChangeEvent[]): Promise<void>;
  /** Called right after commit. */
  afterCommit(events: ChangeEvent[]): void;
  subscribe(handler: ChangeHandler): () => void;
  /**
   * Events this node committed, right after its commit and before the bus delivers them to every
   * node (itself included), so this node's own later requests see its writes. The in-process bus
   * delivers at commit already, so there it is the same as `subscribe` and calls nothing more.
   */
  subscribeOwnCommits(handler: ChangeHandler): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** In-process bus for the embedded database (one node). */
export class LocalBus implements ChangeBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  async publishInTransaction(): Promise<void> {}
  afterCommit(events: ChangeEvent[]): void {
    for (const e of events) this.emitter.emit('change', compactEvent(e));
  }
  subscribe(handler: ChangeHandler): () => void {
    this.emitter.on('change', handler);
    return () => this.emitter.off('change', handler);
  }
  subscribeOwnCommits(): () => void {
    return () => {};
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** LISTEN/NOTIFY bus across every node sharing one PostgreSQL. Reconnects with backoff and asks consumers to resync. */
export class PgBus implements ChangeBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  async publishInTransaction(tx: Tx, events: ChangeEvent[]): Promise<void> {
    for (const e of events) {
      await notifyInTransaction(tx, CHANNEL, JSON.stringify(compactEvent(e)));
    }
  }
  afterCommit(events: ChangeEvent[]): void {
    for (const e of events) this.emitter.emit('committed', compactEvent(e));
  }

  subscribe(handler: ChangeHandler): () => void {
    this.emitter.on('change', handler);
    return () => this.emitter.off('change', handler);
  }
  subscribeOwnCommits(handler: ChangeHandler): () => void {
    this.emitter.on('committed', handler);
    return () => this.emitter.off('committed', handler);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect(false);
  }

  private async connect(isRetry: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        this.emitter.emit('change', JSON.parse(msg.payload) as ChangeEvent);
      } catch (err) {
        this.log.warn({ err }, 'unreadable change notification');
      }
    });
    client.on('error', (err) => this.log.warn({ err }, 'change bus connection error'));
    client.on('end', () => {
      if (this.client === client) this.client = null;
      if (!this.stopped) this.scheduleReconnect(500);
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
      this.client = client;
      if (isRetry) this.emitter.emit('change', { type: 'resync' } satisfies ChangeEvent);
    } catch (err) {
      await client.end().catch(() => {});
      if (!isRetry) throw err;
      this.log.warn({ err }, 'change bus reconnect failed');
      this.scheduleReconnect(2000);
    }
  }

  private scheduleReconnect(ms: number): void {
    if (this.retry || this.stopped) return;
    this.retry = setTimeout(
      () => {
        this.retry = null;
        void this.connect(true);
      },
      ms + Math.random() * ms,
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
    this.emitter.removeAllListeners();
  }
}
