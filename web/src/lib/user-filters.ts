/** The users table's filters: URL search params <-> API query (server-side filtering and paging). */
import type { UserQuery } from '../../../client/index.js';

export const USER_FILTER_KEYS = ['q', 'source', 'status', 'licence', 'supervisorLevel', 'group', 'queue'] as const;
export type UserFilterKey = (typeof USER_FILTER_KEYS)[number];
export type UserFilters = Partial<Record<UserFilterKey, string>>;

export function filtersFromSearch(search: URLSearchParams): UserFilters {
  const out: UserFilters = {};
  for (const k of USER_FILTER_KEYS) {
    const v = search.get(k)?.trim();
    if (v) out[k] = v;
  }
  return out;
}

/** Next search params with one filter set or cleared (other params kept). */
export function withFilter(
  search: URLSearchParams,
  key: UserFilterKey,
  value: string | null | undefined,
): URLSearchParams {
  const next = new URLSearchParams(search);
  if (value && value.trim()) next.set(key, value.trim());
  else next.delete(key);
  return next;
}

export function toUserQuery(filters: UserFilters, cursor: string | null, limit: number): UserQuery {
  const q: UserQuery = { limit };
  for (const k of USER_FILTER_KEYS) if (filters[k]) (q as Record<string, unknown>)[k] = filters[k];
  if (cursor) q.cursor = cursor;
  return q;
}
