import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { AgentEventRow, CallRow, LicenceInterval, ParticipantRow, RecordingRow } from './call-data.repo.js';
import {
  AgentEventInput,
  CallRecordInput,
  type IngestResult,
  type NotStoredReason,
  type Participant,
} from './call-data.schemas.js';

/**
 * Pure planning of an ingestion batch: which records are stored, for whom, and why the others are
 * not. Decided by the licence each user held at the time of the call or event (issue 14, G4), and
 * the group attribution by the primary group at that time (A4).
 */

const checkCall = TypeCompiler.Compile(CallRecordInput);
const checkEvent = TypeCompiler.Compile(AgentEventInput);

/** RFC 3339 with each field in its range (hours 00-23, no leap second); the day is checked against its month below. */
const RFC3339 =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[Tt ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether an RFC 3339 date-time names a real instant the database stores: JavaScript reads 30 February as
 * 2 March, PostgreSQL refuses it (and a leap second), which would fail the whole batch's statement.
 */
function isRealTime(value: string): boolean {
  if (!RFC3339.test(value) || value.startsWith('0000')) return false;
  const day = (value.charCodeAt(8) - 48) * 10 + value.charCodeAt(9) - 48;
  if (day <= 28) return true;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month - 1]!);
}

/** What the planner knows: users by phone-system id, their licence history, queues, the accepted window. */
export interface IngestContext {
  userIds: ReadonlyMap<string, string>;
  /** Per user id, oldest first. */
  history: ReadonlyMap<string, readonly LicenceInterval[]>;
  queues: ReadonlyMap<string, string>;
  /** Records before this (the tenant's retention) or after `notAfter` are invalid. */
  notBefore: Date;
  notAfter: Date;
}

/** The licence row in force at `at`, or null when the user held nothing yet. */
function heldAt(history: readonly LicenceInterval[] | undefined, at: number): LicenceInterval | null {
  if (!history) return null;
  let found: LicenceInterval | null = null;
  for (const h of history) {
    if (h.validFrom.getTime() <= at) found = h;
    else break;
  }
  return found;
}

export class Tally {
  readonly notStored: Record<NotStoredReason, number> = { not_licensed: 0, unknown_user: 0, duplicate: 0, invalid: 0 };
  readonly errors: IngestResult['errors'] = [];
  stored = 0;

  invalid(index: number, value: unknown, reason: string): void {
    this.notStored.invalid++;
    if (this.errors.length < 100) this.errors.push({ index, id: idOf(value), reason });
  }
}

