import { LICENCES, NAMED_PERMISSIONS, SUPERVISOR_LEVELS } from '../../catalog/index.js';
import type { User, UserCreate } from '../users/users.schemas.js';

/**
 * The columns of the users CSV (P3), in file order: what an export writes and what an import reads.
 * Lists are separated by `|`, booleans are `true`/`false`, an empty cell is an empty list or no value.
 * Documented in docs/csv.md.
 */
const LIST_SEPARATOR = '|';

/** What a column is on import. */
type ColumnKind =
  /** Finds the user the row changes (id, externalId) or says which version the row was read at (version). */
  | 'key'
  /** Shown only: the phone system's (extension) or Switchboard's (source); a different value is refused. */
  | 'read_only'
  /** Written through the users service. */
  | 'field';

export interface Column {
  name: string;
  kind: ColumnKind;
  /** The cell an export writes. */
  read: (u: User) => string;
  /** The part of a user change the cell asks for (field columns); throws CellError on a malformed cell. */
  write?: (cell: string) => Partial<UserCreate>;
  /** The JSON pointer of the users API this column stands for, so a refusal names its column. */
  pointer?: string;
}

export class CellError extends Error {}

const list = (v: readonly string[]) => v.join(LIST_SEPARATOR);
const splitList = (cell: string) =>
  cell === ''
    ? []
    : [
        ...new Set(
          cell
            .split(LIST_SEPARATOR)
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
function oneOf<T extends string>(allowed: readonly T[], cell: string): T {
  if (!(allowed as readonly string[]).includes(cell))
    throw new CellError(`"${cell}" is not one of ${allowed.join(', ')}`);
  return cell as T;
}
function listOf<T extends string>(allowed: readonly T[], cell: string): T[] {
  return splitList(cell).map((v) => oneOf(allowed, v));
}
function bool(cell: string): boolean {
  const v = cell.toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new CellError(`"${cell}" is not true or false`);
}

export const COLUMNS: readonly Column[] = [
  { name: 'id', kind: 'key', read: (u) => u.id },
  { name: 'externalId', kind: 'key', read: (u) => u.externalId ?? '', pointer: '/externalId' },
  { name: 'source', kind: 'read_only', read: (u) => u.source, pointer: '/source' },
  { name: 'extension', kind: 'read_only', read: (u) => u.extension ?? '', pointer: '/extension' },
  {
    name: 'displayName',
    kind: 'field',
    read: (u) => u.displayName,
    write: (c) => ({ displayName: c }),
    pointer: '/displayName',
  },
  {
    name: 'email',
    kind: 'field',
    read: (u) => u.email ?? '',
    write: (c) => ({ email: c === '' ? null : c }),
    pointer: '/email',
  },
  {
    name: 'status',
    kind: 'field',
    read: (u) => u.status,
    write: (c) => ({ status: oneOf(['active', 'suspended'] as const, c) }),
    pointer: '/status',
  },
  {
    name: 'licences',
    kind: 'field',
    read: (u) => list(u.licences),
    write: (c) => ({ licences: listOf(LICENCES, c) }),
    pointer: '/licences',
  },
  {
    name: 'supervisorLevel',
    kind: 'field',
    read: (u) => u.supervisorLevel,
    write: (c) => ({ supervisorLevel: oneOf(SUPERVISOR_LEVELS, c) }),
    pointer: '/supervisorLevel',
  },
  {
    name: 'permissions',
    kind: 'field',
    read: (u) => list(u.permissions),
    write: (c) => ({ permissions: listOf(NAMED_PERMISSIONS, c) }),
    pointer: '/permissions',
  },
  {
    name: 'recordingScope',
    kind: 'field',
    read: (u) => u.recordingScope,
    write: (c) => ({ recordingScope: oneOf(['own', 'group', 'all'] as const, c) }),
    pointer: '/recordingScope',
  },
  {
    name: 'groups',
    kind: 'field',
    read: (u) => list(u.groups),
    write: (c) => ({ groups: splitList(c) }),
    pointer: '/groups',
  },
  {
    name: 'primaryGroup',
    kind: 'field',
    read: (u) => u.primaryGroup ?? '',
    write: (c) => ({ primaryGroup: c === '' ? null : c }),
    pointer: '/primaryGroup',
  },
  {
    name: 'desktop',
    kind: 'field',
    read: (u) => String(u.ucClient.desktop),
    write: (c) => ({ ucClient: { desktop: bool(c) } }),
    pointer: '/ucClient/desktop',
  },
  {
    name: 'channels',
    kind: 'field',
    read: (u) => u.features.channels,
    write: (c) => ({ features: { channels: oneOf(['calls', 'sms', 'both', 'none'] as const, c) } }),
    pointer: '/features/channels',
  },
  {
    name: 'recording',
    kind: 'field',
    read: (u) => String(u.features.recording),
    write: (c) => ({ features: { recording: bool(c) } }),
    pointer: '/features/recording',
  },
  {
    name: 'crmOverlay',
    kind: 'field',
    read: (u) => String(u.features.crmOverlay),
    write: (c) => ({ features: { crmOverlay: bool(c) } }),
    pointer: '/features/crmOverlay',
  },
  { name: 'version', kind: 'key', read: (u) => String(u.version) },
];

export const COLUMN_NAMES = COLUMNS.map((c) => c.name);
const BY_NAME = new Map(COLUMNS.map((c) => [c.name.toLowerCase(), c]));

/** The column a header cell names (case and surrounding spaces do not matter), or undefined. */
export function columnNamed(header: string): Column | undefined {
  return BY_NAME.get(header.trim().toLowerCase());
}

/** The cells of one user, in column order. */
export function userCells(u: User): string[] {
  return COLUMNS.map((c) => c.read(u));
}

/**
 * The column a refusal's JSON pointer belongs to (`/licences/0` is licences, `/ucClient` is desktop,
 * the one column under it), or null when no column or several do.
 */
export function columnOfPointer(pointer: string | undefined): string | null {
  if (!pointer) return null;
  const within = COLUMNS.filter((c) => c.pointer && (pointer === c.pointer || pointer.startsWith(`${c.pointer}/`)));
  if (within.length) return within.reduce((a, b) => (b.pointer!.length > a.pointer!.length ? b : a)).name;
  const under = COLUMNS.filter((c) => c.pointer?.startsWith(`${pointer}/`));
  return under.length === 1 ? under[0]!.name : null;
}

/** Merges the parts of a change the cells ask for (ucClient and features are objects that merge). */
export function mergeParts(parts: Array<Partial<UserCreate>>): Partial<UserCreate> {
  const out: Partial<UserCreate> = {};
  for (const p of parts) {
    const { ucClient, features, ...rest } = p;
    Object.assign(out, rest);
    if (ucClient) out.ucClient = { ...out.ucClient, ...ucClient };
    if (features) out.features = { ...out.features, ...features };
  }
  return out;
}

/**
 * The part of `wanted` that differs from the user as it is: an import changes only what the row
 * changes, so a re-imported export is all "unchanged" and a row is refused only for what it changes.
 */
export function changedPart(current: User, wanted: Partial<UserCreate>): Partial<UserCreate> {
  const out: Partial<UserCreate> = {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const sameSet = (a: readonly string[], b: readonly string[]) => same([...a].sort(), [...b].sort());
  if (wanted.displayName !== undefined && wanted.displayName !== current.displayName)
    out.displayName = wanted.displayName;
  if (wanted.email !== undefined && (wanted.email ?? '').toLowerCase() !== (current.email ?? '').toLowerCase())
    out.email = wanted.email;
  if (wanted.status !== undefined && wanted.status !== current.status) out.status = wanted.status;
  if (wanted.licences && !sameSet(wanted.licences, current.licences)) out.licences = wanted.licences;
  if (wanted.supervisorLevel !== undefined && wanted.supervisorLevel !== current.supervisorLevel)
    out.supervisorLevel = wanted.supervisorLevel;
  if (wanted.permissions && !sameSet(wanted.permissions, current.permissions)) out.permissions = wanted.permissions;
  if (wanted.recordingScope !== undefined && wanted.recordingScope !== current.recordingScope)
    out.recordingScope = wanted.recordingScope;
  if (wanted.groups && !sameSet(wanted.groups, current.groups)) out.groups = wanted.groups;
  if (wanted.primaryGroup !== undefined && wanted.primaryGroup !== current.primaryGroup)
    out.primaryGroup = wanted.primaryGroup;
  if (wanted.ucClient?.desktop !== undefined && wanted.ucClient.desktop !== current.ucClient.desktop)
    out.ucClient = { desktop: wanted.ucClient.desktop };
  const f = wanted.features;
  if (f) {
    const changed = Object.fromEntries(
      (['channels', 'recording', 'crmOverlay'] as const)
        .filter((k) => f[k] !== undefined && f[k] !== current.features[k])
        .map((k) => [k, f[k]]),
    );
    if (Object.keys(changed).length) out.features = changed;
  }
  return out;
}
