import type { ChangeActor, Violation } from '../../access/actor-bounds.js';
import type { UserAccess } from '../../access/types.js';
import { AppError } from '../../infra/errors.js';
import type { ActorPowers } from '../access/actor-access.js';
import type { UserPatch } from './users.schemas.js';

/** The first violation becomes the error; all of them travel along so a form can show every one. */
export function refuse(violations: Violation[]): never {
  const first = violations[0]!;
  throw new AppError(first.code, first.detail, {
    ...(first.rule ? { rule: first.rule } : {}),
    field: first.field,
    extra: violations.length > 1 ? { violations } : {},
  });
}

/** The actor as the change rules see it. */
export function toChangeActor(p: ActorPowers): ChangeActor {
  return { all: p.all, superuser: p.superuser, capabilities: p.capabilities };
}

/** Applies a PATCH to a user's access state: objects merge, arrays and sets replace. */
export function mergePatch(before: UserAccess, patch: UserPatch): UserAccess {
  const u = structuredClone(before);
  if (patch.email !== undefined) u.email = patch.email;
  if (patch.status) u.status = patch.status;
  if (patch.licences) u.licences = patch.licences;
  if (patch.supervisorLevel) u.supervisorLevel = patch.supervisorLevel;
  if (patch.permissions) u.permissions = patch.permissions;
  if (patch.recordingScope) u.recordingScope = patch.recordingScope;
  if (patch.ucClient) {
    if (patch.ucClient.desktop !== undefined) u.ucClient.desktop = patch.ucClient.desktop;
    if (patch.ucClient.softphone) u.ucClient.softphone = { ...u.ucClient.softphone, ...patch.ucClient.softphone };
  }
  if (patch.groups) u.groups = patch.groups;
  if (patch.primaryGroup !== undefined) u.primaryGroup = patch.primaryGroup;
  if (patch.workspaces) u.workspaces = patch.workspaces;
  if (patch.contactCenter) u.contactCenter = { ...u.contactCenter, ...patch.contactCenter };
  if (patch.profile)
    u.profile =
      patch.profile.kind === 'custom'
        ? { kind: 'custom', grants: patch.profile.grants ?? [] }
        : patch.profile.kind === 'profile'
          ? { kind: 'profile', profileId: patch.profile.profileId ?? null }
          : { kind: patch.profile.kind };
  if (patch.features) {
    const { dialRestriction, ...rest } = patch.features;
    u.features = { ...u.features, ...rest, dialRestriction: { ...u.features.dialRestriction, ...dialRestriction } };
  }
  return u;
}

/** The G2 unique index can still refuse under a race the rules' check did not see. */
export function mapUniqueViolation(err: unknown): never {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505' && (e.constraint === 'users_login_email' || e.message?.includes('users_login_email'))) {
    throw new AppError('email_not_unique', 'another user with website access already signs in with this email', {
      rule: 'G2',
      field: '/email',
    });
  }
  throw err;
}
