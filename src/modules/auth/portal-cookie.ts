import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../../http/authenticate.js';
import type { Api } from '../../http/types.js';
import type { Db } from '../../db/database.js';
import { hashToken } from '../../infra/crypto.js';
import { AppError } from '../../infra/errors.js';
import { resolveSession } from './credentials.js';

/**
 * Portal sessions (I7): the session token travels in an HttpOnly, SameSite=Lax cookie (Secure when
 * the request came over HTTPS). Every state-changing request authenticated by that cookie must also
 * send `X-CSRF-Token`: a value derived from the session token, which a page on another origin can
 * neither read nor compute. Bearer-token requests are not exposed to CSRF and need no header.
 */
export const SESSION_COOKIE = 'sb_session';
export const CSRF_COOKIE = 'sb_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token of a session: derived, so nothing more is stored, and unguessable without the session token. */
export function csrfTokenFor(sessionToken: string): string {
  return hashToken(`csrf:${sessionToken}`);
}

/** Registers cookie parsing and the cookie fallback of the Authenticator, with its CSRF check. */
export async function registerPortalCookies(app: Api, auth: Authenticator, db: Db): Promise<void> {
  if (!app.hasRequestDecorator('cookies')) await app.register(cookie);
  auth.addFallback(async (req) => {
    // The Authenticator's hook runs before the cookie plugin's own parsing hook, so parse here.
    const token = req.headers.cookie ? app.parseCookie(req.headers.cookie)[SESSION_COOKIE] : undefined;
    if (!token) return null;
    const actor = await resolveSession(db, token);
    if (!actor) return null;
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || sent !== csrfTokenFor(token)) {
        throw new AppError(
          'csrf_failed',
          `state-changing requests signed in by cookie must send the ${CSRF_HEADER} header (the csrfToken from login)`,
          { rule: 'I7' },
        );
      }
    }
    return actor;
  });
}

/** Sets the portal session cookie and the readable CSRF cookie after a portal sign-in. */
export function setPortalCookies(
  req: FastifyRequest,
  reply: FastifyReply,
  sessionToken: string,
  publicUrl?: string,
): string {
  // Secure when this request came over HTTPS, or when the deployment is public over HTTPS behind a
  // TLS-terminating proxy (the request itself then arrives as plain HTTP).
  const secure = req.protocol === 'https' || (publicUrl?.startsWith('https:') ?? false);
  const csrf = csrfTokenFor(sessionToken);
  reply.setCookie(SESSION_COOKIE, sessionToken, { httpOnly: true, secure, sameSite: 'lax', path: '/' });
  reply.setCookie(CSRF_COOKIE, csrf, { httpOnly: false, secure, sameSite: 'strict', path: '/' });
  return csrf;
}

/** Removes both portal cookies (logout). */
export function clearPortalCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
