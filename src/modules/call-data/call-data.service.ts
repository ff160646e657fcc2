import { noteBulkWrite } from '../../db/analyze.js';
import type { Executor } from '../../db/database.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { groupBy } from '../../infra/collections.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { assertTenantScope, requireCapability } from '../access/actor-access.js';
import { findTenant } from '../tenants/tenants.repo.js';
import * as repo from './call-data.repo.js';
import type { CallDataSettings, CallDataSettingsPatch, IngestResult } from './call-data.schemas.js';
import {
  namedUsersOfCalls,
  planAgentEvents,
  planCalls,
  queuesOfBatch,
  type IngestContext,
  type Tally,
} from './ingest-plan.js';

/** Without settings a tenant keeps call data 13 months, and may keep it up to two years. */
const DEFAULT_SETTINGS: CallDataSettings = { retentionDays: 396, retentionMaxDays: 731 };
/** Records stamped further ahead than this (clock skew of the phone system) are invalid. */
const FUTURE_SKEW_MS = 24 * 3600 * 1000;
const DAY_MS = 86_400_000;

/**
 * Call data ingestion (issue 14): the phone system posts call records and agent events; each is stored
 * by the licence its users held at the time (Essential: the call is modelled for them; Agent add-on:
 * their agent events; manual users never, G4), attributed to their primary group then (A4).
 */
export class CallDataService {
  /** Months whose partitions this process has made sure of, per table. */
  private readonly partitions = new Set<string>();

  constructor(private readonly deps: ServiceDeps) {}

  async ingestCalls(ctx: RequestContext, tenantId: string, records: unknown[]): Promise<IngestResult> {
    const context = await this.context(ctx, tenantId, namedUsersOfCalls(records), queuesOfBatch(records));
    const plan = planCalls(records, context);
    const stored = await this.withPartitions(
      ['call_records', 'call_participants', 'call_recordings'],
      plan.months,
      () =>
        inTransaction(this.deps, ctx, async (uow) => {
          await uow.lockTenant(tenantId, 'share');
          const ids = await repo.insertCalls(uow.tx, tenantId, plan.calls, plan.participants, plan.recordings);
          if (ids.size > 0) uow.publish({ type: 'call_data', tenantId });
          return ids;
        }),
    );
    const participants = { modelled: 0, notLicensed: 0, unknownUser: 0 };
    for (const id of stored) {
      const o = plan.outcomes.get(id)!;
      participants.modelled += o.modelled;
      participants.notLicensed += o.notLicensed;
      participants.unknownUser += o.unknownUser;
    }
    plan.tally.notStored.duplicate += plan.calls.length - stored.size;
    plan.tally.stored = stored.size;
    this.wrote(['call_records', 'call_participants', 'call_rollup'], stored.size);
    return { ...answer(records.length, plan.tally), participants };
  }

  async ingestAgentEvents(ctx: RequestContext, tenantId: string, records: unknown[]): Promise<IngestResult> {
    const users = records
      .map((r) => (r as { user?: unknown } | null)?.user)
      .filter((u): u is string => typeof u === 'string');
    const context = await this.context(ctx, tenantId, [...new Set(users)], queuesOfBatch(records));
    const plan = planAgentEvents(records, context);
    const stored = await this.withPartitions(['agent_events'], plan.months, () =>
      inTransaction(this.deps, ctx, async (uow) => {
        await uow.lockTenant(tenantId, 'share');
        const ids = await repo.insertAgentEvents(uow.tx, tenantId, plan.events);
        if (ids.size > 0) uow.publish({ type: 'call_data', tenantId });
        return ids;
      }),
    );
    plan.tally.notStored.duplicate += plan.events.length - stored.size;
    plan.tally.stored = stored.size;
    this.wrote(['agent_events'], stored.size);
    return answer(records.length, plan.tally);
  }

  /**
   * Counts a committed batch toward the tables' next ANALYZE (run in the background once enough rows
   * changed: the planner must know the month's partitions have grown). A call's participants and its
   * rollup rows are counted by the calls stored, the smallest figure they are written in.
   */
  private wrote(tables: string[], rows: number): void {
    const onError = (err: unknown) => this.deps.log.warn({ err }, 'call data: ANALYZE after ingestion failed');
    for (const table of tables) noteBulkWrite(this.deps.db, table, rows, onError);
  }

  async settings(ctx: RequestContext, tenantId: string): Promise<CallDataSettings> {
    await requireCapability(this.deps.db, ctx, tenantId, ['settings:view', 'settings:edit']);
    return this.settingsOf(tenantId);
  }

