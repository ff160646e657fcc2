/**
 * Links the browser opens itself (a CSV streamed to disk, a WebSocket) carry no bearer header, and the
 * provider has no cookie: the portal asks for a single-use, 30-second ticket for the link's one path
 * (D1) and opens the link with it at once. What the link answers is decided as for the signed-in user
 * or provider.
 */
import type { SwitchboardClient } from '../../../client/index.js';

/** `href` (a path with its query, or a `ws:` address) with a fresh ticket for its path added. */
export async function withTicket(client: SwitchboardClient, href: string): Promise<string> {
  const url = new URL(href, window.location.href);
  const { ticket } = await client.me.streamTicket(url.pathname);
  url.searchParams.set('ticket', ticket);
  return url.toString();
}

/** Downloads `href` through a plain link with a ticket, so the browser streams the file to disk. */
export async function downloadWithTicket(client: SwitchboardClient, href: string): Promise<void> {
  const a = document.createElement('a');
  a.href = await withTicket(client, href);
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}
