import type { ChangeActor } from '../../src/access/actor-bounds.js';
import { applyAutomaticAssignments } from '../../src/access/automatic-assignment.js';
import { validateUserChange, type UserChangeContext } from '../../src/access/change-rules.js';
import type { TenantAccess, UserAccess } from '../../src/access/types.js';
import { makeTenant } from './access-factories.js';

/** The provider: the change rules allow it everything they allow anyone. */
export const provider: ChangeActor = { all: true, superuser: true, capabilities: new Set() };

/** An actor holding exactly these capabilities (not a superuser). */
export const actorWith = (...caps: string[]): ChangeActor => ({
  all: false,
  superuser: false,
  capabilities: new Set(caps),
});

/** A tenant admin of users (view, create, edit, delete): no billing, no cc:admin, no profiles. */
export const admin = actorWith('portal:use', 'users:view', 'users:create', 'users:edit', 'users:delete');

/** What the change rules know of a tenant besides the user: pools unlimited, the email free, another admin present. */
export function changeContext(
  tenant: TenantAccess = makeTenant(),
  over: Partial<UserChangeContext> = {},
): UserChangeContext {
  return {
    tenant,
    pools: { caps: {}, assigned: {} },
    emailTaken: false,
    otherAdmins: 1,
    groupIds: new Set(['g1', 'g2']),
    workspaceIds: new Set(['w1']),
    ...over,
  };
}

/** The rules a requested change breaks, automatic assignment applied, as `rule:code`. */
export const violationCodes = (
  actor: ChangeActor,
  before: UserAccess | null,
  after: UserAccess,
  c = changeContext(),
): string[] =>
  validateUserChange(actor, before, applyAutomaticAssignments(after, before), c).map(
    (v) => `${v.rule ?? '-'}:${v.code}`,
  );
