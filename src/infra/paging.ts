import { decodeCursor, encodeCursor } from '../http/common-schemas.js';

/**
 * Keyset paging by (name, id): pages stay fast at any depth (an index range scan, no OFFSET), and a
 * row inserted meanwhile never shifts a page. The cursor is the last row's pair, opaque to clients.
 */
export type NameKey = [string, string];

export function decodeNameCursor(cursor: string | undefined): NameKey | undefined {
  const c = decodeCursor(cursor);
  return c && c.length === 2 && typeof c[0] === 'string' && typeof c[1] === 'string' ? [c[0], c[1]] : undefined;
}

/** Turns `limit + 1` rows into a page: the extra row only says that another page exists. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  key: (r: R) => NameKey,
  present: (page: R[]) => T[],
): { items: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: present(page), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
