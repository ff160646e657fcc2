import type { Violation } from '../../access/actor-bounds.js';
import { automaticChanges } from '../../access/automatic-assignment.js';
import { contentLevels, optionAvailability, type DraftDecision } from '../../access/option-availability.js';
import type { UserAccess } from '../../access/types.js';
import { billableKeysOf } from '../../catalog/licences.js';
import type { AppError } from '../../infra/errors.js';
import type { UnitOfWork } from '../../infra/unit-of-work.js';
import type { ChangePreview } from './users-preview.schemas.js';

/**
 * A preview of a change in progress: the save's own code path runs inside a transaction until the
 * rules have decided (`checkChange`), which hands the decision here and stops the transaction with
 * it, before anything is written; the transaction rolls back.
 */
export class PreviewRun extends Error {
  decision: (DraftDecision & { requested: UserAccess; violations: Violation[] }) | null = null;
  decided(decision: NonNullable<PreviewRun['decision']>): never {
    this.decision = decision;
    throw this;
  }
}
/** The preview each previewing unit of work runs (`checkChange` hands it the decision). */
export const PREVIEWS = new WeakMap<UnitOfWork, PreviewRun>();

/** Refusals of the change itself (not of the caller, the path or the version): a preview reports them. */
export function isRefusal(err: AppError): boolean {
  return ![401, 404, 412].includes(err.status) && err.code !== 'forbidden';
}

/** A refusal that came before the rules decided, as a preview: no user, the refusal as its violations. */
export function refusedBeforeRules(err: AppError): ChangePreview {
  const listed = (err.options.extra as { violations?: Violation[] } | undefined)?.violations;
  const violations = listed ?? [
    { code: err.code, field: err.field ?? '/', detail: err.message, ...(err.rule ? { rule: err.rule } : {}) },
  ];
  return {
    allowed: false,
    user: null,
    automatic: [],
    billable: { added: [], removed: [] },
    violations,
    options: {},
    contentLevels: [],
  };
}

/**
 * The preview of a decided change: the user after it, what automatic assignment adds, the billable
 * impact, every rule it breaks, and the editor's options and content levels.
 */
export function previewOf(decision: NonNullable<PreviewRun['decision']>): ChangePreview {
  const { before, requested, after, violations } = decision;
  const was = new Set(before ? billableKeysOf(before) : []);
  const now = new Set(billableKeysOf(after));
  return {
    allowed: violations.length === 0,
    user: previewUser(after),
    automatic: automaticChanges(requested, after, before),
    billable: { added: [...now].filter((k) => !was.has(k)), removed: [...was].filter((k) => !now.has(k)) },
    violations,
    options: optionAvailability(decision),
    contentLevels: contentLevels(after, decision.ctx),
  };
}

function previewUser(u: UserAccess): NonNullable<ChangePreview['user']> {
  const { source, status, email, licences, supervisorLevel, permissions, recordingScope, ucClient } = u;
  const { groups, primaryGroup, workspaces, contactCenter, profile, features, preferences } = u;
  return {
    source,
    status,
    email,
    licences,
    supervisorLevel,
    permissions,
    recordingScope,
    ucClient,
    groups,
    primaryGroup,
    workspaces,
    contactCenter,
    profile,
    features,
    preferences,
  };
}
