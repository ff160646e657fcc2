import { sha256Hex } from './crypto.js';

/**
 * The audit chain (AU1): each tenant's entries are hash-chained, every entry's hash covering the
 * previous hash and its own canonical content, so anyone can recompute the chain and find an edit.
 */
/** One audit entry as services describe it (AU1); chaining and timestamps are added on append. */
export interface AuditInput {
  tenantId: string | null;
  actorType: string;
  actorId: string | null;
  credential: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
  requestId: string | null;
  /** Absent when the client sent none, so entries written before the field existed hash the same. */
  clientRequestId?: string;
  clientAddr: string | null;
}

/** An entry as stored: its place in the chain, its time and the two hashes that link it. */
export interface ChainedEntry extends AuditInput {
  id: number;
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

/** The hash a chain starts from. */
export const GENESIS = '0'.repeat(64);

/** Stable JSON (sorted keys) so a hash can be recomputed by anyone auditing the chain. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/** The hash of an entry: SHA-256 over the previous hash and the entry's canonical content. */
export function hashEntry(prevHash: string, e: Omit<ChainedEntry, 'id' | 'hash' | 'prevHash'>): string {
  return sha256Hex(prevHash + canonicalJson({ ...e, before: e.before ?? null, after: e.after ?? null }));
}

/**
 * Recomputes the hashes of consecutive entries of a chain, starting after `prevHash` (the genesis
 * for the first page). Returns the seq of the first broken link (or null) and the last hash.
 */
export function verifyChain(
  entries: ChainedEntry[],
  prevHash = GENESIS,
): { brokenAt: number | null; lastHash: string } {
  let prev = prevHash;
  for (const e of entries) {
    const { id: _id, hash, prevHash: linked, ...content } = e;
    if (linked !== prev || hashEntry(prev, content) !== hash) return { brokenAt: e.seq, lastHash: prev };
    prev = hash;
  }
  return { brokenAt: null, lastHash: prev };
}
