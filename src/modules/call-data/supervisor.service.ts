import { explainCapability } from '../../access/explain.js';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { loadTenantAccess, loadUsersAccess } from '../access/access.repo.js';
import { findTenant } from '../tenants/tenants.repo.js';
import { queueScope, requireAllowed } from './report-access.js';
import { liveCall } from './live.repo.js';
import type { AgentStateRequest, MonitorRequest, SupervisorRequestAnswer } from './supervisor.schemas.js';

/**
 * Supervisor actions (CD5): Supervisor Agent Control (`agent_state:edit`) and Silent Monitor
 * (`live_calls:monitor`) become requests to the phone system — webhook events
 * `agent.state_change_requested` and `call.monitor_requested` written to the outbox with the audit
 * entry, in one transaction — limited to the queues the supervisor supervises (G11).
 */
export class SupervisorService {
  constructor(private readonly deps: ServiceDeps) {}

  async requestAgentState(
    ctx: RequestContext,
    tenantId: string,
    agentId: string,
    body: AgentStateRequest,
  ): Promise<SupervisorRequestAnswer> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'agent_state:edit');
    const agent = (await loadUsersAccess(this.deps.db, tenantId, [agentId])).get(agentId);
    if (!agent || agent.row.source !== 'platform' || !agent.row.external_id) throw notFound('agent');
    const queues = body.queue ? [body.queue] : agent.row.acd_queue_ids;
    await this.requireQueueScope(ctx, tenantId, queues, !body.queue);
    return this.emit(ctx, tenantId, 'agent.state_change_requested', 'agent', agentId, {
      agentId,
      agentExternalId: agent.row.external_id,
      state: body.state,
      reason: body.reason ?? null,
      queueId: body.queue ?? null,
    });
  }

  async requestMonitor(ctx: RequestContext, tenantId: string, body: MonitorRequest): Promise<SupervisorRequestAnswer> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'live_calls:monitor');
    // Only a call in progress is monitored; one that ended (or never was) is not found.
    const call = await liveCall(this.deps.db, tenantId, body.conversationId, new Date());
    if (!call) throw notFound('call in progress');
    const queue = call.queue_id;
    if (queue) await this.requireQueueScope(ctx, tenantId, [queue], false);
    // A call outside every queue belongs to no supervisor: only an unrestricted scope reaches it (G11).
    else if ((await queueScope(this.deps.db, ctx, tenantId)) !== null) throw outsideQueues();
    const me = ctx.actor.kind === 'user' ? ctx.actor.id : null;
    const supervisor = me ? (await loadUsersAccess(this.deps.db, tenantId, [me])).get(me) : undefined;
    return this.emit(ctx, tenantId, 'call.monitor_requested', 'conversation', body.conversationId, {
      conversationId: body.conversationId,
      mode: body.mode,
      queueId: queue,
      supervisorId: me,
      supervisorExternalId: supervisor?.row.external_id ?? null,
      supervisorExtension: supervisor?.row.extension ?? null,
    });
  }

  /**
   * G11: the supervisor holds `queue:monitor` on the queue (any of them when `any`, the agent's queues);
   * the provider acts on every queue.
   */
  private async requireQueueScope(ctx: RequestContext, tenantId: string, queues: string[], any: boolean) {
    const a = ctx.actor;
    if (a.kind !== 'user') return;
    const tenant = await findTenant(this.deps.db, tenantId);
    if (!tenant) throw notFound('tenant');
    const me = (await loadUsersAccess(this.deps.db, tenantId, [a.id])).get(a.id)!;
    const access = await loadTenantAccess(this.deps.db, tenant);
    const held = queues.map((q) => explainCapability(me.access, access, 'queue:monitor', `queue:${q}`).allowed);
    const ok = queues.length > 0 && (any ? held.some(Boolean) : held.every(Boolean));
    if (!ok) throw outsideQueues();
  }

  private async emit(
    ctx: RequestContext,
    tenantId: string,
    type: string,
    targetType: string,
    targetId: string,
    data: Record<string, unknown>,
  ): Promise<SupervisorRequestAnswer> {
    return inTransaction(this.deps, ctx, async (uow) => {
      await uow.lockTenant(tenantId, 'share');
      uow.emit({ type, tenantId, data });
      uow.audit({ tenantId, action: type, targetType, targetId, after: data });
      return { type, requested: true as const };
    });
  }
}

function outsideQueues(): AppError {
  return new AppError('forbidden', 'supervisor actions are limited to the queues the supervisor supervises', {
    rule: 'G11',
    extra: { capability: 'queue:monitor' },
  });
}
