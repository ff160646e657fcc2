import type { Executor } from '../../db/database.js';
import type { Config } from '../../infra/config.js';
import { generateToken, hashToken } from '../../infra/crypto.js';
import { newId } from '../../infra/ids.js';
import type { UnitOfWork } from '../../infra/unit-of-work.js';
import { insertOneTimeTokens, latestOneTimeToken, retireOneTimeTokens } from './one-time-tokens.repo.js';

const INVITE_TTL_SECONDS = 7 * 24 * 60 * 60;

/** A link in a mail: `PUBLIC_URL` (or the listening address) + the portal page + the token. */
export function mailLink(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>, page: string, token: string): string {
  const base = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  return `${base.replace(/\/$/, '')}/${page}?token=${encodeURIComponent(token)}`;
}

/**
 * I3: invites the user to choose a password, inside the caller's unit of work: a new single-use link
 * (7 days) replaces older ones, the audit entry and the mail (the outbox, W1) commit with it. Used by
 * Send/Resend invitation and when a user with website access is created without a password.
 */
export async function issueInvitation(
  uow: UnitOfWork,
  config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>,
  tenantId: string,
  user: Invitee,
): Promise<{ sentTo: string; expiresAt: string }> {
  const [sent] = await issueInvitations(uow, config, tenantId, [user]);
  return sent!;
}

type Invitee = { id: string; email: string; displayName: string };

/** `issueInvitation` for many users at once (a CSV import's new users): one write for all their links. */
export async function issueInvitations(
  uow: UnitOfWork,
  config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>,
  tenantId: string,
  users: Invitee[],
): Promise<Array<{ sentTo: string; expiresAt: string }>> {
  const tokens = users.map(() => generateToken('sbi'));
  await retireOneTimeTokens(
    uow.tx,
    tenantId,
    users.map((u) => u.id),
    'invite',
  );
  const rows = await insertOneTimeTokens(
    uow.tx,
    users.map((u, i) => ({
      id: newId('ott'),
      tenant_id: tenantId,
      user_id: u.id,
      purpose: 'invite' as const,
      token_hash: hashToken(tokens[i]!),
      ttlSeconds: INVITE_TTL_SECONDS,
    })),
  );
  const expiry = new Map(rows.map((r) => [r.user_id, new Date(r.expires_at).toISOString()]));
  return users.map((user, i) => {
    const expiresAt = expiry.get(user.id)!;
    uow.audit({
      tenantId,
      action: 'auth.invitation_sent',
      targetType: 'user',
      targetId: user.id,
      after: { to: user.email, expiresAt },
    });
    // Written with the token, sent at least once after commit by the outbox (W1).
    uow.sendMail({
      tenantId,
      to: user.email,
      subject: 'You are invited to Switchboard',
      text: `Hello ${user.displayName},\n\nyou have been invited to Switchboard. Choose your password at ${mailLink(config, 'accept-invitation', tokens[i]!)} (valid 7 days), or use this code: ${tokens[i]}\n`,
    });
    return { sentTo: user.email, expiresAt };
  });
}

export interface InvitationStatus {
  status: 'none' | 'invited' | 'expired' | 'accepted';
  sentAt: string | null;
  expiresAt: string | null;
  acceptedAt: string | null;
}

/**
 * Where the user's invitation stands: the newest invitation link decides (a resend retires the older
 * ones, so a used newest link is an accepted one).
 */
export async function invitationStatus(db: Executor, tenantId: string, userId: string): Promise<InvitationStatus> {
  const row = await latestOneTimeToken(db, tenantId, userId, 'invite');
  if (!row) return { status: 'none', sentAt: null, expiresAt: null, acceptedAt: null };
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  const status = row.used_at !== null ? 'accepted' : row.expired ? 'expired' : 'invited';
  return { status, sentAt: iso(row.created_at), expiresAt: iso(row.expires_at), acceptedAt: iso(row.used_at) };
}
