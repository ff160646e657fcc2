import type { Db, Tx } from '../db/database.js';
import { advisoryXactLock, lockTenantRow, nextChangeSeq } from '../db/transaction-locks.js';
import type { AuditInput } from './audit-chain.js';
import { appendAudit } from './audit-sink.repo.js';
import type { ChangeBus, ChangeEvent } from './bus.js';
import type { Actor, RequestContext } from './context.js';
import type { SecretBox } from './crypto.js';
import { notFound } from './errors.js';
import {
  derivedEvents,
  eventEntry,
  outboxWakeUp,
  type OutboxEntry,
  type OutboxEvent,
  type OutboxMail,
} from './outbox.js';
import { writeOutbox } from './outbox.repo.js';

/** What one change records besides its rows: audit entries, change events, outbox rows, after-commit work. */
export class UnitOfWork {
  readonly auditEntries: AuditInput[] = [];
  readonly events: ChangeEvent[] = [];
  readonly outbox: OutboxEntry[] = [];
  readonly afterCommitTasks: Array<() => void | Promise<void>> = [];

  constructor(
    readonly tx: Tx,
    readonly ctx: RequestContext,
    private readonly secrets: SecretBox,
  ) {}

  /** A webhook event, written to the outbox with this change (W1; see `outbox.ts`). */
  emit(event: OutboxEvent): void {
    this.outbox.push(eventEntry(this.ctx, event));
  }

  /** A mail, written to the outbox with this change and sent at least once after commit (see `outbox.ts`). */
  sendMail(mail: OutboxMail): void {
    this.outbox.push({
      kind: 'mail',
      tenantId: mail.tenantId,
      payload: {
        to: mail.to,
        subject: mail.subject,
        sealedText: this.secrets.seal(mail.text),
        ...(mail.attachments && {
          attachments: mail.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            sealedContent: this.secrets.seal(a.content),
          })),
        }),
      },
    });
  }

  /** Records an audit entry for this change, attributed to the request's actor (AU1). */
  audit(e: {
    tenantId: string | null;
    action: string;
    targetType: string;
    targetId: string | null;
    before?: unknown;
    after?: unknown;
  }): void {
    this.auditEntries.push({
      ...e,
      actorType: this.ctx.actor.kind,
      actorId: actorId(this.ctx.actor),
      credential: this.ctx.actor.credential,
      requestId: this.ctx.requestId,
      ...(this.ctx.clientRequestId && { clientRequestId: this.ctx.clientRequestId }),
      clientAddr: this.ctx.clientAddr,
    });
  }

  publish(event: ChangeEvent): void {
    this.events.push(event);
  }
  afterCommit(task: () => void | Promise<void>): void {
    this.afterCommitTasks.push(task);
  }

  /** The next value of the global change sequence: every version comes from it, so versions only grow. */
  async nextVersion(): Promise<number> {
    return nextChangeSeq(this.tx);
  }

  /**
   * A version for a change of some users of a tenant. The tenant row is share-locked first, so a
   * tenant-wide change (which locks it for update before taking its version) commits either wholly
   * before or wholly after: per tenant, versions of effective configurations commit in order (D3),
   * and a node never sees a lower version land after a higher one.
   */
  async nextUserVersion(tenantId: string): Promise<number> {
    await this.lockTenant(tenantId, 'share');
    return this.nextVersion();
  }

  /** A version for a tenant-wide change (plan, settings, queues, profiles, role permissions): see nextUserVersion. */
  async nextTenantVersion(tenantId: string): Promise<number> {
    await this.lockTenant(tenantId, 'update');
    return this.nextVersion();
  }

  /**
   * Locks the tenant row. Every transaction that changes users takes it (share) before any user row,
   * and tenant-wide changes take it (update) first too, so locks are always taken tenant-then-users
   * and two writers cannot deadlock. Taking it again in the same transaction is free.
   */
  async lockTenant(tenantId: string, mode: 'share' | 'update'): Promise<void> {
    // Every tenant-scoped write takes this lock first, so a write to a tenant that does not exist is a
    // 404 here rather than a foreign-key error later (E4).
    if (!(await lockTenantRow(this.tx, tenantId, mode))) throw notFound('tenant');
  }

  /**
   * Serialises licence-pool checks of one tenant (C6) without blocking its other writers: two
   * assignments cannot both take the last licence. Released at commit.
   */
  async lockLicencePools(tenantId: string): Promise<void> {
    await advisoryXactLock(this.tx, `pools:${tenantId}`);
  }
}

function actorId(a: Actor): string | null {
  return a.kind === 'provider' ? null : a.id;
}

/**
 * Runs `work` in one transaction with its audit entries, change events and outbox rows, then, after commit,
 * delivers the events and runs after-commit tasks (network calls never happen inside the transaction).
 */
export async function inTransaction<T>(
  deps: { db: Db; bus: ChangeBus; secrets: SecretBox },
  ctx: RequestContext,
  work: (uow: UnitOfWork) => Promise<T>,
): Promise<T> {
  let uow!: UnitOfWork;
  const result = await deps.db.transaction().execute(async (tx) => {
    uow = new UnitOfWork(tx, ctx, deps.secrets);
    const value = await work(uow);
    if (uow.auditEntries.length > 0) await appendAudit(tx, uow.auditEntries);
    for (const e of derivedEvents({ audit: uow.auditEntries, events: uow.events })) uow.emit(e);
    if (uow.outbox.length > 0) await writeOutbox(tx, uow.outbox);
    if (uow.events.length > 0) await deps.bus.publishInTransaction(tx, uow.events);
    return value;
  });
  if (uow.outbox.length > 0) outboxWakeUp.emit('wake');
  deps.bus.afterCommit(uow.events);
  for (const task of uow.afterCommitTasks) await task();
  return result;
}
