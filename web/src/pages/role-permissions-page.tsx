/** Role permissions (seed 001): Organisation, Supervisor and Agent tabs; viewQueueSettings shown locked on. */
import { useEffect, useState } from 'react';
import { Group, Paper, Stack, Switch, Tabs, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import type { RolePermissionsDoc } from '../../../client/index.js';
import { LOCKED_ROLE_PERMISSIONS } from '../../../src/contract/index.js';
import { qk, useActor, useTenantId } from '../api/hooks.js';
import { DisabledReason, reasonId } from '../components/disabled-reason.js';
import { GatedButton } from '../components/gated-button.js';
import { PageHeader } from '../components/page-header.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { QueryState } from '../components/query-state.js';
import { useI18n } from '../i18n/index.js';
import { actorCan } from '../lib/actor.js';
import { useSession } from '../session.js';

type Section = 'organisation' | 'supervisor' | 'agent';
const SECTIONS: Section[] = ['organisation', 'supervisor', 'agent'];
const isLocked = (s: Section, key: string) => LOCKED_ROLE_PERMISSIONS.some(([a, b]) => a === s && b === key);

function RolePermissionsForm({ saved }: { saved: RolePermissionsDoc }) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId()!;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { tab = 'organisation' } = useParams();
  const { actor } = useActor();
  const canEdit = actorCan(actor, 'cc:admin');
  const [doc, setDoc] = useState(saved);
  useEffect(() => setDoc(saved), [saved]);
  const save = useMutation({
    mutationFn: () =>
      client.rolePermissions.put(
        tenantId,
        { organisation: doc.organisation, supervisor: doc.supervisor, agent: doc.agent },
        saved.version,
      ),
    onSuccess: (next) => queryClient.setQueryData(qk.rolePermissions(tenantId), next),
  });
  const dirty = JSON.stringify(doc) !== JSON.stringify(saved);
  const set = (s: Section, key: string, on: boolean) => setDoc((d) => ({ ...d, [s]: { ...d[s], [key]: on } }));
  const noEdit = { rule: 'C7', code: 'cc_admin_required', detail: 'role permissions need Contact Admin' };
  return (
    <Stack>
      {save.error ? (
        <ProblemAlert
          error={save.error}
          onReload={() => {
            save.reset();
            void queryClient.invalidateQueries({ queryKey: qk.rolePermissions(tenantId) });
          }}
        />
      ) : null}
      <Tabs
        value={SECTIONS.includes(tab as Section) ? tab : 'organisation'}
        onChange={(v) => v && navigate(`/role-permissions/${v}`, { replace: true })}
      >
        <Tabs.List mb="md">
          {SECTIONS.map((s) => (
            <Tabs.Tab key={s} value={s}>
              {t(`roles.tab.${s}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {SECTIONS.map((s) => (
          <Tabs.Panel key={s} value={s}>
            <Paper withBorder p="md" maw={760}>
              <Stack>
                <Text size="sm" c="dimmed">
                  {t(`roles.intro.${s}`)}
                </Text>
                {Object.entries(doc[s]).map(([key, value]) => {
                  const locked = isLocked(s, key);
                  const reasons = locked
                    ? [{ rule: 'S5', code: 'locked_setting', detail: '' }]
                    : !canEdit
                      ? [noEdit]
                      : [];
                  const id = `role-${s}-${key}`;
                  return (
                    <Stack key={key} gap={2}>
                      <Switch
                        label={t(`roles.${s}.${key}`)}
                        description={t(`roles.${s}.${key}.help`)}
                        checked={locked ? true : Boolean(value)}
                        disabled={locked || !canEdit}
                        data-setting={`${s}.${key}`}
                        aria-describedby={reasons.length ? reasonId(id) : undefined}
                        onChange={(e) => set(s, key, e.currentTarget.checked)}
                      />
                      <div style={{ paddingLeft: 56 }}>
                        {locked ? (
                          <Text id={reasonId(id)} size="xs" c="dimmed" data-testid="disabled-reason">
                            🔒 {t('roles.lockedOn')}
                          </Text>
                        ) : (
                          <DisabledReason state={{ disabled: true, locked: false, reasons }} id={reasonId(id)} />
                        )}
                      </div>
                    </Stack>
                  );
                })}
              </Stack>
            </Paper>
          </Tabs.Panel>
        ))}
      </Tabs>
      <Group>
        <GatedButton
          needs="cc:admin"
          rule="C7"
          onClick={() => save.mutate()}
          disabled={!dirty}
          loading={save.isPending}
        >
          {t('common.save')}
        </GatedButton>
        {save.isSuccess && !dirty && (
          <Text size="sm" c="teal.9" role="status">
            {t('common.saved')}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

export function RolePermissionsPage() {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const query = useQuery({
    queryKey: qk.rolePermissions(tenantId),
    queryFn: () => client.rolePermissions.get(tenantId),
    enabled: !!tenantId,
  });
  return (
    <>
      <PageHeader title={t('nav.rolePermissions')} description={t('roles.description')} />
      <QueryState query={query} what={t('nav.rolePermissions')}>
        {(doc) => <RolePermissionsForm saved={doc} />}
      </QueryState>
    </>
  );
}
