/**
 * The user editor: tabs as in the product documents and, as the admin edits, the server's preview of
 * the save (`POST …/preview`, one request per draft, debounced and cached per body): the user it leads
 * to (automatic assignment included), its billable impact, the rules it would break (the summary before
 * saving) and every option weighed by the change rules (the greying, with each reason's rule id).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Tabs, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { Tenant, User } from '../../../../client/index.js';
import { qk, useTenantId } from '../../api/hooks.js';
import { ChangeSummaryModal, NamesProvider } from '../../components/change-summary-view.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import type { ActorPowers } from '../../lib/actor.js';
import { describeBlock } from '../../lib/problem-message.js';
import {
  buildUserPatch,
  controlState,
  summaryFromPreview,
  superiorViolation,
  userAfter,
  type ControlId,
} from '../../lib/change-preview.js';
import { useSession } from '../../session.js';
import { ContactCenterTab } from './contact-center-tab.js';
import { DetailsTab } from './details-tab.js';
import type { EditorContext, EditorLookups, TabProps } from './editor-kit.js';
import { FeaturesTab } from './features-tab.js';
import { GroupsTab } from './groups-tab.js';
import { LicencesTab } from './licences-tab.js';
import { PortalAccessTab } from './portal-access-tab.js';
import { ProfileTab } from './profile-tab.js';
import { SessionsTab } from './sessions-tab.js';
import { UcClientTab } from './uc-client-tab.js';
import { WorkspacesTab } from './workspaces-tab.js';

export const EDITOR_TABS = [
  'details',
  'licences',
  'portal',
  'profile',
  'contact-center',
  'uc-client',
  'features',
  'groups',
  'workspaces',
  'sessions',
] as const;
export type EditorTab = (typeof EDITOR_TABS)[number];
const CREATE_TABS: readonly EditorTab[] = ['details', 'portal', 'profile', 'contact-center', 'groups', 'workspaces'];

/**
 * The tabs of the editor. New users are manual. Manual users get the Contact center tab (Contact Admin is
 * for any user with website access; its queue roles, G14, show for platform users only) but no UC client.
 */
export function editorTabs(source: User['source'], creating: boolean): readonly EditorTab[] {
  if (creating) return CREATE_TABS;
  return source === 'manual' ? EDITOR_TABS.filter((x) => x !== 'uc-client') : EDITOR_TABS;
}

export interface UserEditorProps {
  saved: User | null;
  initial: User;
  tenant: Tenant | null;
  actor: ActorPowers;
  lookups: EditorLookups;
  tab: EditorTab;
  onTab: (tab: EditorTab) => void;
  onReload: () => void;
}