  /**
   * Retention: the provider sets the bound (`retentionMaxDays`) and may set the retention; a tenant's
   * settings editor sets the retention within the bound.
   */
  async updateSettings(ctx: RequestContext, tenantId: string, patch: CallDataSettingsPatch): Promise<CallDataSettings> {
    await requireCapability(this.deps.db, ctx, tenantId, 'settings:edit');
    if (patch.retentionMaxDays !== undefined && ctx.actor.kind !== 'provider')
      throw new AppError('provider_only', 'the retention bound is set by the provider', {
        rule: 'C8',
        field: '/retentionMaxDays',
      });
    return inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'update');
      const before = await this.settingsOf(tenantId, uow.tx);
      const after = { ...before, ...patch };
      if (patch.retentionMaxDays !== undefined && patch.retentionDays === undefined)
        after.retentionDays = Math.min(after.retentionDays, after.retentionMaxDays);
      if (after.retentionDays > after.retentionMaxDays)
        throw new AppError('validation_failed', `retention is at most ${after.retentionMaxDays} days`, {
          field: '/retentionDays',
        });
      await repo.upsertSettings(uow.tx, tenantId, {
        retention_days: after.retentionDays,
        retention_max_days: after.retentionMaxDays,
      });
      uow.audit({ tenantId, action: 'call_data.settings', targetType: 'tenant', targetId: tenantId, before, after });
      return after;
    });
  }

  /**
   * Retention: deletes each tenant's rows older than its retention, then drops the monthly partitions
   * every tenant is done with. Returns the rows deleted and the partitions dropped.
   */
  async prune(now = new Date()): Promise<{ deleted: number; dropped: string[] }> {
    const tenants = await repo.tenantRetentions(this.deps.db, DEFAULT_SETTINGS.retentionDays);
    const longest = Math.max(DEFAULT_SETTINGS.retentionDays, ...tenants.map((t) => t.days));
    const dropBefore = new Date(now.getTime() - longest * DAY_MS).toISOString().slice(0, 7);
    const dropped: string[] = [];
    for (const table of Object.keys(repo.PARTITIONED) as repo.PartitionedTable[]) {
      for (const month of await repo.listPartitions(this.deps.db, table)) {
        // A month is dropped once its end is older than every tenant's retention.
        if (month >= dropBefore) continue;
        await repo.dropPartition(this.deps.db, table, month);
        this.partitions.delete(`${table}:${month}`);
        dropped.push(repo.partitionName(table, month));
      }
    }
    let deleted = 0;
    for (const t of tenants)
      deleted += await repo.pruneTenant(this.deps.db, t.id, new Date(now.getTime() - t.days * DAY_MS));
    return { deleted, dropped };
  }

  private async settingsOf(tenantId: string, db: Executor = this.deps.db): Promise<CallDataSettings> {
    const row = await repo.findSettings(db, tenantId);
    return row
      ? { retentionDays: row.retention_days, retentionMaxDays: row.retention_max_days }
      : { ...DEFAULT_SETTINGS };
  }

  /** Ingestion is the phone system's: a platform token of the tenant (or the provider), never a user (I6). */
  private async context(
    ctx: RequestContext,
    tenantId: string,
    externalIds: string[],
    queues: string[],
  ): Promise<IngestContext> {
    assertTenantScope(ctx, tenantId);
    if (ctx.actor.kind === 'user')
      throw new AppError('forbidden', 'call data is sent by the phone system with a platform token (I6)', {
        rule: 'I6',
      });
    if (!(await findTenant(this.deps.db, tenantId))) throw notFound('tenant');
    const db = this.deps.db;
    const [users, queueIds, settings] = await Promise.all([
      repo.usersByExternalId(db, tenantId, externalIds),
      repo.queuesByExternalId(db, tenantId, queues),
      this.settingsOf(tenantId),
    ]);
    const history = groupBy(
      await repo.licenceHistory(
        db,
        tenantId,
        users.map((u) => u.id),
      ),
      (h) => h.userId,
    );
    const now = Date.now();
    return {
      userIds: new Map(users.map((u) => [u.externalId, u.id])),
      history,
      queues: queueIds,
      notBefore: new Date(now - settings.retentionDays * DAY_MS),
      notAfter: new Date(now + FUTURE_SKEW_MS),
    };
  }

  /**
   * Runs a write after making sure its months have partitions. Another node's retention may have
   * dropped one this node remembers: then the write fails whole (no partition for a row), and is
   * retried once after creating them again.
   */
  private async withPartitions<T>(
    tables: repo.PartitionedTable[],
    months: Set<string>,
    write: () => Promise<T>,
  ): Promise<T> {
    await this.ensurePartitions(tables, months);
    try {
      return await write();
    } catch (err) {
      if ((err as { code?: string }).code !== '23514') throw err;
      for (const t of tables) for (const m of months) this.partitions.delete(`${t}:${m}`);
      await this.ensurePartitions(tables, months);
      return write();
    }
  }

  private async ensurePartitions(tables: repo.PartitionedTable[], months: Set<string>): Promise<void> {
    for (const table of tables)
      for (const month of months) {
        const key = `${table}:${month}`;
        if (this.partitions.has(key)) continue;
        await repo.createPartition(this.deps.db, table, month);
        this.partitions.add(key);
      }
  }
}

function answer(received: number, tally: Tally): IngestResult {
  return { received, stored: tally.stored, notStored: tally.notStored, errors: tally.errors };
}
