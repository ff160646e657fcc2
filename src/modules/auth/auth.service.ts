import { explainUser } from '../../access/explain.js';
import type { UserRow } from '../../db/schema.js';
import type { RequestContext } from '../../infra/context.js';
import { generateToken, hashPassword, hashToken, verifyPassword } from '../../infra/crypto.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError, notFound } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { inTransaction } from '../../infra/unit-of-work.js';
import { loadTenantAccess, loadUsersAccess } from '../access/access.repo.js';
import { requireCapability } from '../access/actor-access.js';
import { endSessions } from '../sessions/sessions.repo.js';
import { loginContext, openSeatedSession, type Audience, type OpenedSession } from '../sessions/sessions.service.js';
import { findTenant } from '../tenants/tenants.repo.js';
import {
  auditStandalone,
  findActiveUsersByEmail,
  findLoginCandidates,
  findUser,
  setPasswordHash,
  tenantNames,
  tenantsNamed,
} from './auth.repo.js';
import {
  consumeOneTimeToken,
  findOneTimeTokenOwner,
  insertOneTimeToken,
  retireOneTimeTokens,
} from './one-time-tokens.repo.js';
import { assertPasswordAcceptable } from './password-policy.js';
import { clearAccountFailures } from './login-failures.repo.js';
import { invitationStatus, issueInvitation, mailLink, type InvitationStatus } from './invitations.js';
import { assertNotThrottled, recordFailure, throttleKeys } from './throttle.js';

/** What a login knows about its request (there is no actor yet). */
export type LoginMeta = Pick<RequestContext, 'requestId' | 'clientAddr'>;

const RESET_TTL_SECONDS = 60 * 60;

/**
 * G2: a person chooses an organisation, not an account. Within one tenant, only one user with
 * website access has the email, but app-only users may share it; the portal prefers the account
 * with website access, an app the oldest account (the order candidates come in).
 */
function oneAccountPerTenant(users: UserRow[], audience: Audience): UserRow[] {
  const byTenant = new Map<string, UserRow>();
  for (const u of users) {
    const held = byTenant.get(u.tenant_id);
    const web = (x: UserRow) => x.permissions.includes('website_access');
    if (!held || (audience === 'portal' && web(u) && !web(held))) byTenant.set(u.tenant_id, u);
  }
  return [...byTenant.values()];
}

/** Whether the user may use the portal now (`portal:use` allowed, I1 and G1). */
export async function mayUsePortal(deps: Pick<ServiceDeps, 'db'>, user: UserRow): Promise<boolean> {
  const tenant = await findTenant(deps.db, user.tenant_id);
  if (!tenant) return false;
  const access = (await loadUsersAccess(deps.db, user.tenant_id, [user.id])).get(user.id);
  if (!access) return false;
  return explainUser(access.access, await loadTenantAccess(deps.db, tenant))['portal:use']?.allowed === true;
}

/** How long an operator's sign-in link stays usable. */
const SIGN_IN_LINK_TTL_SECONDS = 15 * 60;

/** The one answer for a link that is unknown, spent, replaced, expired or not for this use (I3). */
function invalidLink(): AppError {
  return new AppError('invalid_token', 'this link is not valid: it was used, replaced or has expired', {
    rule: 'I3',
    field: '/token',
    status: 400,
  });
}

/**
 * Identity: password login with seats (I1, S1-S2), the refusals and their audit (issue item 8),
 * throttling (I4), invitations and password resets by single-use links (I3).
 */
export class AuthService {
  constructor(private readonly deps: ServiceDeps) {}

