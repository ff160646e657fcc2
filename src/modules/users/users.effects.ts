import { buildEffectiveConfig } from '../../access/effective-config.js';
import type { TenantAccess, UserAccess } from '../../access/types.js';
import type { UnitOfWork } from '../../infra/unit-of-work.js';
import { endSessions } from '../sessions/sessions.repo.js';

/**
 * Publishes the change with the user's new effective configuration, computed here from the state
 * this transaction holds, so every node sends exactly this version (D2, D3). A softphone
 * configuration carries SIP secrets, which never travel in a notification: nodes load those.
 */
export function publishUserChange(uow: UnitOfWork, tenant: TenantAccess, after: UserAccess, version: number): void {
  const configs = after.ucClient.softphone.enabled
    ? undefined
    : [buildEffectiveConfig(after, tenant, null, version, null)];
  uow.publish({ type: 'config', tenantId: tenant.id, userIds: [after.id], version, ...(configs && { configs }) });
}

/** G13, I7: suspension ends every session; losing portal access ends portal sessions. */
export async function endInvalidatedSessions(
  uow: UnitOfWork,
  tenantId: string,
  before: UserAccess,
  after: UserAccess,
): Promise<void> {
  if (after.status !== 'active' && before.status === 'active') {
    const ended = await endSessions(uow.tx, tenantId, { userIds: [after.id] }, after.status);
    if (ended.length)
      uow.publish({
        type: 'revoke',
        tenantId,
        sessionIds: ended.map((s) => s.id),
        userIds: [after.id],
        reason: after.status,
      });
    return;
  }
  if (before.permissions.includes('website_access') && !after.permissions.includes('website_access')) {
    const ended = await endSessions(
      uow.tx,
      tenantId,
      { userIds: [after.id], audience: 'portal' },
      'portal_access_removed',
    );
    if (ended.length)
      uow.publish({
        type: 'revoke',
        tenantId,
        sessionIds: ended.map((s) => s.id),
        userIds: null,
        reason: 'portal_access_removed',
      });
  }
}
