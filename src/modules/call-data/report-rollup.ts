import type { ReportDimension } from './reports.schemas.js';

/**
 * When a calls report can be read from the rollup (`call_rollup`, kept by ingestion per tenant and UTC
 * hour), and at which grain. Pure: decided from the report's dimension, filters, period and zone.
 */

export type RollupGrain = 'call' | 'group' | 'user';

const HOUR_MS = 3_600_000;
/** How far apart the zone's offset is sampled over a period (offsets change for months, not hours). */
const SAMPLE_MS = 6 * HOUR_MS;

interface RollupFilter {
  from: Date;
  to: Date;
  user?: string;
  group?: string;
  number?: string;
}

/**
 * The rollup's grain for a report, and the whole UTC hours of its period it answers (the partial hours at
 * either end are read from the calls), or null when the report reads only the calls:
 * - a number filter, and a user or group filter on a report that counts calls (by queue, hour or day:
 *   "the calls where some participant is…"), are not dimensions of the rollup;
 * - hour and day buckets of a zone whose offset is not whole hours (e.g. +05:30) cut UTC hours in two;
 * - a period shorter than a whole hour has nothing for the rollup.
 */
export function rollupPlan(
  f: RollupFilter,
  by: ReportDimension,
  tz: string,
): { grain: RollupGrain; from: Date; to: Date } | null {
  if (f.number) return null;
  const perCall = by === 'queue' || by === 'hour' || by === 'day';
  if (perCall && (f.user || f.group)) return null;
  const grain: RollupGrain = perCall ? 'call' : by === 'user' || f.user ? 'user' : 'group';
  const from = Math.ceil(f.from.getTime() / HOUR_MS) * HOUR_MS;
  const to = Math.floor(f.to.getTime() / HOUR_MS) * HOUR_MS;
  if (from >= to) return null;
  if (!perCall || by === 'queue' || wholeHourOffsets(tz, from, to))
    return { grain, from: new Date(from), to: new Date(to) };
  return null;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in minutes (NaN when it cannot be read: no rollup then). */
function offsetMinutes(tz: string, at: number): number {
  let format = formats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en', { timeZone: tz, timeZoneName: 'longOffset' });
    formats.set(tz, format);
  }
  const name = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  if (name === 'GMT') return 0;
  const m = /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(name ?? '');
  if (!m) return NaN;
  const minutes = Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0) / 60;
  return m[1] === '-' ? -minutes : minutes;
}

/** Whether the zone's offset is a whole number of hours throughout [from, to). */
export function wholeHourOffsets(tz: string, from: number, to: number): boolean {
  if (tz === 'UTC') return true;
  for (let at = from; at < to; at += SAMPLE_MS) if (offsetMinutes(tz, at) % 60 !== 0) return false;
  return offsetMinutes(tz, to - 1) % 60 === 0;
}
