import type { WebSocket } from 'ws';
import type { Actor, RequestContext } from '../../infra/context.js';
import { generateToken, hashToken } from '../../infra/crypto.js';
import type { ServiceDeps } from '../../infra/deps.js';
import { AppError } from '../../infra/errors.js';
import { newId } from '../../infra/ids.js';
import { StreamHub, type StreamHubOptions, type StreamIdentity } from './stream-hub.js';
import { consumeTicket, insertTicket, type TicketHolder } from './stream.repo.js';

/** Tickets are for the moment between "get a ticket" and "open the socket": a few seconds is plenty. */
export const TICKET_TTL_SECONDS = 30;

/** Tickets for one resource start `sbu_` so the authenticator takes them, and leaves stream tickets (`sbw_`) alone. */
export const RESOURCE_TICKET_PREFIX = 'sbu';

/** Real-time delivery (SPEC 8): stream tickets for browsers, and this node's hub of open streams. */
export class StreamService {
  readonly hub: StreamHub;

  constructor(
    private readonly deps: ServiceDeps,
    hubOptions: StreamHubOptions = {},
  ) {
    this.hub = new StreamHub(deps, hubOptions);
  }

  start(): void {
    this.deps.metrics.gauge('switchboard_stream_connections', 'Streams (D1) open on this node', () => this.hub.size);
    this.hub.start();
  }
  async close(): Promise<void> {
    await this.hub.close();
  }

  /**
   * D1: a browser cannot set `Authorization` on a WebSocket or a link, so it trades its credential for
   * a single-use ticket valid for 30 s. Stored hashed, in the database, so any node accepts it.
   * Without `resource` it is a signed-in user's ticket for any stream; with it, the ticket opens only
   * that path (`?ticket=` on a GET or a WebSocket upgrade) and acts as its holder there, who may be
   * the provider (its token never leaves memory; routes decide what the holder may see).
   */
  async issueTicket(
    ctx: RequestContext,
    resource?: string,
    bearer?: string,
  ): Promise<{ ticket: string; expiresAt: string }> {
    const owner = ticketHolderOf(ctx.actor, resource, bearer);
    const ticket = generateToken(resource === undefined ? 'sbw' : RESOURCE_TICKET_PREFIX);
    const expiresAt = new Date(Date.now() + TICKET_TTL_SECONDS * 1000);
    await insertTicket(this.deps.db, {
      id: newId('stk'),
      tokenHash: hashToken(ticket),
      owner,
      resource: resource ?? null,
      expiresAt,
    });
    return { ticket, expiresAt: expiresAt.toISOString() };
  }

  /** Resolves a ticket into the stream's owner; refuses an unknown, used, expired or orphaned ticket. */
  async redeemTicket(ticket: string): Promise<StreamIdentity> {
    const owner = await consumeTicket(this.deps.db, hashToken(ticket));
    if (!owner) throw new AppError('invalid_token', 'the stream ticket is unknown, used, expired or its session ended');
    return owner;
  }

  /** Hands an upgraded socket to the hub (D1, D4). */
  async open(ws: WebSocket, who: StreamIdentity, since: number | null): Promise<void> {
    await this.hub.attach(ws, who, since);
  }
}

/** The stream is a user's: the provider and platform tokens have no configuration to receive. */
export function streamIdentityOf(actor: Actor): StreamIdentity {
  if (actor.kind !== 'user')
    throw new AppError('forbidden', "the stream delivers a user's configuration: sign in as a user");
  return { tenantId: actor.tenantId, userId: actor.id, sessionId: actor.sessionId ?? null };
}

/**
 * The provider (for one resource only; the ticket keeps the hash of the token that asked, `bearer`) or a
 * user signed in with a session; API and platform tokens get none.
 */
function ticketHolderOf(actor: Actor, resource: string | undefined, bearer: string | undefined): TicketHolder {
  if (actor.kind === 'provider') {
    if (resource === undefined)
      throw new AppError('validation_failed', "the provider's tickets name the resource they open", {
        field: '/resource',
      });
    if (!bearer) throw new AppError('forbidden', "the provider's tickets are asked for with the provider token");
    return { kind: 'provider', credentialHash: hashToken(bearer) };
  }
  const who = streamIdentityOf(actor);
  if (!who.sessionId) throw new AppError('forbidden', 'tickets are issued to signed-in sessions');
  return { kind: 'user', ...who, sessionId: who.sessionId };
}
