/**
 * Bulk actions on the users table, previewed before they run: for each selected user the
 * draft after the action, its change list and billable impact, and users the action skips.
 */
import type { User } from '../../../client/index.js';
import type { BillableKey, NamedPermission } from '../../../src/contract/index.js';
import { billableImpact, increasesBilling, listChanges, type Change } from './change-summary.js';
import { applyAutomaticRules } from './user-draft.js';

export type BulkAction =
  | { kind: 'suspend' }
  | { kind: 'activate' }
  | { kind: 'addGroup'; groupId: string }
  | { kind: 'removeGroup'; groupId: string }
  | { kind: 'setSupervisorLevel'; level: User['supervisorLevel'] }
  | { kind: 'addLicence'; licence: User['licences'][number] }
  | { kind: 'removeLicence'; licence: User['licences'][number] }
  | { kind: 'grantPermission'; permission: NamedPermission }
  | { kind: 'revokePermission'; permission: NamedPermission };

export interface BulkItem {
  user: User;
  after: User;
  changes: Change[];
  skip?: string;
}
export interface BulkPreview {
  items: BulkItem[];
  /** Users that would change. */
  changing: number;
  /** Net billable delta per key over all users. */
  billable: Partial<Record<BillableKey, number>>;
  increasesBilling: boolean;
}

function apply(user: User, action: BulkAction): { after: User; skip?: string } {
  const u = user;
  switch (action.kind) {
    case 'suspend':
      return u.status === 'removed' ? { after: u, skip: 'removed' } : { after: { ...u, status: 'suspended' } };
    case 'activate':
      return u.status === 'removed' ? { after: u, skip: 'removed' } : { after: { ...u, status: 'active' } };
    case 'addGroup':
      return { after: { ...u, groups: u.groups.includes(action.groupId) ? u.groups : [...u.groups, action.groupId] } };
    case 'removeGroup': {
      const groups = u.groups.filter((g) => g !== action.groupId);
      return { after: { ...u, groups, primaryGroup: u.primaryGroup === action.groupId ? null : u.primaryGroup } };
    }
    case 'setSupervisorLevel':
      return { after: { ...u, supervisorLevel: action.level } };
    case 'addLicence':
      if ((action.licence === 'essential' || action.licence === 'agent') && u.source !== 'platform')
        return { after: u, skip: 'platform_user_required' };
      if ((action.licence === 'crm' || action.licence === 'softphone') && !u.licences.includes('essential'))
        return { after: u, skip: 'essential_required' };
      return {
        after: { ...u, licences: u.licences.includes(action.licence) ? u.licences : [...u.licences, action.licence] },
      };
    case 'removeLicence':
      if (action.licence === 'essential' && u.source === 'platform') return { after: u, skip: 'essential_locked' };
      return { after: { ...u, licences: u.licences.filter((l) => l !== action.licence) } };
    case 'grantPermission':
      if (action.permission !== 'website_access' && !u.permissions.includes('website_access'))
        return { after: u, skip: 'website_access_required' };
      return {
        after: {
          ...u,
          permissions: u.permissions.includes(action.permission)
            ? u.permissions
            : [...u.permissions, action.permission],
        },
      };
    case 'revokePermission':
      return { after: { ...u, permissions: u.permissions.filter((p) => p !== action.permission) } };
  }
}

export function previewBulk(users: readonly User[], action: BulkAction): BulkPreview {
  const billable: Partial<Record<BillableKey, number>> = {};
  let up = false;
  const items = users.map((user): BulkItem => {
    const { after: raw, skip } = apply(user, action);
    const after = applyAutomaticRules(raw, user);
    const changes = skip ? [] : listChanges(user, after);
    if (!skip) {
      for (const b of billableImpact(user, after)) billable[b.key] = (billable[b.key] ?? 0) + b.delta;
      if (increasesBilling(user, after)) up = true;
    }
    return skip ? { user, after: user, changes, skip } : { user, after, changes };
  });
  return {
    items,
    changing: items.filter((i) => !i.skip && i.changes.length > 0).length,
    billable,
    increasesBilling: up,
  };
}
