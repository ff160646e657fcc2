/**
 * Who is signed in and the SDK client they use. A tenant user signs in with email and password
 * (bearer token from POST /v1/auth/login, audience portal); the provider with the provider token
 * and then picks a tenant. Kept in sessionStorage so a reload stays signed in. An OIDC sign-in ends
 * with the server's portal cookies instead (HttpOnly `sb_session`, readable `sb_csrf`): without a stored
 * session, the provider asks `GET /v1/me` with the cookie once and, when it answers, uses cookie auth.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { createClient, readCookie, type SwitchboardClient } from '../../client/index.js';

export interface SessionState {
  kind: 'user' | 'provider';
  token: string;
  tenantId: string | null;
  userId?: string;
  sessionId?: string;
  /** Signed in by the portal cookie (OIDC): requests send the cookie and the CSRF header, not `token`. */
  cookie?: boolean;
}

interface SessionValue {
  session: SessionState | null;
  /** True while a cookie session (after an OIDC sign-in) is being looked up. */
  restoring: boolean;
  client: SwitchboardClient;
  signInWithPassword: (email: string, password: string) => Promise<void>;
  signInAsProvider: (token: string) => Promise<void>;
  setTenant: (tenantId: string | null) => void;
  signOut: () => Promise<void>;
}

const STORAGE_KEY = 'sb.session';
const SessionContext = createContext<SessionValue | null>(null);

function load(): SessionState | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as SessionState) : null;
  } catch {
    return null;
  }
}
function save(s: SessionState | null): void {
  try {
    if (s) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    /* private mode */
  }
}

export function SessionProvider({ children, baseUrl = '' }: { children: ReactNode; baseUrl?: string }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<SessionState | null>(load);
  const update = useCallback((s: SessionState | null) => {
    save(s);
    setSession(s);
  }, []);
  const [restoring, setRestoring] = useState(() => !load() && readCookie('sb_csrf') !== undefined);
  // Looks the cookie session up once: `restoring` only goes from true to false, and `update` is stable.
  useEffect(() => {
    if (!restoring) return;
    createClient({ baseUrl, auth: { kind: 'cookie' } })
      .me.get()
      .then((me) => update({ kind: 'user', token: '', cookie: true, tenantId: me.tenantId, userId: me.id }))
      .catch(() => undefined)
      .finally(() => setRestoring(false));
  }, [restoring, baseUrl, update]);

  // The client changes with the credentials only, not with the tenant picked (`setTenant`).
  const token = session?.token;
  const cookie = session?.cookie ?? false;
  const client = useMemo(
    () =>
      createClient({
        baseUrl,
        auth: cookie ? { kind: 'cookie' } : token !== undefined ? { kind: 'bearer', token } : { kind: 'none' },
        onError: (e) => {
          // An expired or revoked session: back to sign-in (not for a wrong password).
          if (e.status === 401 && e.code !== 'invalid_credentials' && load()) {
            update(null);
            queryClient.clear();
          }
        },
      }),
    [baseUrl, token, cookie, update, queryClient],
  );

  const value = useMemo<SessionValue>(
    () => ({
      session,
      restoring,
      client,
      async signInWithPassword(email, password) {
        const anon = createClient({ baseUrl });
        const r = await anon.auth.login({ email, password, audience: 'portal' });
        queryClient.clear();
        update({ kind: 'user', token: r.token, tenantId: r.tenantId, userId: r.userId, sessionId: r.sessionId });
      },
      async signInAsProvider(token) {
        const probe = createClient({ baseUrl, token });
        const tenants = await probe.tenants.list({ limit: 1 });
        queryClient.clear();
        update({ kind: 'provider', token, tenantId: tenants.items[0]?.id ?? null });
      },
      setTenant(tenantId) {
        if (session) {
          queryClient.clear();
          update({ ...session, tenantId });
        }
      },
      async signOut() {
        if (session?.kind === 'user') await client.auth.logout().catch(() => undefined);
        queryClient.clear();
        update(null);
      },
    }),
    [session, restoring, client, baseUrl, update, queryClient],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
