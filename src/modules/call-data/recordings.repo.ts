import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

export interface RecordingListRow {
  recording_id: string;
  location: string;
  recording_started_at: Date | null;
  call_id: string;
  started_at: Date;
  direction: string;
  disposition: string;
  from_number: string | null;
  to_number: string | null;
  participants: Array<{ user_id: string; group_id: string | null; role: string; joined_at: string | null }>;
}

const PARTICIPANTS = sql`coalesce((select jsonb_agg(jsonb_build_object('user_id', p.user_id, 'group_id', p.group_id,
    'role', p.role, 'joined_at', p.joined_at))
  from call_participants p
  where p.tenant_id = r.tenant_id and p.started_at = r.started_at and p.call_id = r.call_id), '[]'::jsonb)`;

const SELECT = sql`select r.recording_id, r.location, r.recording_started_at, r.call_id, r.started_at,
    c.direction, c.disposition, c.from_number, c.to_number, ${PARTICIPANTS} as participants
  from call_recordings r
  join call_records c on c.tenant_id = r.tenant_id and c.started_at = r.started_at and c.external_id = r.call_id`;

/** One recording by the phone system's id, with its call and the call's modelled participants. */
export async function findRecording(
  db: Executor,
  tenantId: string,
  recordingId: string,
): Promise<RecordingListRow | undefined> {
  const r = await sql<RecordingListRow>`${SELECT}
    where r.tenant_id = ${tenantId} and r.recording_id = ${recordingId}
    order by r.started_at desc limit 1`.execute(db);
  return r.rows[0];
}

/**
 * Recordings of a period, newest first, narrowed in SQL to what the scope can reach (a participant of
 * the group, or the user); the exact rule is applied to each row by the caller.
 */
export async function listRecordings(
  db: Executor,
  f: { tenantId: string; from: Date; to: Date; userId: string | null; groupId: string | null },
  after: [Date, string] | undefined,
  limit: number,
): Promise<RecordingListRow[]> {
  const reach =
    f.userId === null
      ? sql``
      : sql`and exists (select 1 from call_participants p
          where p.tenant_id = r.tenant_id and p.started_at = r.started_at and p.call_id = r.call_id
            and (p.user_id = ${f.userId} ${f.groupId ? sql`or p.group_id = ${f.groupId}` : sql``}))`;
  const r = await sql<RecordingListRow>`${SELECT}
    where r.tenant_id = ${f.tenantId} and r.started_at >= ${f.from} and r.started_at < ${f.to} ${reach}
      ${after ? sql`and (r.started_at, r.recording_id) < (${after[0]}, ${after[1]})` : sql``}
    order by r.started_at desc, r.recording_id desc
    limit ${limit}`.execute(db);
  return r.rows;
}