  async login(
    meta: LoginMeta,
    input: { email: string; password: string; audience: Audience; tenantId?: string },
  ): Promise<OpenedSession> {
    const keys = throttleKeys(input.email, meta.clientAddr);
    await assertNotThrottled(this.deps.db, keys);
    const candidates = await findLoginCandidates(this.deps.db, input.email, input.tenantId);
    // Every attempt costs at least one scrypt verification, so unknown emails answer in comparable time (I4).
    const checks = candidates.length
      ? await Promise.all(candidates.map((u) => verifyPassword(input.password, u.password_hash)))
      : [await verifyPassword(input.password, null)];
    let matched = oneAccountPerTenant(
      candidates.filter((_, i) => checks[i]),
      input.audience,
    );
    const tenants =
      matched.length > 1
        ? await tenantsNamed(
            this.deps.db,
            matched.map((u) => u.tenant_id),
          )
        : new Map<string, { name: string; suspended: boolean }>();
    // A suspended organisation is not offered (its sign-in would be refused); if every one is, the
    // first is kept so that the refusal says why.
    const open = matched.filter((u) => !tenants.get(u.tenant_id)?.suspended);
    if (matched.length > 1) matched = open.length > 0 ? open : matched.slice(0, 1);
    if (matched.length > 1) {
      // G2: the credentials prove these accounts are the person's; only they are named, nothing else.
      await clearAccountFailures(this.deps.db, keys.account);
      const names = new Map([...tenants].map(([id, t]) => [id, t.name]));
      throw new AppError(
        'organisation_choice_required',
        'this email and password sign in to several organisations: choose one and send its tenantId',
        {
          rule: 'G2',
          field: '/tenantId',
          extra: {
            organisations: matched.map((u) => ({ tenantId: u.tenant_id, name: names.get(u.tenant_id) ?? u.tenant_id })),
          },
        },
      );
    }
    const user = matched[0];
    if (!user) {
      await recordFailure(this.deps.db, keys);
      const only = candidates.length === 1 ? candidates[0]! : null;
      await this.auditRefusal(meta, only, 'invalid_credentials', input.audience);
      throw new AppError('invalid_credentials', 'the email or password is not right', { rule: 'I1' });
    }
    await clearAccountFailures(this.deps.db, keys.account);
    if (user.status !== 'active') {
      await this.auditRefusal(meta, user, 'account_inactive', input.audience);
      throw new AppError('account_inactive', 'this account is suspended', { rule: 'G13' });
    }
    if (input.audience === 'portal' && !(await mayUsePortal(this.deps, user))) {
      await this.auditRefusal(meta, user, 'portal_access_required', input.audience);
      throw new AppError('portal_access_required', 'signing in to the portal needs website access (portal:use)', {
        rule: 'G1',
      });
    }
    return this.openSession(meta, user, input.audience, 'password');
  }

  /** Opens a seat-checked session for a user already identified (password, OIDC, provider sign-in); audits a refusal. */
  async openSession(
    meta: LoginMeta,
    user: Pick<UserRow, 'id' | 'tenant_id'>,
    audience: Audience,
    method: string,
    openedBy?: RequestContext,
  ): Promise<OpenedSession> {
    const sessionId = newId('ses');
    try {
      return await inTransaction(this.deps, openedBy ?? loginContext(meta, user.tenant_id, user.id, sessionId), (uow) =>
        openSeatedSession(uow, { sessionId, tenantId: user.tenant_id, userId: user.id, audience, method }),
      );
    } catch (err) {
      if (err instanceof AppError && err.code === 'seats_exhausted') {
        this.deps.metrics.seatRefusals.inc({ tenant: this.deps.metrics.tenantLabel(user.tenant_id) });
        await this.auditRefusal(meta, user, 'seats_exhausted', audience, err.options.extra);
        // W1: subscribers hear that someone was turned away for want of a seat.
        await inTransaction(this.deps, openedBy ?? loginContext(meta, user.tenant_id, user.id, sessionId), (uow) => {
          uow.emit({
            type: 'seats.exhausted',
            tenantId: user.tenant_id,
            data: { userId: user.id, audience, ...err.options.extra },
          });
          return Promise.resolve();
        });
      }
      throw err;
    }
  }

