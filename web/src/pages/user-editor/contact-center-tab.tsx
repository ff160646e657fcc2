/**
 * Contact center (seed 001): Contact Admin, an administrative role for any user with website access
 * (manual users included), and agent / supervisor per queue, for platform users only (G14, C7).
 */
import { Alert, Badge, Checkbox, Stack, Table, Text } from '@mantine/core';
import { DisabledReason, reasonId } from '../../components/disabled-reason.js';
import { useI18n } from '../../i18n/index.js';
import { GuardedToggle, toggleIn, type TabProps } from './editor-kit.js';

type Role = 'agent' | 'supervisor';

export function ContactCenterTab({ draft, update, state, lookups }: TabProps) {
  const { t } = useI18n();
  const setRole = (queueId: string, role: Role, on: boolean) =>
    update((u) => {
      const roles = toggleIn(u.contactCenter.queues[queueId] ?? [], role, on);
      const queues = { ...u.contactCenter.queues };
      if (roles.length) queues[queueId] = roles;
      else delete queues[queueId];
      return { ...u, contactCenter: { ...u.contactCenter, queues } };
    });
  const agentState = (q: string) => state(`queue.agent:${q}`);
  const supState = (q: string) => state(`queue.supervisor:${q}`);
  return (
    <Stack maw={820}>
      <GuardedToggle
        id="contactCenter.admin"
        kind="switch"
        label={t('cc.admin')}
        description={t('cc.adminHelp')}
        checked={draft.contactCenter.admin}
        state={state('contactCenter.admin')}
        onChange={(on) => update((u) => ({ ...u, contactCenter: { ...u.contactCenter, admin: on } }))}
      />
      {draft.source !== 'platform' ? (
        <Text size="sm" c="dimmed" data-testid="cc-manual">
          {t('cc.manualHelp')}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t('cc.rolesHelp')}
        </Text>
      )}
      {draft.source === 'platform' && (
        <Text size="sm" c="dimmed">
          {t('cc.acdHelp')}
        </Text>
      )}
      {draft.source !== 'platform' ? null : lookups.queues.length === 0 ? (
        <Alert color="gray">{t('cc.noQueues')}</Alert>
      ) : (
        <Table withTableBorder striped aria-label={t('cc.queues')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('cc.queue')}</Table.Th>
              <Table.Th>{t('cc.kind')}</Table.Th>
              <Table.Th>{t('queueRole.agent')}</Table.Th>
              <Table.Th>{t('queueRole.supervisor')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lookups.queues.map((q) => {
              const roles = draft.contactCenter.queues[q.id] ?? [];
              const a = agentState(q.id);
              const s = supState(q.id);
              return (
                <Table.Tr key={q.id}>
                  <Table.Th scope="row">
                    {q.name}
                    {draft.acdQueueIds?.includes(q.id) && (
                      <Badge ml="xs" size="xs" variant="outline" title={t('cc.acdMember')}>
                        {t('cc.acd')}
                      </Badge>
                    )}
                    {q.wrapUpSeconds > 0 && (
                      <Badge ml="xs" size="xs" variant="light">
                        {t('cc.wrapUp', { seconds: q.wrapUpSeconds })}
                      </Badge>
                    )}
                  </Table.Th>
                  <Table.Td>{t(`queueKind.${q.kind}`)}</Table.Td>
                  <Table.Td>
                    <Checkbox
                      aria-label={t('cc.agentOf', { queue: q.name })}
                      checked={roles.includes('agent')}
                      disabled={a.disabled && !roles.includes('agent')}
                      aria-describedby={a.reasons.length ? reasonId(`queue.agent:${q.id}`) : undefined}
                      onChange={(e) => setRole(q.id, 'agent', e.currentTarget.checked)}
                    />
                    <DisabledReason state={a} id={reasonId(`queue.agent:${q.id}`)} />
                  </Table.Td>
                  <Table.Td>
                    <Checkbox
                      aria-label={t('cc.supervisorOf', { queue: q.name })}
                      checked={roles.includes('supervisor')}
                      disabled={s.disabled && !roles.includes('supervisor')}
                      aria-describedby={s.reasons.length ? reasonId(`queue.supervisor:${q.id}`) : undefined}
                      onChange={(e) => setRole(q.id, 'supervisor', e.currentTarget.checked)}
                    />
                    <DisabledReason state={s} id={reasonId(`queue.supervisor:${q.id}`)} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
