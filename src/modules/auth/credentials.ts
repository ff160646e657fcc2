import { timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import type { Actor } from '../../infra/context.js';
import { hashToken } from '../../infra/crypto.js';
import { getSystemSetting } from '../../db/system-settings.js';
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
  const h = hashToken(token);
  if (envToken && sameHash(h, configuredHash(envToken)))
    return { kind: 'provider', id: 'provider', credential: 'provider_token' };
  const stored = await getSystemSetting(db, 'provider_token_hash');
  if (stored && sameHash(h, stored)) return { kind: 'provider', id: 'provider', credential: 'provider_token' };
  return null;
}

/** A live session token (`sbs_`) to its user; refreshes activity at most every 5 s (S3). See `verifySession`. */
export async function resolveSession(db: Executor, token: string): Promise<Actor | null> {
  return verifySession(db, hashToken(token));
}

/**
 * Platform tokens verified on this node, by token hash. The PBX asks on every call, so a known token
 * is answered from memory; a revocation reaches every node's cache through the change bus at once
 * (`forgetPlatformTokens`), and an entry is re-read after a minute in any case.
 */
const platformTokens = new WeakMap<Executor, Map<string, { actor: Actor; until: number }>>();
const PLATFORM_TOKEN_TTL_MS = 60_000;
const PLATFORM_TOKENS_CACHED = 10_000;

/** Last use (with the client address) is recorded, and audited, by the token-use hook of the api-tokens module. */
export async function resolvePlatformToken(db: Executor, token: string): Promise<Actor | null> {
  let cache = platformTokens.get(db);
  if (!cache) platformTokens.set(db, (cache = new Map<string, { actor: Actor; until: number }>()));
  const hash = hashToken(token);
  const hit = cache.get(hash);
  if (hit && hit.until > Date.now()) return hit.actor;
  const row = await findLivePlatformToken(db, hash);
  if (!row) {
    cache.delete(hash);
    return null;
  }
  const actor: Actor = {
    kind: 'platform',
    id: row.id,
    tenantId: row.tenant_id,
    credential: `platform_token:${row.id}`,
  };
  if (cache.size >= PLATFORM_TOKENS_CACHED) cache.clear();
  cache.set(hash, { actor, until: Date.now() + PLATFORM_TOKEN_TTL_MS });
  return actor;
}

/** Drops revoked platform tokens from this node's cache. */
export function forgetPlatformTokens(db: Executor, tokenIds: readonly string[]): void {
  const cache = platformTokens.get(db);
  for (const [hash, entry] of cache ?? []) if (tokenIds.includes(entry.actor.id)) cache!.delete(hash);
}