  /**
   * Provider support sign-in: a seat-checked session for an active user, without their password
   * (the provider already holds every power). Also how the seat benchmark opens sessions, so that
   * scrypt does not hide the cost of the seat path.
   */
  async openSessionFor(
    ctx: RequestContext,
    tenantId: string,
    userId: string,
    audience: Audience,
  ): Promise<OpenedSession> {
    if (ctx.actor.kind !== 'provider')
      throw new AppError('provider_only', "opening a session for a user is the provider's alone");
    const user = await findUser(this.deps.db, tenantId, userId);
    if (!user || user.status === 'removed') throw notFound('user');
    if (user.status !== 'active') throw new AppError('account_inactive', 'this account is suspended', { rule: 'G13' });
    if (audience === 'portal' && !(await mayUsePortal(this.deps, user))) {
      throw new AppError('portal_access_required', 'portal sessions need website access (portal:use)', { rule: 'G1' });
    }
    return this.openSession(ctx, user, audience, 'provider', ctx);
  }

  private async auditRefusal(
    meta: LoginMeta,
    user: Pick<UserRow, 'id' | 'tenant_id'> | null,
    code: string,
    audience: Audience,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await auditStandalone(this.deps.db, [
      {
        tenantId: user?.tenant_id ?? null,
        actorType: 'anonymous',
        actorId: null,
        credential: null,
        action: 'auth.login_refused',
        targetType: 'user',
        targetId: user?.id ?? null,
        after: { code, audience, ...extra },
        requestId: meta.requestId,
        clientAddr: meta.clientAddr,
      },
    ]);
  }

  /**
   * I3: sends a reset link to every active account with this email, one mail per organisation that
   * names it (G2: the address's owner chooses which password to reset); the caller always answers 202.
   */
  async requestPasswordReset(meta: LoginMeta, email: string): Promise<void> {
    const users = await findActiveUsersByEmail(this.deps.db, email);
    const names = await tenantNames(
      this.deps.db,
      users.map((u) => u.tenant_id),
    );
    for (const user of users) {
      const organisation = names.get(user.tenant_id) ?? user.tenant_id;
      const token = generateToken('sbr');
      await inTransaction(this.deps, loginContext(meta, user.tenant_id, user.id, 'none'), async (uow) => {
        await retireOneTimeTokens(uow.tx, user.tenant_id, user.id, 'reset');
        const row = await insertOneTimeToken(uow.tx, {
          id: newId('ott'),
          tenant_id: user.tenant_id,
          user_id: user.id,
          purpose: 'reset',
          token_hash: hashToken(token),
          ttlSeconds: RESET_TTL_SECONDS,
        });
        uow.audit({
          tenantId: user.tenant_id,
          action: 'auth.password_reset_requested',
          targetType: 'user',
          targetId: user.id,
          after: { expiresAt: new Date(row.expires_at).toISOString() },
        });
        // Written with the token, sent at least once after commit by the outbox (W1).
        uow.sendMail({
          tenantId: user.tenant_id,
          to: user.email!,
          subject: `Reset your Switchboard password for ${organisation}`,
          text: `Someone (hopefully you) asked to reset the password of ${user.display_name} in ${organisation}.\n\nOpen ${this.link('reset-password', token)} within an hour, or use this code: ${token}\n\nIf it was not you, ignore this message.`,
        });
      });
    }
  }

  /** Redeems a reset link: sets the password and ends every session of the user (a reset means the old one may be known). */
  async confirmPasswordReset(meta: LoginMeta, token: string, password: string): Promise<void> {
    await this.redeem(meta, token, 'reset', password);
  }

  /** Redeems an invitation link: the invited user chooses a password. */
  async acceptInvitation(meta: LoginMeta, token: string, password: string): Promise<void> {
    await this.redeem(meta, token, 'invite', password);
  }

  /**
   * I3: an operator's single-use sign-in link (`switchboard demo`; no route issues one) opens a portal
   * session for its user, seat-checked and audited like a password sign-in. The link is spent in the
   * session's own transaction, so a refusal (no seat) leaves it usable.
   */
  async signInWithLink(meta: LoginMeta, token: string): Promise<OpenedSession> {
    const row = await findOneTimeTokenOwner(this.deps.db, hashToken(token));
    const user = row?.purpose === 'sign_in' ? await findUser(this.deps.db, row.tenant_id, row.user_id) : undefined;
    if (!user || user.status !== 'active' || !(await mayUsePortal(this.deps, user))) throw invalidLink();
    const sessionId = newId('ses');
    return inTransaction(this.deps, loginContext(meta, user.tenant_id, user.id, sessionId), async (uow) => {
      if (!(await consumeOneTimeToken(uow.tx, hashToken(token), 'sign_in'))) throw invalidLink();
      return openSeatedSession(uow, {
        sessionId,
        tenantId: user.tenant_id,
        userId: user.id,
        audience: 'portal',
        method: 'link',
      });
    });
  }

