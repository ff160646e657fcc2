import { randomBytes } from 'node:crypto';

/** Opaque, time-ordered ids with a type prefix (`usr_…`, `tnt_…`): sortable, unguessable. */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  return `${prefix}_${time}${randomBytes(8).toString('hex')}`;
}
