/**
 * Words for codes a person reads: audit action codes, audit target types and actor kinds,
 * capabilities, and a person's name (display name, else email, else the id). A code without a translation
 * (a new action) is shown as the server sends it.
 */
import type { Translator } from './problem-message.js';

const worded = (tr: Translator, key: string, otherwise: string) => (tr.has(key) ? tr.t(key) : otherwise);

export const auditActionLabel = (tr: Translator, action: string) => worded(tr, `auditAction.${action}`, action);
export const auditTargetLabel = (tr: Translator, type: string) => worded(tr, `auditTarget.${type}`, type);
export const auditActorLabel = (tr: Translator, type: string) => worded(tr, `auditActor.${type}`, type);

/** A capability in words, e.g. `groups:delete` -> "Groups: Delete" (the module x action matrix's words). */
export function capabilityLabel(tr: Translator, capability: string): string {
  if (tr.has(`capability.${capability}`)) return tr.t(`capability.${capability}`);
  const [module = '', action = ''] = capability.split(':');
  const m = `module.${module}`;
  const a = `action.${action}`;
  return tr.has(m) && tr.has(a) ? `${tr.t(m)}: ${tr.t(a)}` : capability;
}

/** What a person reads for a user: the display name, else the email, else the id. */
export function personLabel(u: { id: string; displayName?: string | null; email?: string | null }): string {
  return u.displayName?.trim() || u.email || u.id;
}
