/** "+ New user": a manual user (portal-only, G4) created with the same editor, starting from the server's defaults. */
import { useMemo, useState } from 'react';
import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ChangePreview, User } from '../../../../client/index.js';
import { useActor, useTenant, useTenantId } from '../../api/hooks.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { useEditorLookups } from './use-editor-lookups.js';
import { UserEditor, type EditorTab } from './user-editor.js';

/** The form's start: the user an empty create would make, as the server's preview says. */
function blankUser(tenantId: string, defaults: NonNullable<ChangePreview['user']>): User {
  return {
    ...defaults,
    id: '',
    tenantId,
    externalId: null,
    extension: null,
    devices: [],
    hasPassword: false,
    displayName: '',
    email: defaults.email ?? '',
    createdAt: '',
    updatedAt: '',
    version: 0,
  };
}

export function NewUserPage() {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const defaults = useQuery({
    queryKey: ['user-preview', tenantId, null, {}],
    queryFn: () => client.users.preview(tenantId, null, {}),
    enabled: !!tenantId,
    staleTime: Infinity,
  });
  const initial = useMemo(
    () => (defaults.data?.user ? blankUser(tenantId, defaults.data.user) : null),
    [tenantId, defaults.data],
  );
  const tenant = useTenant();
  const { actor } = useActor();
  const { lookups } = useEditorLookups();
  const [tab, setTab] = useState<EditorTab>('details');
  if (!initial)
    return (
      <Center p="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  return (
    <UserEditor
      saved={null}
      initial={initial}
      tenant={tenant.data ?? null}
      actor={actor}
      lookups={lookups}
      tab={tab}
      onTab={setTab}
      onReload={() => undefined}
    />
  );
}
