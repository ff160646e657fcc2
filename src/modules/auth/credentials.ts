import { timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import type { Actor } from '../../infra/context.js';
import { hashToken } from '../../infra/crypto.js';
import { getSystemSetting } from '../../db/system-settings.js';
import { findUsableApiToken } from '../api-tokens/api-tokens.repo.js';
import { findLivePlatformToken } from '../platform-tokens/platform-tokens.repo.js';
import { verifySession } from '../sessions/session-cache.js';

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The configured provider token's hash, computed once per token (it is asked on every provider request). */
const configuredHashes = new Map<string, string>();
function configuredHash(envToken: string): string {
  let h = configuredHashes.get(envToken);
  if (h === undefined) configuredHashes.set(envToken, (h = hashToken(envToken)));
  return h;
}

/** The provider token: the configured one, or the generated one whose hash is stored. */
export async function resolveProvider(
  db: Executor,
  token: string,
  envToken: string | undefined,
): Promise<Actor | null> {
  return (await isProviderTokenHash(db, hashToken(token), envToken))
    ? { kind: 'provider', id: 'provider', credential: 'provider_token' }
    : null;
}

/** Whether `hash` is the hash of the provider token: the configured one, else the generated one stored. */
export async function isProviderTokenHash(db: Executor, hash: string, envToken: string | undefined): Promise<boolean> {
  if (!hash) return false;
  if (envToken && sameHash(hash, configuredHash(envToken))) return true;
  const stored = await getSystemSetting(db, 'provider_token_hash');
  return stored !== undefined && sameHash(hash, stored);
}

/** A live session token (`sbs_`) to its user; refreshes activity at most every 5 s (S3). See `verifySession`. */
export async function resolveSession(db: Executor, token: string): Promise<Actor | null> {
  return verifySession(db, hashToken(token));
}

/**
 * Bearer tokens verified on this node (platform tokens, API tokens), by token hash. The PBX and a
 * PEP ask on every call, so a known token is answered from memory. A revocation reaches every
 * node's cache through the change bus at once (`forgetTokens`), so does a change of an API token's
 * user (suspended, removed: `forgetTokensOfUsers`); an entry is re-read after a minute in any case,
 * and never outlives the token's expiry.
 */
interface Verified {
  actor: Actor;
  tokenId: string;
  tenantId: string;
  /** The user an API token acts as (null for a platform token). */
  userId: string | null;
  until: number;
}
const verifiedTokens = new WeakMap<Executor, Map<string, Verified>>();
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_CACHED = 10_000;

function verifiedOf(db: Executor): Map<string, Verified> {
  let cache = verifiedTokens.get(db);
  if (!cache) verifiedTokens.set(db, (cache = new Map<string, Verified>()));
  return cache;
}

/** A token verified lately, by hash; a lapsed entry is dropped. */
function remembered(db: Executor, hash: string): Actor | null {
  const cache = verifiedOf(db);
  const hit = cache.get(hash);
  if (hit === undefined) return null;
  if (hit.until > Date.now()) return hit.actor;
  cache.delete(hash);
  return null;
}

function remember(db: Executor, hash: string, entry: Omit<Verified, 'until'>, expiresAt?: Date | string | null): void {
  const cache = verifiedOf(db);
  if (cache.size >= VERIFIED_CACHED) cache.clear();
  const expiry = expiresAt ? new Date(expiresAt).getTime() : Infinity;
  cache.set(hash, { ...entry, until: Math.min(Date.now() + VERIFIED_TTL_MS, expiry) });
}

/**
 * A bearer token by its hash: remembered when verified lately, else `load`ed (null: not a live
 * token) and remembered until the sooner of a minute and the token's expiry.
 */
async function resolveRemembered(
  db: Executor,
  token: string,
  load: (hash: string) => Promise<{ verified: Omit<Verified, 'until'>; expiresAt?: Date | string | null } | null>,
): Promise<Actor | null> {
  const hash = hashToken(token);
  const hit = remembered(db, hash);
  if (hit) return hit;
  const found = await load(hash);
  if (!found) return null;
  remember(db, hash, found.verified, found.expiresAt);
  return found.verified.actor;
}

/** Last use (with the client address) is recorded, and audited, by the token-use hook of the api-tokens module. */
export function resolvePlatformToken(db: Executor, token: string): Promise<Actor | null> {
  return resolveRemembered(db, token, async (hash) => {
    const row = await findLivePlatformToken(db, hash);
    if (!row) return null;
    const actor: Actor = {
      kind: 'platform',
      id: row.id,
      tenantId: row.tenant_id,
      credential: `platform_token:${row.id}`,
    };
    return { verified: { actor, tokenId: row.id, tenantId: row.tenant_id, userId: null } };
  });
}

/**
 * Resolves an `sbt_` bearer token to its user, narrowed to the token's scopes (I5): a live token of
 * an active user. What the scopes allow is decided per request from the user's current access.
 */
export function resolveApiToken(db: Executor, token: string): Promise<Actor | null> {
  return resolveRemembered(db, token, async (hash) => {
    const row = await findUsableApiToken(db, hash);
    if (!row) return null;
    const actor: Actor = {
      kind: 'user',
      id: row.user_id,
      tenantId: row.tenant_id,
      credential: `api_token:${row.id}`,
      scopes: row.scopes,
    };
    return {
      verified: { actor, tokenId: row.id, tenantId: row.tenant_id, userId: row.user_id },
      expiresAt: row.expires_at,
    };
  });
}

/** Drops revoked tokens (platform or API) from this node's cache. */
export function forgetTokens(db: Executor, tokenIds: readonly string[]): void {
  const cache = verifiedTokens.get(db);
  for (const [hash, entry] of cache ?? []) if (tokenIds.includes(entry.tokenId)) cache!.delete(hash);
}

/** Drops the API tokens of users who changed (all of the tenant's when `userIds` is null): re-read on next use. */
export function forgetTokensOfUsers(db: Executor, tenantId: string, userIds: readonly string[] | null): void {
  const cache = verifiedTokens.get(db);
  for (const [hash, entry] of cache ?? []) {
    if (entry.userId === null || entry.tenantId !== tenantId) continue;
    if (userIds === null || userIds.includes(entry.userId)) cache!.delete(hash);
  }
}

/** Forgets every verified token (the bus reconnected: events may have been missed). */
export function forgetAllTokens(db: Executor): void {
  verifiedTokens.get(db)?.clear();
}
