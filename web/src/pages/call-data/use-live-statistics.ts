/**
 * Live call statistics (CD3): the snapshot pushed over `…/live/stream` after every stored batch, with a
 * fresh single-use ticket for that one WebSocket per (re)connect, for a user and for the provider alike
 * (its token stays in memory; the ticket acts as it). While the socket is down the snapshot is polled;
 * a refusal (4003) or an ended session (4001) stops both.
 */
import { useEffect, useState } from 'react';
import { callDataApi, liveStreamUrl, type LiveSnapshot } from '../../api/call-data.js';
import { withTicket } from '../../api/ticket-link.js';
import { useTenantId } from '../../api/hooks.js';
import { useSession } from '../../session.js';

const POLL_MS = 5_000;
const RECONNECT_MS = 3_000;

export type LiveTransport = 'connecting' | 'stream' | 'polling' | 'stopped';

type LiveMessage =
  | ({ type: 'live' } & LiveSnapshot)
  | { type: 'refused'; rule?: string; detail?: string }
  | { type: 'revoked'; reason?: string };

export interface LiveState {
  snapshot: LiveSnapshot | null;
  transport: LiveTransport;
  /** Why the server stopped sending (a refusal's rule, or the session's end). */
  stopped: { rule?: string; detail?: string } | null;
  error: unknown;
}

export function useLiveStatistics(): LiveState {
  const { client, session } = useSession();
  const tenantId = useTenantId();
  const [state, setState] = useState<LiveState>({
    snapshot: null,
    transport: 'connecting',
    stopped: null,
    error: null,
  });
  const signedIn = session !== null;
  useEffect(() => {
    if (!tenantId) return;
    const api = callDataApi(client);
    let closed = false;
    let socket: WebSocket | null = null;
    let poll: ReturnType<typeof setInterval> | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    const fetchOnce = () => {
      api
        .live(tenantId)
        .then((snapshot) => !closed && setState((s) => ({ ...s, snapshot, error: null })))
        .catch((error: unknown) => !closed && setState((s) => ({ ...s, error })));
    };
    const startPolling = () => {
      if (poll || closed) return;
      setState((s) => ({ ...s, transport: 'polling' }));
      fetchOnce();
      poll = setInterval(fetchOnce, POLL_MS);
    };
    const stopPolling = () => {
      if (poll) clearInterval(poll);
      poll = null;
    };
    const stop = (why: LiveState['stopped']) => {
      closed = true;
      stopPolling();
      setState((s) => ({ ...s, transport: 'stopped', stopped: why }));
    };
    const connect = async () => {
      if (closed) return;
      try {
        const url = await withTicket(client, liveStreamUrl(tenantId));
        if (closed) return;
        socket = new WebSocket(url);
      } catch {
        startPolling();
        retry = setTimeout(() => void connect(), RECONNECT_MS);
        return;
      }
      socket.onmessage = (ev: MessageEvent) => {
        const msg = JSON.parse(String(ev.data)) as LiveMessage;
        if (msg.type === 'live') {
          const { type: _type, ...snapshot } = msg;
          stopPolling();
          setState((s) => ({ ...s, snapshot, transport: 'stream', error: null }));
        } else if (msg.type === 'refused') stop({ rule: msg.rule, detail: msg.detail });
        else stop({ detail: msg.reason ?? 'revoked' });
      };
      socket.onclose = (ev: CloseEvent) => {
        if (closed || ev.code === 4001 || ev.code === 4003) return;
        startPolling();
        retry = setTimeout(() => void connect(), RECONNECT_MS);
      };
    };
    if (signedIn && typeof WebSocket !== 'undefined') void connect();
    else startPolling();
    return () => {
      closed = true;
      stopPolling();
      if (retry) clearTimeout(retry);
      socket?.close();
    };
  }, [client, tenantId, signedIn]);
  return state;
}
