import { contextOf } from '../../http/authenticate.js';
import { errorResponses, Problem } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import { AppError } from '../../infra/errors.js';
import { User } from '../users/users.schemas.js';
import type { UsersService } from '../users/users.service.js';
import type { OpenedSession, SessionsService } from '../sessions/sessions.service.js';
import type { AuthService } from './auth.service.js';
import {
  Accepted,
  Heartbeat,
  Invitation,
  InvitationState,
  LoginBody,
  LinkToken,
  LoginResult,
  ResetRequest,
  TenantUserParams,
  TokenAndPassword,
} from './auth.schemas.js';
import { clearPortalCookies, setPortalCookies } from './portal-cookie.js';

/** What a sign-in answers about the session it opened. */
const sessionAnswer = (s: OpenedSession) => ({
  token: s.token,
  sessionId: s.sessionId,
  userId: s.userId,
  tenantId: s.tenantId,
  expiresAt: s.expiresAt,
});

const tags = ['Identity'];
const responses = { ...errorResponses, 429: Problem };
/** Reset requests send mail: a per-address limit keeps the endpoint from being used to flood inboxes. */
const RESET_RATE = { max: 10, timeWindow: '1 minute' };

/** `/v1/auth/*` and `/v1/me`: sign-in, sign-out, heartbeat, links by email (I1, I3, I7). */
export function registerAuthRoutes(
  app: Api,
  services: { auth: AuthService; sessions: SessionsService; users: UsersService },
  publicUrl?: string,
): void {
  const { auth, sessions, users } = services;
  const meta = (req: { id: string; ip: string }) => ({ requestId: req.id, clientAddr: req.ip ?? null });

  app.post(
    '/v1/auth/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in with email and password (portal: cookie + CSRF token; app: bearer token)',
        security: [],
        body: LoginBody,
        response: { 200: LoginResult, ...responses },
      },
    },
    async (req, reply) => {
      const s = await auth.login(meta(req), req.body);
      const result = sessionAnswer(s);
      if (s.audience === 'portal') return { ...result, csrfToken: setPortalCookies(req, reply, s.token, publicUrl) };
      return result;
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        tags,
        summary: 'End the current session and free its seat',
        response: { 204: { type: 'null' } as const, ...responses },
      },
    },
    async (req, reply) => {
      await sessions.logout(contextOf(req));
      clearPortalCookies(reply);
      return reply.status(204).send();
    },
  );

  app.post(
    '/v1/auth/heartbeat',
    {
      schema: {
        tags,
        summary: 'Keep an app session (and its seat) alive; send at least every 90 s',
        response: { 200: Heartbeat, ...responses },
      },
    },
    async (req) => sessions.heartbeat(contextOf(req)),
  );

  app.post(
    '/v1/auth/password-reset',
    {
      config: { public: true, rateLimit: RESET_RATE },
      schema: {
        tags,
        summary: 'Email a single-use reset link; answers 202 whether or not the address exists',
        security: [],
        body: ResetRequest,
        response: { 202: Accepted, ...responses },
      },
    },
    async (req, reply) => {
      await auth.requestPasswordReset(meta(req), req.body.email);
      return reply.status(202).send({ status: 'accepted' as const });
    },
  );

  app.post(
    '/v1/auth/password-reset/confirm',
    {
      config: { public: true, rateLimit: RESET_RATE },
      schema: {
        tags,
        summary: 'Set a new password with a reset link token; ends every session of the user',
        security: [],
        body: TokenAndPassword,
        response: { 204: { type: 'null' } as const, ...responses },
      },
    },
    async (req, reply) => {
      await auth.confirmPasswordReset(meta(req), req.body.token, req.body.password);
      return reply.status(204).send();
    },
  );

  app.post(
    '/v1/auth/sign-in-link',
    {
      config: { public: true, rateLimit: RESET_RATE },
      schema: {
        tags,
        summary: "Sign in to the portal with an operator's single-use link (`switchboard demo`; cookie + CSRF token)",
        security: [],
        body: LinkToken,
        response: { 200: LoginResult, ...responses },
      },
    },
    async (req, reply) => {
      const s = await auth.signInWithLink(meta(req), req.body.token);
      return { ...sessionAnswer(s), csrfToken: setPortalCookies(req, reply, s.token, publicUrl) };
    },
  );

  app.post(
    '/v1/auth/invitations/accept',
    {
      config: { public: true, rateLimit: RESET_RATE },
      schema: {
        tags,
        summary: 'Choose a password with an invitation link token',
        security: [],
        body: TokenAndPassword,
        response: { 204: { type: 'null' } as const, ...responses },
      },
    },
    async (req, reply) => {
      await auth.acceptInvitation(meta(req), req.body.token, req.body.password);
      return reply.status(204).send();
    },
  );

  app.post(
    '/v1/tenants/:t/users/:u/invitation',
    {
      schema: {
        tags,
        summary: 'Email the user a single-use link to choose a password (users:edit)',
        params: TenantUserParams,
        response: { 202: Invitation, ...responses },
      },
    },
    async (req, reply) => reply.status(202).send(await auth.invite(contextOf(req), req.params.t, req.params.u)),
  );

  app.get(
    '/v1/tenants/:t/users/:u/invitation',
    {
      schema: {
        tags,
        summary:
          "Where the user's invitation stands: none, invited (until expiresAt), expired or accepted (users:view)",
        params: TenantUserParams,
        response: { 200: InvitationState, ...responses },
      },
    },
    async (req) => auth.invitationStatus(contextOf(req), req.params.t, req.params.u),
  );

  app.get(
    '/v1/me',
    {
      schema: { tags, summary: 'The signed-in user', response: { 200: User, ...responses } },
    },
    async (req) => {
      const ctx = contextOf(req);
      if (ctx.actor.kind !== 'user')
        throw new AppError('forbidden', '/v1/me is for signed-in users; this credential is not one');
      return users.get(ctx, ctx.actor.tenantId, ctx.actor.id);
    },
  );
}
