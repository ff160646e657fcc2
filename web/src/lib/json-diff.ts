/** Before/after diff of audit entries: flattened paths whose values differ. */
export interface DiffRow { path: string; before: string; after: string; kind: 'added' | 'removed' | 'changed' }

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (Array.isArray(value)) {
    out.set(prefix, value.every((v) => typeof v !== 'object' || v === null) ? value.map(String).join(', ') : JSON.stringify(value));
    return;
  }
  if (prefix) out.set(prefix, value === undefined ? '' : String(value));
}

export function diffValues(before: unknown, after: unknown): DiffRow[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(before ?? {}, '', a);
  flatten(after ?? {}, '', b);
  const rows: DiffRow[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path);
    const y = b.get(path);
    if (x === y) continue;
    rows.push({ path, before: x ?? '', after: y ?? '', kind: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed' });
  }
  return rows.sort((r, s) => r.path.localeCompare(s.path));
}
