import type { AuditInput } from '../../infra/audit-chain.js';
import type { ChangeEvent } from '../../infra/bus.js';
import type { OutboxEvent } from '../../infra/outbox.js';

/**
 * The webhook events a change implies (W1), read from what its unit of work already records: the
 * audit entries (AU1: every change, with before and after) and the bus events (config, revoke).
 * So every path that changes users (portal, API, SCIM, CSV, platform sync) emits the same events,
 * in the same transaction as the change.
 */
export function changeEvents(change: { audit: readonly AuditInput[]; events: readonly ChangeEvent[] }): OutboxEvent[] {
  const out: OutboxEvent[] = [];
  for (const a of change.audit) {
    const tenantId = a.tenantId;
    if (!tenantId || !a.targetId) continue;
    const userId = a.targetId;
    const before = record(a.before);
    const after = record(a.after);
    switch (a.action) {
      case 'user.create':
      case 'user.sync.create':
        out.push({ type: 'user.created', tenantId, data: { userId, user: after } });
        out.push(...licenceEvents(tenantId, userId, [], licences(after)));
        break;
      case 'user.update':
      case 'user.sync.update': {
        const changed = changedFields(before, after);
        if (changed.length) out.push({ type: 'user.updated', tenantId, data: { userId, changed } });
        if ('licences' in after || 'supervisorLevel' in after)
          out.push(...licenceEvents(tenantId, userId, licences(before), licences(after)));
        break;
      }
      case 'user.delete':
      case 'user.sync.remove':
        out.push({ type: 'user.removed', tenantId, data: { userId } });
        out.push(...licenceEvents(tenantId, userId, licences(before), []));
        break;
      case 'tenant.update': {
        const changed = changedFields(before, after).filter((f) => f !== 'version' && f !== 'updatedAt');
        if (changed.length) out.push({ type: 'tenant.updated', tenantId, data: { changed } });
        break;
      }
    }
  }
  for (const e of change.events) {
    if (e.type === 'config')
      out.push({ type: 'user.access.changed', tenantId: e.tenantId, data: { userIds: e.userIds, version: e.version } });
    else if (e.type === 'revoke')
      out.push({
        type: 'session.revoked',
        tenantId: e.tenantId,
        data: { sessionIds: e.sessionIds, userIds: e.userIds, reason: e.reason },
      });
  }
  return out;
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The billable licences a user holds: its licences and its supervisor level's licence (`supervisor_report`, …). */
function licences(v: Record<string, unknown>): string[] {
  const held = Array.isArray(v.licences) ? v.licences.filter((l): l is string => typeof l === 'string') : [];
  const level = v.supervisorLevel;
  return typeof level === 'string' && level !== 'none' ? [...held, `supervisor_${level}`] : held;
}

/** Fields whose value differs (bookkeeping fields left out). */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => k !== 'version' && k !== 'updatedAt' && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .sort();
}

function licenceEvents(tenantId: string, userId: string, before: string[], after: string[]): OutboxEvent[] {
  return [
    ...after
      .filter((l) => !before.includes(l))
      .map((licence) => ({ type: 'licence.assigned', tenantId, data: { userId, licence } })),
    ...before
      .filter((l) => !after.includes(l))
      .map((licence) => ({ type: 'licence.unassigned', tenantId, data: { userId, licence } })),
  ];
}
