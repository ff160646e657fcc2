/**
 * One function that turns a problem+json document (SPEC E1) or an engine block into plain
 * words in the portal's language: the message for its `code`, the rule it cites, and what the
 * screen can offer (reload on 412, "not available yet" when an endpoint is missing).
 */
import type { Block, Problem } from '../../../client/index.js';
import { isApiError } from '../../../client/index.js';

export interface Translator {
  t: (key: string, params?: Record<string, string | number>) => string;
  has: (key: string) => boolean;
}

export interface PlainProblem {
  /** The main sentence, e.g. "All 20 seats are in use." */
  message: string;
  /** SPEC rule id, when a rule refused it. */
  rule?: string;
  /** The rule in plain words. */
  ruleText?: string;
  /** The field the server named, as a readable path. */
  field?: string;
  /** 412: the record changed meanwhile; offer to reload. */
  reload: boolean;
  /** The endpoint is not there (yet): show "not available yet". */
  notAvailable: boolean;
  status: number;
  code: string;
}

function params(p: Problem): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  if (p.field) out.field = readableField(p.field);
  return out;
}

/** `/features/dialRestriction/allowedRegions/0` -> `features › dialRestriction › allowedRegions`. */
export function readableField(pointer: string): string {
  return pointer
    .split('/')
    .filter((s) => s && !/^\d+$/.test(s))
    .join(' › ');
}

/** The problem behind any thrown value (ApiError, network error, other). */
export function problemOf(error: unknown): Problem {
  if (isApiError(error)) return error.problem;
  return { status: 0, code: 'internal', detail: error instanceof Error ? error.message : String(error) };
}

/** Plain-language reading of an error thrown by the SDK. */
export function describeProblem(error: unknown, tr: Translator): PlainProblem {
  const p = problemOf(error);
  const code =
    p.code ??
    (p.status === 404 ? 'not_found' : p.status === 429 ? 'rate_limited' : p.status >= 500 ? 'internal' : 'unknown');
  const key = `error.${code}`;
  const values = params(p);
  let message = tr.has(key) ? tr.t(key, values) : (p.detail ?? p.title ?? tr.t('error.unknown', { status: p.status }));
  // An optional second sentence that needs members of the problem (e.g. seats: `limit`, `inUse`).
  const extra = `${key}.extra`;
  if (tr.has(extra)) {
    const text = tr.t(extra, values);
    if (!/\{\w+\}/.test(text)) message = `${message} ${text}`;
  }
  const rule = p.rule;
  const ruleText = rule && tr.has(`rule.${rule}`) ? tr.t(`rule.${rule}`) : undefined;
  return {
    message,
    rule,
    ruleText,
    field: p.field ? readableField(p.field) : undefined,
    reload: p.status === 412 || code === 'version_conflict',
    notAvailable: p.status === 404 || p.status === 501,
    status: p.status,
    code,
  };
}

/**
 * A `blockedBy` entry as the portal shows it. A G15 block (`supervisor_level_required`) also names the
 * supervisor level that sells the content; the portal takes it from the catalog, where the capability is known.
 */
export type ShownBlock = Block & { level?: string };

/** Plain-language reading of one `blockedBy` entry (X1) for a greyed-out control. */
export function describeBlock(block: ShownBlock, tr: Translator): string {
  const key = `block.${block.code}`;
  const params = block.level ? { level: tr.t(`supervisorLevel.${block.level}`) } : undefined;
  const own = tr.has(key) ? tr.t(key, params) : undefined;
  // A message that needs a parameter the block lacks falls back to the server's sentence.
  const text =
    own !== undefined && !/\{\w+\}/.test(own)
      ? own
      : tr.has(`error.${block.code}`)
        ? tr.t(`error.${block.code}`)
        : block.detail;
  return tr.t('block.withRule', { text, rule: block.rule });
}

/** The whole problem as one line (for notifications). */
export function problemLine(error: unknown, tr: Translator): string {
  const d = describeProblem(error, tr);
  return d.ruleText ? `${d.message} ${tr.t('problem.ruleLine', { rule: d.rule ?? '', text: d.ruleText })}` : d.message;
}
