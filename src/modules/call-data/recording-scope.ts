import type { RecordingScope } from '../../access/types.js';

/** A modelled participant of the recorded call: who, in which group then, in what role, from when. */
export interface RecordedParticipant {
  userId: string;
  groupId: string | null;
  role: string;
  joinedAt: Date | null;
}

export interface Listener {
  /** null: the provider, who may play everything. */
  userId: string | null;
  scope: RecordingScope;
  primaryGroupId: string | null;
}

/**
 * Whether a listener may play one recording of a call (Record Playback & Scope):
 * - `all`: every recording of the tenant;
 * - `group`: recordings of calls of the listener's primary group (a participant of that group then),
 *   and their own;
 * - `own`: calls they took part in. A participant of a conference, the caller and the called party
 *   may replay all of it, including before they joined or after they left; someone the call was
 *   transferred to hears the recordings made from when they joined.
 */
export function mayPlay(
  listener: Listener,
  participants: readonly RecordedParticipant[],
  recordingStartedAt: Date | null,
): boolean {
  if (listener.userId === null || listener.scope === 'all') return true;
  if (
    listener.scope === 'group' &&
    listener.primaryGroupId !== null &&
    participants.some((p) => p.groupId === listener.primaryGroupId)
  )
    return true;
  return participants.some(
    (p) =>
      p.userId === listener.userId &&
      (p.role !== 'transfer' ||
        p.joinedAt === null ||
        recordingStartedAt === null ||
        recordingStartedAt.getTime() >= p.joinedAt.getTime()),
  );
}
