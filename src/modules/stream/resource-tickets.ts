import type { Authenticator } from '../../http/authenticate.js';
import type { Executor } from '../../db/database.js';
import type { Actor } from '../../infra/context.js';
import { hashToken } from '../../infra/crypto.js';
import { isProviderTokenHash } from '../auth/credentials.js';
import { AppError } from '../../infra/errors.js';
import { consumeResourceTicket, type TicketHolder } from './stream.repo.js';
import { RESOURCE_TICKET_PREFIX } from './stream.service.js';

/**
 * D1: `?ticket=sbu_…` authenticates the one GET (a download link) or WebSocket upgrade it was issued
 * for (`POST /v1/stream/tickets` with `resource`), once, within 30 s, as its holder: the provider
 * while the token that asked is still the provider's, or the user whose session is still live. The holder then meets the route's own checks (tenant
 * isolation, capabilities), so a ticket opens nothing its holder could not open with a header.
 * Registered before the portal cookie, so a link the provider opens is the provider's even in a
 * browser that also holds a user's cookie. The ticket is taken out of the query once used, so the
 * routes' own query schemas never see it.
 */
export function registerResourceTickets(auth: Authenticator, db: Executor, envProviderToken?: string): void {
  auth.addFallback(async (req) => {
    const query = req.query as Record<string, unknown> | undefined;
    const ticket = query?.ticket;
    if (typeof ticket !== 'string' || !ticket.startsWith(`${RESOURCE_TICKET_PREFIX}_`)) return null;
    const path = req.url.split('?')[0]!;
    const holder = req.method === 'GET' ? await consumeResourceTicket(db, hashToken(ticket), path) : null;
    if (
      !holder ||
      (holder.kind === 'provider' && !(await isProviderTokenHash(db, holder.credentialHash, envProviderToken)))
    )
      throw new AppError(
        'invalid_token',
        'the ticket is unknown, used, expired, for another address, or its session ended; ask for a new one',
      );
    delete query!.ticket;
    return actorOf(holder);
  });
}

function actorOf(holder: TicketHolder): Actor {
  if (holder.kind === 'provider') return { kind: 'provider', id: 'provider', credential: 'provider_token' };
  return {
    kind: 'user',
    id: holder.userId,
    tenantId: holder.tenantId,
    credential: `session:${holder.sessionId}`,
    sessionId: holder.sessionId,
  };
}
