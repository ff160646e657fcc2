/**
 * Bulk actions on the users table, previewed by the server before they run: for each selected user
 * the PATCH the action asks for and the server's preview of it (`POST …/users/{u}/preview`): the
 * changes it leads to, its billable impact, or the rule that would refuse it (the user is skipped).
 */
import type { ChangePreview, User, UserPatch } from '../../../client/index.js';
import type { BillableKey, NamedPermission } from '../../../src/contract/index.js';
import { summaryFromPreview, type Change } from './change-preview.js';

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
  patch: UserPatch;
  changes: Change[];
  /** Billable items this user's change adds and removes (the server's answer). */
  billable: ChangePreview['billable'];
  /** The first rule the server would refuse this user's change with: the user is skipped. */
  skip?: ChangePreview['violations'][number];
}
export interface BulkPreview {
  items: BulkItem[];
  /** Users that would change. */
  changing: number;
  /** Net billable delta per key over all users. */
  billable: Partial<Record<BillableKey, number>>;
  increasesBilling: boolean;
}

const adding = <T>(list: readonly T[], x: T): T[] => (list.includes(x) ? [...list] : [...list, x]);

/** The PATCH body the action asks of one user: what the admin asks; the server decides the rest. */
function actionPatch(u: User, action: BulkAction): UserPatch {
  switch (action.kind) {
    case 'suspend':
      return { status: 'suspended' };
    case 'activate':
      return { status: 'active' };
    case 'addGroup':
      return { groups: adding(u.groups, action.groupId) };
    case 'removeGroup':
      return { groups: u.groups.filter((g) => g !== action.groupId) };
    case 'setSupervisorLevel':
      return { supervisorLevel: action.level };
    case 'addLicence':
      return { licences: adding(u.licences, action.licence) };
    case 'removeLicence':
      return { licences: u.licences.filter((l) => l !== action.licence) };
    case 'grantPermission':
      return { permissions: adding(u.permissions, action.permission) };
    case 'revokePermission':
      return { permissions: u.permissions.filter((p) => p !== action.permission) };
  }
}

/** Previews the action for every user (four at a time), with `ask` calling the server's preview. */
export async function previewBulk(
  users: readonly User[],
  action: BulkAction,
  ask: (user: User, patch: UserPatch) => Promise<ChangePreview>,
): Promise<BulkPreview> {
  const items: BulkItem[] = new Array<BulkItem>(users.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = next++; i < users.length; i = next++) {
        const user = users[i]!;
        const patch = actionPatch(user, action);
        const preview = await ask(user, patch);
        items[i] = preview.allowed
          ? { user, patch, changes: summaryFromPreview(user, user, user, preview).changes, billable: preview.billable }
          : { user, patch, changes: [], billable: { added: [], removed: [] }, skip: preview.violations[0]! };
      }
    }),
  );
  const billable: Partial<Record<BillableKey, number>> = {};
  for (const item of items) {
    for (const k of item.billable.added) billable[k] = (billable[k] ?? 0) + 1;
    for (const k of item.billable.removed) billable[k] = (billable[k] ?? 0) - 1;
  }
  return {
    items,
    changing: items.filter((i) => !i.skip && i.changes.length > 0).length,
    billable,
    increasesBilling: items.some((i) => i.billable.added.length > 0),
  };
}
