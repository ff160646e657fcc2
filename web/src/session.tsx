/**
 * Who is signed in and the SDK client they use. A tenant user signs in with email and password
 * (POST /v1/auth/login, audience portal) or OIDC; either way the server sets the portal cookies
 * (HttpOnly `sb_session`, readable `sb_csrf`) and the portal authenticates with them: the session
 * token never reaches JavaScript or storage, so a script injected into the page cannot carry it off.
 * After a reload, the readable `sb_csrf` cookie says a session may be there and `GET /v1/me` (with
 * the cookie) says whose it is. The provider signs in with the provider token, kept in memory only:
 * a reload asks for it again (it is the whole deployment's key, and no cookie carries it).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, createClient, readCookie, type SwitchboardClient } from '../../client/index.js';

export interface SessionState {
  kind: 'user' | 'provider';
  tenantId: string | null;
  userId?: string;
  /** The provider token (memory only); users authenticate by the portal cookie. */
  providerToken?: string;
}

/** The organisations a person chooses between when one email and password open several (G2). */
export interface OrganisationChoice {
  tenantId: string;
  name: string;
}

/** The login answer "choose the organisation" (409 `organisation_choice_required`, G2), or null. */
export function organisationChoice(err: unknown): OrganisationChoice[] | null {
  if (!(err instanceof ApiError) || err.code !== 'organisation_choice_required') return null;
  const list = (err.problem as { organisations?: unknown }).organisations;
  return Array.isArray(list) ? (list as OrganisationChoice[]) : null;
}

interface SessionValue {
  session: SessionState | null;
  /** True while a cookie session (after a reload or an OIDC sign-in) is being looked up. */
  restoring: boolean;
  client: SwitchboardClient;
  /** `tenantId`: the organisation chosen after `organisationChoice` (G2). */
  signInWithPassword: (email: string, password: string, tenantId?: string) => Promise<void>;
  signInAsProvider: (token: string) => Promise<void>;
  /** An operator's single-use sign-in link (`switchboard demo`, I3). */
  signInWithLink: (token: string) => Promise<void>;
  setTenant: (tenantId: string | null) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children, baseUrl = '' }: { children: ReactNode; baseUrl?: string }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<SessionState | null>(null);
  const current = useRef<SessionState | null>(null);
  const update = useCallback((s: SessionState | null) => {
    current.current = s;
    setSession(s);
  }, []);
  const [restoring, setRestoring] = useState(() => readCookie('sb_csrf') !== undefined);
  // Looks the cookie session up once: `restoring` only goes from true to false, and `update` is stable.
  useEffect(() => {
    if (!restoring) return;
    createClient({ baseUrl, auth: { kind: 'cookie' } })
      .me.get()
      .then((me) => update({ kind: 'user', tenantId: me.tenantId, userId: me.id }))
      .catch(() => undefined)
      .finally(() => setRestoring(false));
  }, [restoring, baseUrl, update]);

  // The client changes with the credentials only, not with the tenant picked (`setTenant`).
  const kind = session?.kind;
  const providerToken = session?.providerToken;
  const client = useMemo(
    () =>
      createClient({
        baseUrl,
        auth:
          kind === 'provider' && providerToken
            ? { kind: 'bearer', token: providerToken }
            : kind === 'user'
              ? { kind: 'cookie' }
              : { kind: 'none' },
        onError: (e) => {
          // An expired or revoked session: back to sign-in (not for a wrong password).
          if (e.status === 401 && e.code !== 'invalid_credentials' && current.current) {
            update(null);
            queryClient.clear();
          }
        },
      }),
    [baseUrl, kind, providerToken, update, queryClient],
  );

  const value = useMemo<SessionValue>(
    () => ({
      session,
      restoring,
      client,
      async signInWithPassword(email, password, tenantId) {
        const anon = createClient({ baseUrl });
        const r = await anon.auth.login({ email, password, audience: 'portal', ...(tenantId ? { tenantId } : {}) });
        queryClient.clear();
        update({ kind: 'user', tenantId: r.tenantId, userId: r.userId });
      },
      async signInWithLink(token) {
        const r = await createClient({ baseUrl }).auth.signInWithLink(token);
        queryClient.clear();
        update({ kind: 'user', tenantId: r.tenantId, userId: r.userId });
      },
      async signInAsProvider(token) {
        const probe = createClient({ baseUrl, token });
        const tenants = await probe.tenants.list({ limit: 1 });
        queryClient.clear();
        update({ kind: 'provider', providerToken: token, tenantId: tenants.items[0]?.id ?? null });
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
