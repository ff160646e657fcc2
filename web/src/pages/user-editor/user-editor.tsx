/**
 * The user editor: tabs as in the product documents, a draft with the automatic rules applied as
 * the admin edits, greying from /access, and a summary (with billable impact) before saving.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Tabs, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { AccessAnswer, Tenant, User } from '../../../../client/index.js';
import { qk, useTenantId } from '../../api/hooks.js';
import { ChangeSummaryModal, NamesProvider } from '../../components/change-summary-view.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { actorCan, type ActorPowers } from '../../lib/actor.js';
import { controlState, superiorBlock, type ControlId, type GreyingContext } from '../../lib/access-greying.js';
import { describeBlock } from '../../lib/problem-message.js';
import { summariseChanges } from '../../lib/change-summary.js';
import { applyAutomaticRules, buildUserPatch } from '../../lib/user-draft.js';
import { useSession } from '../../session.js';
import { ContactCenterTab } from './contact-center-tab.js';
import { DetailsTab } from './details-tab.js';
import type { EditorLookups, TabProps } from './editor-kit.js';
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
  access: AccessAnswer | null;
  tenant: Tenant | null;
  actor: ActorPowers;
  lookups: EditorLookups;
  tab: EditorTab;
  onTab: (tab: EditorTab) => void;
  onReload: () => void;
}

export function UserEditor({ saved, initial, access, tenant, actor, lookups, tab, onTab, onReload }: UserEditorProps) {
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

  // A2 gives when this edit gives its trigger (compared with the saved user), not on every save.
  const update = useCallback((fn: (u: User) => User) => setDraft((d) => applyAutomaticRules(fn(d), saved)), [saved]);
  const ctx: GreyingContext = useMemo(() => ({ user: draft, access, tenant, actor }), [draft, access, tenant, actor]);
  const state = useCallback((id: ControlId) => controlState(id, ctx), [ctx]);
  // C9: a user holding powers the actor lacks cannot be changed by it at all (the saved user decides).
  const superior = useMemo(
    () => (saved ? superiorBlock({ user: saved, access, tenant, actor }) : null),
    [saved, access, tenant, actor],
  );
  const summary = useMemo(() => {
    const s = summariseChanges(saved, draft, { actorCanBill: actorCan(actor, 'billing:edit') });
    return password && !creating
      ? { ...s, changes: [...s.changes, { field: 'password', kind: 'set' as const, to: '••••••' }], empty: false }
      : s;
  }, [saved, draft, actor, password, creating]);

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

  const props: TabProps = { draft, update, state, ctx, lookups, creating };
  const tabs = editorTabs(draft.source, creating);
  const current = tabs.includes(tab) ? tab : 'details';
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
      <Tabs value={current} onChange={(v) => v && onTab(v as EditorTab)} keepMounted={false}>
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
      {current !== 'sessions' && (
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
