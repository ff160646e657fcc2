/** Query hooks shared by the screens: the tenant in scope, the actor's powers, small lookup lists. */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Group, Page, Profile, Queue, Tenant, Workspace } from '../../../client/index.js';
import { isApiError } from '../../../client/index.js';
import { actorFromCapabilities, PROVIDER_ACTOR, type ActorPowers } from '../lib/actor.js';
import { useSession } from '../session.js';

export const qk = {
  tenant: (t: string) => ['tenant', t] as const,
  tenants: () => ['tenants'] as const,
  me: () => ['me'] as const,
  meConfig: () => ['me', 'config'] as const,
  users: (t: string, filters: unknown) => ['users', t, filters] as const,
  user: (t: string, u: string) => ['user', t, u] as const,
  access: (t: string, u: string) => ['user', t, u, 'access'] as const,
  list: (t: string, what: string) => ['list', t, what] as const,
  usage: (t: string) => ['usage', t] as const,
  rolePermissions: (t: string) => ['role-permissions', t] as const,
  audit: (t: string, f: unknown) => ['audit', t, f] as const,
  sessions: (t: string) => ['sessions', t] as const,
};

/** The tenant the screens act on (the user's own, or the one the provider picked). */
export function useTenantId(): string | null {
  return useSession().session?.tenantId ?? null;
}

/** Retry except on answers a retry cannot change (4xx). */
export function retryUnlessClientError(count: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return count < 2;
}

export function useTenant(): UseQueryResult<Tenant> {
  const { client } = useSession();
  const t = useTenantId();
  return useQuery({
    queryKey: qk.tenant(t ?? ''),
    queryFn: () => client.tenants.get(t!),
    enabled: !!t,
    staleTime: 30_000,
  });
}

/** What the signed-in actor may do: the provider everything; a user their effective capabilities. */
export function useActor(): { actor: ActorPowers; loading: boolean } {
  const { client, session } = useSession();
  const provider = session?.kind === 'provider';
  const me = useQuery({
    queryKey: qk.me(),
    queryFn: () => client.me.get(),
    enabled: !!session && !provider,
    staleTime: 60_000,
    retry: retryUnlessClientError,
  });
  const cfg = useQuery({
    queryKey: qk.meConfig(),
    queryFn: () => client.me.config(),
    enabled: !!session && !provider,
    staleTime: 30_000,
    retry: retryUnlessClientError,
  });
  if (provider) return { actor: PROVIDER_ACTOR, loading: false };
  const superuser = me.data?.profile?.kind === 'superuser';
  return {
    actor: actorFromCapabilities(cfg.data?.capabilities ?? [], { superuser }),
    loading: cfg.isLoading,
  };
}

/** Every item of a small tenant list (groups, queues...), following cursors. */
async function fetchAll<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, max = 20): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < max; i++) {
    const page: Page<T> = await fetchPage(cursor);
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

type NamedList = 'groups' | 'queues' | 'workspaces' | 'profiles';
type ItemOf<K extends NamedList> = K extends 'groups'
  ? Group
  : K extends 'queues'
    ? Queue
    : K extends 'workspaces'
      ? Workspace
      : Profile;

export function useNamedList<K extends NamedList>(what: K): UseQueryResult<ItemOf<K>[]> {
  const { client } = useSession();
  const t = useTenantId();
  return useQuery<ItemOf<K>[], Error>({
    queryKey: qk.list(t ?? '', what),
    queryFn: () => fetchAll((cursor) => client[what].list(t!, { cursor, limit: 500 }) as Promise<Page<ItemOf<K>>>),
    enabled: !!t,
    staleTime: 30_000,
    retry: retryUnlessClientError,
  });
}

/** True when an error means "this endpoint is not there yet". */
export function isNotAvailable(error: unknown): boolean {
  return isApiError(error) && (error.status === 404 || error.status === 501);
}
