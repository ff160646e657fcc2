/** The period of a call-data screen: whole local days in the inputs, instants (RFC 3339) in the API. */
import type { Period } from '../../api/call-data.js';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a local date. */
export function dayOf(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export interface DayRange {
  /** First day (inclusive), `YYYY-MM-DD`. */
  first: string;
  /** Last day (inclusive), `YYYY-MM-DD`. */
  last: string;
}

/** The last `days` days up to today. */
export function lastDays(days: number, now = new Date()): DayRange {
  return { first: dayOf(new Date(now.getTime() - (days - 1) * DAY_MS)), last: dayOf(now) };
}

/** Local midnight of a `YYYY-MM-DD` day (`new Date('YYYY-MM-DD')` would be UTC). */
function localMidnight(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, (m ?? 1) - 1, d ?? 1);
}

/** The API's period of whole local days: from the first day's midnight to the midnight after the last. */
export function periodOf(range: DayRange): Period {
  const from = localMidnight(range.first);
  const end = localMidnight(range.last);
  const to = new Date(end.getFullYear(), end.getMonth(), end.getDate() + 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** Whether the range reads as days in order (the inputs may hold anything while typed). */
export function validRange(range: DayRange): boolean {
  const ok = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
  return ok(range.first) && ok(range.last) && range.first <= range.last;
}

/**
 * The period behind one hour or day bucket of a report (`YYYY-MM-DDTHH:00` or `YYYY-MM-DD`, in the time
 * zone the report was asked in, which is the browser's).
 */
export function bucketPeriod(key: string): Period {
  const hour = /^(\d{4}-\d{2}-\d{2})T(\d{2}):00$/.exec(key);
  const start = localMidnight(hour ? hour[1]! : key);
  if (hour) start.setHours(Number(hour[2]));
  const end = new Date(start);
  if (hour) end.setHours(end.getHours() + 1);
  else end.setDate(end.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** The browser's IANA time zone, which hour and day buckets are reported in. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Seconds as `m:ss` or `h:mm:ss`. */
export function formatSeconds(total: number): string {
  const s = Math.round(total);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A share (0 to 1) as a percentage in the portal's language; a dash when there is none. */
export function formatShare(share: number | null, locale: string): string {
  if (share === null) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/** An hour or day bucket (`YYYY-MM-DDTHH:00`, `YYYY-MM-DD`) in the portal's language; other keys as they are. */
export function bucketLabel(key: string, locale: string): string {
  const hour = /^\d{4}-\d{2}-\d{2}T\d{2}:00$/.test(key);
  if (!hour && !/^\d{4}-\d{2}-\d{2}$/.test(key)) return key;
  const { from } = bucketPeriod(key);
  return new Intl.DateTimeFormat(
    locale,
    hour ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } : { dateStyle: 'medium' },
  ).format(new Date(from));
}

/** Call data keeps arriving: a screen opened again asks again instead of showing what it read before. */
export const CALL_DATA_STALE_MS = 0;
