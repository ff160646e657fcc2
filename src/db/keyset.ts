import { sql, type RawBuilder } from 'kysely';

/** `(nameColumn, id) > (name, id)`, for a repo's WHERE: keyset paging by (name, id) (see infra/paging). */
export function afterNameKey(nameColumn: 'name' | 'display_name', after: [string, string]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(nameColumn)}, id) > (${after[0]}, ${after[1]})`;
}