function idOf(v: unknown): string | null {
  const id = (v as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

function firstError(check: typeof checkCall | typeof checkEvent, value: unknown): string {
  const e = check.Errors(value).First();
  return e ? `${e.path || '/'} ${e.message}` : 'is invalid';
}

/** A time of the record, or an error. */
function timeOf(value: string | null | undefined, field: string): { ms: number | null } | { error: string } {
  if (value === null || value === undefined) return { ms: null };
  const ms = isRealTime(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) return { error: `${field} is not an RFC 3339 date-time` };
  return { ms };
}

/** The user ids a batch of call records names (for the look-ups). */
export function namedUsersOfCalls(records: readonly unknown[]): string[] {
  const ids = new Set<string>();
  for (const r of records) {
    const c = r as Partial<CallRecordInput> | null;
    if (!c || typeof c !== 'object') continue;
    for (const u of [
      c.from?.user,
      c.to?.user,
      ...(Array.isArray(c.participants) ? c.participants.map((p) => p?.user) : []),
    ])
      if (typeof u === 'string') ids.add(u);
  }
  return [...ids];
}

export function queuesOfBatch(records: readonly unknown[]): string[] {
  const ids = new Set<string>();
  for (const r of records) {
    const q = (r as { queue?: unknown } | null)?.queue;
    if (typeof q === 'string') ids.add(q);
  }
  return [...ids];
}

/** The participants of a call: as sent, or from and to when the phone system sent none. */
function participantsOf(c: CallRecordInput): Participant[] {
  if (c.participants && c.participants.length > 0) return c.participants;
  return [
    { user: c.from.user ?? null, number: c.from.number ?? null, role: 'source' },
    { user: c.to.user ?? null, number: c.to.number ?? null, role: 'destination' },
  ];
}

/** The first participant time that is not a real RFC 3339 date-time, as an error, or null. */
function participantTimeError(parties: readonly Participant[]): string | null {
  for (let i = 0; i < parties.length; i++)
    for (const field of ['joinedAt', 'answeredAt', 'leftAt'] as const) {
      const value = parties[i]![field];
      if (value !== null && value !== undefined && !isRealTime(value))
        return `/participants/${i}/${field} is not an RFC 3339 date-time`;
    }
  return null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);

interface CallPlan {
  tally: Tally;
  calls: CallRow[];
  participants: ParticipantRow[];
  recordings: RecordingRow[];
  /** Per planned call id: how its named users fared, counted once it is stored. */
  outcomes: Map<string, { modelled: number; notLicensed: number; unknownUser: number }>;
  months: Set<string>;
}

export function planCalls(records: readonly unknown[], ctx: IngestContext): CallPlan {
  const plan: CallPlan = {
    tally: new Tally(),
    calls: [],
    participants: [],
    recordings: [],
    outcomes: new Map(),
    months: new Set(),
  };
  const seen = new Set<string>();
  records.forEach((value, index) => {
    if (!checkCall.Check(value)) return plan.tally.invalid(index, value, firstError(checkCall, value));
    const c = value;
    const times = {
      started: timeOf(c.startedAt, '/startedAt'),
      answered: timeOf(c.answeredAt, '/answeredAt'),
      ended: timeOf(c.endedAt, '/endedAt'),
    };
    for (const t of Object.values(times)) if ('error' in t) return plan.tally.invalid(index, value, t.error);
    const started = (times.started as { ms: number }).ms;
    if (started < ctx.notBefore.getTime() || started > ctx.notAfter.getTime())
      return plan.tally.invalid(index, value, "/startedAt is outside the tenant's retention window");
    if (seen.has(c.id)) {
      plan.tally.notStored.duplicate++;
      return;
    }
    seen.add(c.id);

    const parties = participantsOf(c);
    const badTime = participantTimeError(parties);
    if (badTime) return plan.tally.invalid(index, value, badTime);
    const outcome = { modelled: 0, notLicensed: 0, unknownUser: 0 };
    const modelled = new Map<string, ParticipantRow>();
    for (const p of parties) {
      if (!p.user) continue;
      const userId = ctx.userIds.get(p.user);
      if (!userId) {
        outcome.unknownUser++;
        continue;
      }
      const held = heldAt(ctx.history.get(userId), started);
      if (!held?.essential) {
        outcome.notLicensed++;
        continue;
      }
      const key = `${userId}\u0000${p.role}`;
      if (modelled.has(key)) continue;
      outcome.modelled++;
      modelled.set(key, {
        call_id: c.id,
        started_at: c.startedAt,
        user_id: userId,
        group_id: held.primaryGroupId,
        role: p.role,
        direction: c.direction,
        disposition: c.disposition,
        queue_id: c.queue ? (ctx.queues.get(c.queue) ?? null) : null,
        wait_seconds: c.waitSeconds ?? 0,
        talk_seconds: c.talkSeconds ?? 0,
        joined_at: p.joinedAt ?? null,
        left_at: p.leftAt ?? null,
      });
    }
    if (modelled.size === 0) {
      plan.tally.notStored[outcome.unknownUser > 0 && outcome.notLicensed === 0 ? 'unknown_user' : 'not_licensed']++;
      return;
    }
    plan.outcomes.set(c.id, outcome);
    plan.months.add(month(started));
    plan.participants.push(...modelled.values());
    for (const r of c.recordings ?? []) {
      const t = timeOf(r.startedAt, '/recordings/startedAt');
      plan.recordings.push({
        call_id: c.id,
        started_at: c.startedAt,
        recording_id: r.id,
        location: r.location,
        recording_started_at: 'ms' in t ? iso(t.ms) : null,
      });
    }
    plan.calls.push({
      external_id: c.id,
      started_at: c.startedAt,
      conversation_id: c.conversationId ?? null,
      answered_at: iso((times.answered as { ms: number | null }).ms),
      ended_at: iso((times.ended as { ms: number | null }).ms),
      direction: c.direction,
      disposition: c.disposition,
      from_number: c.from.number ?? null,
      from_name: c.from.name ?? null,
      to_number: c.to.number ?? null,
      to_name: c.to.name ?? null,
      queue_id: c.queue ? (ctx.queues.get(c.queue) ?? null) : null,
      queue_external_id: c.queue ?? null,
      wait_seconds: c.waitSeconds ?? 0,
      talk_seconds: c.talkSeconds ?? 0,
      recordings: c.recordings ?? [],
      participants: parties.map((p) => {
        const userId = p.user ? ctx.userIds.get(p.user) : undefined;
        return userId ? { ...p, userId } : p;
      }),
    });
  });
  return plan;
}

interface EventPlan {
  tally: Tally;
  events: AgentEventRow[];
  months: Set<string>;
}

export function planAgentEvents(records: readonly unknown[], ctx: IngestContext): EventPlan {
  const plan: EventPlan = { tally: new Tally(), events: [], months: new Set() };
  const seen = new Set<string>();
  records.forEach((value, index) => {
    if (!checkEvent.Check(value)) return plan.tally.invalid(index, value, firstError(checkEvent, value));
    const e = value;
    const t = timeOf(e.at, '/at');
    if ('error' in t) return plan.tally.invalid(index, value, t.error);
    const at = t.ms!;
    if (at < ctx.notBefore.getTime() || at > ctx.notAfter.getTime())
      return plan.tally.invalid(index, value, "/at is outside the tenant's retention window");
    if (seen.has(e.id)) {
      plan.tally.notStored.duplicate++;
      return;
    }
    seen.add(e.id);
    const userId = ctx.userIds.get(e.user);
    if (!userId) {
      plan.tally.notStored.unknown_user++;
      return;
    }
    if (!heldAt(ctx.history.get(userId), at)?.agent) {
      plan.tally.notStored.not_licensed++;
      return;
    }
    plan.months.add(month(at));
    plan.events.push({
      external_id: e.id,
      at: e.at,
      user_id: userId,
      type: e.type,
      queue_id: e.queue ? (ctx.queues.get(e.queue) ?? null) : null,
      reason: e.reason ?? null,
      state: e.state ?? null,
      conversation_id: e.conversationId ?? null,
      caller_number: e.callerNumber ?? null,
    });
  });
  return plan;
}