  /** A single-use sign-in link's token for an active user with website access (the operator's CLI only). */
  async issueSignInLink(ctx: RequestContext, tenantId: string, userId: string): Promise<string> {
    if (ctx.actor.kind !== 'provider') throw new AppError('provider_only', 'sign-in links are issued by the operator');
    const token = generateToken('sbl');
    await inTransaction(this.deps, ctx, async (uow) => {
      await retireOneTimeTokens(uow.tx, tenantId, userId, 'sign_in');
      await insertOneTimeToken(uow.tx, {
        id: newId('ott'),
        tenant_id: tenantId,
        user_id: userId,
        purpose: 'sign_in',
        token_hash: hashToken(token),
        ttlSeconds: SIGN_IN_LINK_TTL_SECONDS,
      });
      uow.audit({ tenantId, action: 'auth.sign_in_link_issued', targetType: 'user', targetId: userId });
    });
    return token;
  }

  private async redeem(meta: LoginMeta, token: string, purpose: 'reset' | 'invite', password: string): Promise<void> {
    const row = await findOneTimeTokenOwner(this.deps.db, hashToken(token));
    if (!row) throw invalidLink();
    const user = await findUser(this.deps.db, row.tenant_id, row.user_id);
    if (!user || user.status === 'removed') throw invalidLink();
    assertPasswordAcceptable(password, { email: user.email });
    const hash = await hashPassword(password); // before the transaction: no CPU-heavy work while holding locks
    await inTransaction(this.deps, loginContext(meta, row.tenant_id, row.user_id, 'none'), async (uow) => {
      const taken = await consumeOneTimeToken(uow.tx, hashToken(token), purpose);
      if (!taken) throw invalidLink();
      await setPasswordHash(uow.tx, taken.tenant_id, taken.user_id, hash);
      const ended = await endSessions(uow.tx, taken.tenant_id, { userIds: [taken.user_id] }, 'password_changed');
      uow.audit({
        tenantId: taken.tenant_id,
        action: purpose === 'reset' ? 'auth.password_reset' : 'auth.invitation_accepted',
        targetType: 'user',
        targetId: taken.user_id,
        after: { sessionsEnded: ended.length },
      });
      if (ended.length)
        uow.publish({
          type: 'revoke',
          tenantId: taken.tenant_id,
          sessionIds: ended.map((s) => s.id),
          userIds: [taken.user_id],
          reason: 'password_changed',
        });
    });
  }

  /** I3: invites a user by email to choose a password (needs users:edit or users:create); Send and Resend alike. */
  async invite(ctx: RequestContext, tenantId: string, userId: string): Promise<{ sentTo: string; expiresAt: string }> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:edit', 'users:create']);
    return inTransaction(this.deps, ctx, async (uow) => {
      const user = await findUser(uow.tx, tenantId, userId);
      if (!user || user.status === 'removed') throw notFound('user');
      if (!user.email)
        throw new AppError('email_required', 'the user has no email to send the invitation to', { field: '/email' });
      return issueInvitation(uow, this.deps.config, tenantId, {
        id: user.id,
        email: user.email,
        displayName: user.display_name,
      });
    });
  }

  /** Where the user's invitation stands: none, invited (until expiresAt), expired or accepted (users:view). */
  async invitationStatus(ctx: RequestContext, tenantId: string, userId: string): Promise<InvitationStatus> {
    await requireCapability(this.deps.db, ctx, tenantId, ['users:view', 'users:edit']);
    const user = await findUser(this.deps.db, tenantId, userId);
    if (!user || user.status === 'removed') throw notFound('user');
    return invitationStatus(this.deps.db, tenantId, userId);
  }

  private link(page: string, token: string): string {
    return mailLink(this.deps.config, page, token);
  }
}
