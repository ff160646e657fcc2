/**
 * Links the browser opens itself (a CSV streamed to disk) carry no bearer header, and the provider has
 * no cookie: the portal asks for a single-use, 30-second ticket for the link's one path (D1) and opens
 * the link with it at once. What the link answers is decided as for the signed-in user or provider.
 */
import { buildUrl, type Query, type SwitchboardClient } from '../../../client/index.js';

/** The address of `path` opened with a fresh ticket for it (also a WebSocket's, given a `ws:` origin). */
export async function ticketUrl(
  client: SwitchboardClient,
  path: string,
  query: Query = {},
  origin = '',
): Promise<string> {
  const { ticket } = await client.me.streamTicket(path);
  return buildUrl(origin, path, { ...query, ticket });
}

/** Downloads `path` through a plain link with a ticket, so the browser streams the file. */
export async function downloadWithTicket(client: SwitchboardClient, path: string, query: Query = {}): Promise<void> {
  const a = document.createElement('a');
  a.href = await ticketUrl(client, path, query);
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}
