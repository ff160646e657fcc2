/**
 * Keeps the signed-in user's own configuration (`/v1/me/config`, what the screens grey by) current over
 * the config stream (D1): a level raised or lowered by an admin shows on the open screen without signing
 * in again. Browsers cannot set headers on a WebSocket, so each (re)connect takes a fresh ticket.
 */
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ConfigStream } from '../../../client/index.js';
import { useSession } from '../session.js';
import { qk } from './hooks.js';

export function useConfigStream(): void {
  const { client, session } = useSession();
  const queryClient = useQueryClient();
  const user = session?.kind === 'user';
  useEffect(() => {
    if (!user || typeof WebSocket === 'undefined') return;
    const stream = new ConfigStream({ baseUrl: '', getTicket: async () => (await client.me.streamTicket()).ticket });
    const off = stream.on('config', (config) => queryClient.setQueryData(qk.meConfig(), config));
    stream.start();
    return () => {
      off();
      stream.stop();
    };
  }, [client, user, queryClient]);
}
