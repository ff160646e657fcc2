/**
 * Before/after diff of audit entries (AU1): flattened paths whose values differ. `before` and `after`
 * are any JSON: objects (the usual record before and after a change), `null` or absent (a create or a
 * delete), or a bare value or list, which shows under the empty path.
 */
export interface DiffRow {
  path: string;
  before: string;
  after: string;
  kind: 'added' | 'removed' | 'changed';
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === undefined)
    return String(value);
  return typeof value; // not JSON: a function or a symbol
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (Array.isArray(value)) {
    out.set(
      prefix,
      value.length === 0
        ? '[]'
        : value.every((v) => typeof v !== 'object' || v === null)
          ? value.map(show).join(', ')
          : JSON.stringify(value),
    );
    return;
  }
  if (value !== undefined) out.set(prefix, show(value));
}

/** `null` and absent mean "nothing" (a create has no before, a delete no after). */
function flat(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (value !== null && value !== undefined) flatten(value, '', out);
  return out;
}

export function diffValues(before: unknown, after: unknown): DiffRow[] {
  const a = flat(before);
  const b = flat(after);
  const rows: DiffRow[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path);
    const y = b.get(path);
    if (x === y) continue;
    rows.push({
      path,
      before: x ?? '',
      after: y ?? '',
      kind: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed',
    });
  }
  return rows.sort((r, s) => r.path.localeCompare(s.path));
}

/** A readable name for an audited record, from its own before/after (`displayName` or `name`). */
export function recordName(before: unknown, after: unknown): string | undefined {
  for (const v of [after, before]) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const r = v as Record<string, unknown>;
      const name = r.displayName ?? r.name;
      if (typeof name === 'string' && name) return name;
    }
  }
  return undefined;
}
