/** Sessions (S1-S3): who holds a seat now, by name and email; end any session (users:edit). */
import { Button, Table, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { qk, useActor, useTenantId } from '../api/hooks.js';
import { PageHeader } from '../components/page-header.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { QueryState } from '../components/query-state.js';
import { useI18n } from '../i18n/index.js';
import { actorCan } from '../lib/actor.js';
import { formatDateTime } from '../lib/format.js';
import { personLabel } from '../lib/labels.js';
import { useSession } from '../session.js';
import { EmptyTableRow } from '../components/empty-table-row.js';

export function SessionsPage() {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const queryClient = useQueryClient();
  // Ending a session is users:edit on the server (C1); a viewer sees the list without the action.
  const canEnd = actorCan(useActor().actor, 'users:edit');
  const sessions = useQuery({
    queryKey: qk.sessions(tenantId),
    queryFn: () => client.sessions.list(tenantId),
    enabled: !!tenantId,
    refetchInterval: 20_000,
  });
  const end = useMutation({
    mutationFn: (id: string) => client.sessions.end(tenantId, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: qk.sessions(tenantId) }),
  });
  return (
    <>
      <PageHeader title={t('nav.sessions')} description={t('sessions.description')} />
      {end.error ? <ProblemAlert error={end.error} onClose={() => end.reset()} /> : null}
      {!canEnd && (
        <Text size="sm" c="dimmed" mb="sm">
          {t('sessions.endNeeds')}
        </Text>
      )}
      <QueryState query={sessions} what={t('nav.sessions')}>
        {(page) => (
          <Table withTableBorder striped aria-label={t('nav.sessions')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sessions.user')}</Table.Th>
                <Table.Th>{t('sessions.audience')}</Table.Th>
                <Table.Th>{t('sessions.started')}</Table.Th>
                <Table.Th>{t('sessions.lastSeen')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Link to={`/users/${encodeURIComponent(s.userId)}/sessions`}>
                      {personLabel({ id: s.userId, displayName: s.displayName, email: s.email })}
                    </Link>
                    {s.email && s.displayName?.trim() ? (
                      <Text size="xs" c="dimmed">
                        {s.email}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{t(`audience.${s.audience}`)}</Table.Td>
                  <Table.Td>{formatDateTime(s.createdAt, lang)}</Table.Td>
                  <Table.Td>{formatDateTime(s.lastSeenAt, lang)}</Table.Td>
                  <Table.Td>
                    <Tooltip label={t('sessions.endNeeds')} disabled={canEnd}>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        disabled={!canEnd}
                        onClick={() => end.mutate(s.id)}
                      >
                        {t('sessions.end')}
                      </Button>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
              {page.items.length === 0 && <EmptyTableRow columns={5}>{t('sessions.none')}</EmptyTableRow>}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}
