/** The lists the user editor needs (groups, queues, workspaces, profiles, usage); missing endpoints give empty lists. */
import { useQuery } from '@tanstack/react-query';
import { qk, retryUnlessClientError, useNamedList, useTenantId } from '../../api/hooks.js';
import { useSession } from '../../session.js';
import type { EditorLookups } from './editor-kit.js';

export function useEditorLookups(): { lookups: EditorLookups; loading: boolean } {
  const { client } = useSession();
  const tenantId = useTenantId();
  const groups = useNamedList('groups');
  const queues = useNamedList('queues');
  const workspaces = useNamedList('workspaces');
  const profiles = useNamedList('profiles');
  const usage = useQuery({
    queryKey: qk.usage(tenantId ?? ''),
    queryFn: () => client.usage.get(tenantId!),
    enabled: !!tenantId,
    retry: retryUnlessClientError,
  });
  return {
    lookups: {
      groups: groups.data ?? [],
      queues: queues.data ?? [],
      workspaces: workspaces.data ?? [],
      profiles: profiles.data ?? [],
      usage: usage.data ?? null,
    },
    loading: groups.isLoading || queues.isLoading || workspaces.isLoading || profiles.isLoading,
  };
}
