import type { Executor } from '../../db/database.js';
import { AppError } from '../../infra/errors.js';
import { countFailure, readFailureWindows } from './login-failures.repo.js';

/**
 * I4: failed logins are counted per account (the email typed, whether or not it exists, so the
 * answer reveals nothing) and per client address, in the database so every node sees the same
 * count. Successful logins are not limited: a contact center signs in hundreds of agents from one
 * address at shift start.
 */
export const THROTTLE = {
  windowSeconds: 15 * 60,
  perAccount: 5,
  perAddress: 50,
} as const;

/** The two counters a login attempt is charged to: the account (email typed) and the client address. */
export function throttleKeys(email: string, clientAddr: string | null): { account: string; address: string | null } {
  return { account: `acct:${email.trim().toLowerCase()}`, address: clientAddr ? `addr:${clientAddr}` : null };
}

/** Refuses (429 `rate_limited`, with `retryAfter` seconds) while either key is over its limit. */
export async function assertNotThrottled(
  db: Executor,
  keys: { account: string; address: string | null },
): Promise<void> {
  const list = [keys.account, ...(keys.address ? [keys.address] : [])];
  for (const r of await readFailureWindows(db, list, THROTTLE.windowSeconds)) {
    const limit = r.key === keys.account ? THROTTLE.perAccount : THROTTLE.perAddress;
    const remaining = Math.ceil(r.remainingSeconds);
    if (remaining > 0 && r.failures >= limit) {
      throw new AppError('rate_limited', 'too many failed sign-ins; wait before trying again', {
        rule: 'I4',
        extra: { retryAfter: remaining },
      });
    }
  }
}

/** Counts one failure against each key; a window that has passed starts again at one. */
export async function recordFailure(db: Executor, keys: { account: string; address: string | null }): Promise<void> {
  for (const key of [keys.account, ...(keys.address ? [keys.address] : [])])
    await countFailure(db, key, THROTTLE.windowSeconds);
}