export function UserEditor({ saved, initial, tenant, actor, lookups, tab, onTab, onReload }: UserEditorProps) {
  const tr = useI18n();
  const { t } = tr;
  const { client } = useSession();
  const tenantId = useTenantId()!;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const creating = saved === null;
  const [draft, setDraft] = useState<User>(initial);
  const [password, setPassword] = useState('');
  const [reviewing, setReviewing] = useState(false);
  useEffect(() => {
    setDraft(initial);
    setPassword('');
  }, [initial]);

  const update = useCallback((fn: (u: User) => User) => setDraft((d) => fn(d)), []);
  // The server's preview of the save this draft amounts to: the same body the save sends. Asked for
  // every draft (an unchanged one too: it weighs the options), a moment after the admin stops typing.
  const body = useMemo(() => {
    const patch = buildUserPatch(saved ?? initial, draft);
    return creating && draft.displayName.trim() ? { ...patch, displayName: draft.displayName } : patch;
  }, [saved, initial, draft, creating]);
  const [asked] = useDebouncedValue(body, 200);
  const preview = useQuery({
    queryKey: ['user-preview', tenantId, saved?.id ?? null, asked],
    queryFn: () => client.users.preview(tenantId, saved?.id ?? null, asked),
    enabled: !!tenantId,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const current = preview.data ?? null;
  // The form shows the user the change leads to (A1, A2, A4 as the server applies them), once the
  // server has answered for this very draft (an earlier answer would undo the admin's last click).
  const changed = creating || Object.keys(body).length > 0;
  const fresh = !preview.isPlaceholderData && asked === body;
  const shown = useMemo(() => (changed && fresh ? userAfter(draft, current) : draft), [changed, fresh, draft, current]);
  const ctx: EditorContext = useMemo(() => ({ tenant, actor }), [tenant, actor]);
  const pending = preview.isPending && !preview.isError;
  const state = useCallback((id: ControlId) => controlState(current, id, pending), [current, pending]);
  // C9: a user holding powers the actor lacks cannot be changed by it at all (the server's refusal of any change).
  const superior = saved ? superiorViolation(current) : null;
  const summary = useMemo(() => {
    const s = summaryFromPreview(saved, initial, draft, changed ? current : null);
    return password && !creating
      ? { ...s, changes: [...s.changes, { field: 'password', kind: 'set' as const, to: '••••••' }], empty: false }
      : s;
  }, [saved, initial, draft, current, changed, password, creating]);

  const save = useMutation({
    mutationFn: async () => {
      if (creating) {
        const body = buildUserPatch(initial, draft, password || undefined);
        return client.users.create(tenantId, { ...body, displayName: draft.displayName });
      }
      return client.users.update(
        tenantId,
        saved.id,
        buildUserPatch(saved, draft, password || undefined),
        saved.version,
      );
    },
    onSuccess: async (user) => {
      setReviewing(false);
      queryClient.setQueryData(qk.user(tenantId, user.id), user);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: qk.access(tenantId, user.id) }),
        queryClient.invalidateQueries({ queryKey: ['users', tenantId] }),
        queryClient.invalidateQueries({ queryKey: qk.usage(tenantId) }),
      ]);
      if (creating) void navigate(`/users/${encodeURIComponent(user.id)}`, { replace: true });
    },
  });

  const names = useMemo(
    () =>
      new Map<string, string>([
        ...lookups.groups.map((g) => [g.id, g.name] as const),
        ...lookups.queues.map((q) => [q.id, q.name] as const),
        ...lookups.workspaces.map((w) => [w.id, w.name] as const),
        ...lookups.profiles.map((p) => [p.id, p.name] as const),
        ...(draft.devices ?? []).map((d) => [d.id, d.name] as const),
      ]),
    [lookups, draft.devices],
  );

  const contentLevels = current?.contentLevels ?? [];
  const props: TabProps = { draft: shown, update, state, ctx, lookups, creating, contentLevels };
  const tabs = editorTabs(draft.source, creating);
  const currentTab = tabs.includes(tab) ? tab : 'details';
  const changeCount = summary.changes.length;

  return (
    <NamesProvider names={names}>
      <PageHeader
        title={creating ? t('editor.newTitle') : draft.displayName || t('editor.untitled')}
        description={creating ? t('editor.newHelp') : `${draft.email ?? ''}`}
        actions={
          !creating && (
            <Group gap={6}>
              <Badge variant="light" color={draft.source === 'platform' ? 'blue' : 'gray'}>
                {t(`source.${draft.source}`)}
              </Badge>
              <Badge variant="dot" color={draft.status === 'active' ? 'teal' : 'orange'}>
                {t(`status.${draft.status}`)}
              </Badge>
            </Group>
          )
        }
      />
      {superior && (
        <Alert color="orange" variant="light" mb="md" data-testid="superior-user">
          {describeBlock(superior, tr)}
        </Alert>
      )}
      <Tabs value={currentTab} onChange={(v) => v && onTab(v as EditorTab)} keepMounted={false}>
        <Tabs.List mb="md" style={{ flexWrap: 'wrap' }}>
          {tabs.map((x) => (
            <Tabs.Tab key={x} value={x}>
              {t(`editor.tab.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="details">
          <DetailsTab {...props} password={password} setPassword={setPassword} />
        </Tabs.Panel>
        <Tabs.Panel value="licences">
          <LicencesTab {...props} />
        </Tabs.Panel>
        <Tabs.Panel value="portal">
          <PortalAccessTab {...props} />
        </Tabs.Panel>
        <Tabs.Panel value="profile">
          <ProfileTab {...props} />
        </Tabs.Panel>
        <Tabs.Panel value="contact-center">
          <ContactCenterTab {...props} />
        </Tabs.Panel>
        <Tabs.Panel value="uc-client">
          <UcClientTab {...props} />
        </Tabs.Panel>
        <Tabs.Panel value="features">
          <FeaturesTab {...props} homeRegion={tenant?.homeRegion ?? null} plan={tenant?.plan ?? null} />
        </Tabs.Panel>
        <Tabs.Panel value="groups">
          <GroupsTab {...props} />
        </Tabs.Panel>
        <Tabs.Panel value="workspaces">
          <WorkspacesTab {...props} />
        </Tabs.Panel>
        {saved && (
          <Tabs.Panel value="sessions">
            <SessionsTab user={saved} />
          </Tabs.Panel>
        )}
      </Tabs>
      {currentTab !== 'sessions' && (
        <Paper withBorder shadow="sm" p="sm" mt="lg" pos="sticky" bottom={8} style={{ zIndex: 5 }}>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" role="status">
              {changeCount ? t('editor.unsaved', { count: changeCount }) : t('editor.noChanges')}
            </Text>
            <Group gap="xs">
              <Button
                variant="default"
                disabled={!changeCount}
                onClick={() => {
                  setDraft(initial);
                  setPassword('');
                }}
              >
                {t('editor.discard')}
              </Button>
              <Button
                disabled={!changeCount || superior !== null || (creating && !draft.displayName.trim())}
                onClick={() => {
                  save.reset();
                  setReviewing(true);
                }}
              >
                {t('editor.review')}
              </Button>
            </Group>
          </Group>
        </Paper>
      )}
      <ChangeSummaryModal
        opened={reviewing}
        summary={summary}
        checking={preview.isFetching || asked !== body}
        saving={save.isPending}
        error={save.error}
        onConfirm={() => save.mutate()}
        onClose={() => setReviewing(false)}
        onReload={() => {
          setReviewing(false);
          save.reset();
          onReload();
        }}
      />
    </NamesProvider>
  );
}
