/** /users/:userId/:tab: loads the user and the lookups, then the editor (which asks the server's preview for its greying). */
import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { qk, useActor, useTenant, useTenantId } from '../../api/hooks.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useEditorLookups } from './use-editor-lookups.js';
import { UserEditor, type EditorTab } from './user-editor.js';

export function UserEditorPage() {
  const { t } = useI18n();
  const { userId = '', tab = 'details' } = useParams();
  const navigate = useNavigate();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const user = useQuery({
    queryKey: qk.user(tenantId, userId),
    queryFn: () => client.users.get(tenantId, userId),
    enabled: !!tenantId,
  });
  const tenant = useTenant();
  const { actor, loading } = useActor();
  const { lookups } = useEditorLookups();
  if (loading)
    return (
      <Center p="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  return (
    <QueryState query={user} what={t('nav.users')}>
      {(u) => (
        <UserEditor
          saved={u}
          initial={u}
          tenant={tenant.data ?? null}
          actor={actor}
          lookups={lookups}
          tab={tab as EditorTab}
          onTab={(x) => navigate(`/users/${encodeURIComponent(userId)}/${x}`, { replace: true })}
          onReload={() => {
            void user.refetch();
          }}
        />
      )}
    </QueryState>
  );
}
