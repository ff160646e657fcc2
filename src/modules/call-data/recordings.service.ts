import { timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { RequestContext } from '../../infra/context.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { decodeNameCursor, toPage } from '../../infra/paging.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { loadUsersAccess } from '../access/access.repo.js';
import { mayPlay, type Listener, type RecordedParticipant } from './recording-scope.js';
import * as repo from './recordings.repo.js';
import type { Playback, Recording, RecordingListQuery } from './recordings.schemas.js';
import { requireAllowed } from './report-access.js';

/** How long a playback link works. */
const LINK_TTL_SECONDS = 300;
const PURPOSE = 'recording-link';

const participantsOf = (r: repo.RecordingListRow): RecordedParticipant[] =>
  r.participants.map((p) => ({
    userId: p.user_id,
    groupId: p.group_id,
    role: p.role,
    joinedAt: p.joined_at ? new Date(p.joined_at) : null,
  }));

const present = (r: repo.RecordingListRow): Recording => ({
  id: r.recording_id,
  callId: r.call_id,
  callStartedAt: new Date(r.started_at).toISOString(),
  startedAt: r.recording_started_at ? new Date(r.recording_started_at).toISOString() : null,
  direction: r.direction,
  disposition: r.disposition,
  fromNumber: r.from_number,
  toNumber: r.to_number,
  participants: r.participants.map((p) => ({ userId: p.user_id, role: p.role })),
});

/** What a media link carries: tenant, recording, listener, expiry (seconds since the epoch). */
interface LinkClaims {
  t: string;
  r: string;
  u: string | null;
  exp: number;
}

/**
 * Recordings (issue 14): the index from call records, playback (`recordings:play`) by the listener's
 * scope (own, group, all; the conference rule), every playback audited, and the audio through
 * short-lived links signed with the server's secret key; the phone system's storage stays behind them.
 */
export class RecordingsService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(
    ctx: RequestContext,
    tenantId: string,
    q: RecordingListQuery,
  ): Promise<{ items: Recording[]; nextCursor: string | null }> {
    const listener = await this.listener(ctx, tenantId);
    const limit = q.limit ?? 50;
    const after = decodeNameCursor(q.cursor);
    const rows = await repo.listRecordings(
      this.deps.db,
      {
        tenantId,
        from: new Date(q.from),
        to: new Date(q.to),
        userId: listener.scope === 'all' ? null : listener.userId,
        groupId: listener.scope === 'group' ? listener.primaryGroupId : null,
      },
      after ? [new Date(after[0]), after[1]] : undefined,
      limit + 1,
    );
    return toPage(
      rows,
      limit,
      (r) => [new Date(r.started_at).toISOString(), r.recording_id],
      (page) =>
        page
          .filter((r) =>
            mayPlay(listener, participantsOf(r), r.recording_started_at ? new Date(r.recording_started_at) : null),
          )
          .map(present),
    );
  }

  /** Issues a playback link after checking the scope; the playback is audited (who, which recording, which call). */
  async playback(ctx: RequestContext, tenantId: string, recordingId: string): Promise<Playback> {
    const listener = await this.listener(ctx, tenantId);
    const row = await repo.findRecording(this.deps.db, tenantId, recordingId);
    if (!row) throw notFound('recording');
    if (!mayPlay(listener, participantsOf(row), row.recording_started_at ? new Date(row.recording_started_at) : null))
      throw new AppError(
        'forbidden',
        `recording scope "${listener.scope}" does not reach this call (own calls${listener.scope === 'group' ? ", the primary group's" : ''})`,
        { rule: 'CD4', extra: { capability: 'recordings:play', scope: listener.scope } },
      );
    const exp = Math.floor(Date.now() / 1000) + LINK_TTL_SECONDS;
    const claims: LinkClaims = { t: tenantId, r: recordingId, u: listener.userId, exp };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const token = `${payload}.${this.deps.secrets.signature(PURPOSE, payload)}`;
    await inTransaction(this.deps, ctx, async (uow) => {
      uow.audit({
        tenantId,
        action: 'recording.play',
        targetType: 'recording',
        targetId: recordingId,
        after: { callId: row.call_id, callStartedAt: new Date(row.started_at).toISOString(), scope: listener.scope },
      });
    });
    return { url: `/v1/recordings/media?link=${token}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The audio behind a signed link, fetched from the phone system's storage and passed through. */
  async media(
    token: string,
    range: string | undefined,
  ): Promise<{ status: number; type: string; length: string | null; range: string | null; body: Readable }> {
    const claims = this.verify(token);
    const row = await repo.findRecording(this.deps.db, claims.t, claims.r);
    if (!row) throw notFound('recording');
    if (!/^https?:\/\//i.test(row.location))
      throw new AppError('not_found', "the recording's location is not an http(s) address");
    const res = await fetch(row.location, { headers: range ? { range } : {} });
    if (!res.ok || !res.body) throw new AppError('not_found', `the phone system's storage answered ${res.status}`);
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? 'application/octet-stream',
      length: res.headers.get('content-length'),
      range: res.headers.get('content-range'),
      body: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
    };
  }

  private verify(token: string): LinkClaims {
    const [payload, sig] = token.split('.');
    const expected = payload ? this.deps.secrets.signature(PURPOSE, payload) : '';
    const valid =
      !!payload && !!sig && sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
    if (!valid) throw new AppError('invalid_token', 'the recording link is not valid');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
    if (claims.exp * 1000 < Date.now()) throw new AppError('invalid_token', 'the recording link has expired');
    return claims;
  }

  private async listener(ctx: RequestContext, tenantId: string): Promise<Listener> {
    await requireAllowed(this.deps.db, ctx, tenantId, 'recordings:play');
    const a = ctx.actor;
    if (a.kind !== 'user') return { userId: null, scope: 'all', primaryGroupId: null };
    const me = (await loadUsersAccess(this.deps.db, tenantId, [a.id])).get(a.id)!;
    return { userId: a.id, scope: me.access.recordingScope, primaryGroupId: me.access.primaryGroup };
  }
}
