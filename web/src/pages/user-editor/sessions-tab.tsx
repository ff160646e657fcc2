/** Sessions: the user's live sessions (seat holders) and forced logout of all of them (S3, D5). */
import { useState } from 'react';
import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '../../../../client/index.js';
import { isNotAvailable, qk, useTenantId } from '../../api/hooks.js';
import { NotAvailable } from '../../components/not-available.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { useI18n } from '../../i18n/index.js';
import { formatDateTime } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { EmptyTableRow } from '../../components/empty-table-row.js';

export function SessionsTab({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId()!;
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const sessions = useQuery({
    queryKey: [...qk.sessions(tenantId), user.id],
    queryFn: async () =>
      (await client.sessions.list(tenantId, { userId: user.id })).items.filter((s) => s.userId === user.id),
  });
  async function forceLogout() {
    setError(null);
    try {
      await client.users.endSessions(tenantId, user.id);
      setDone(true);
      await queryClient.invalidateQueries({ queryKey: qk.sessions(tenantId) });
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Stack maw={720}>
      <Text size="sm" c="dimmed">
        {t('sessions.userIntro')}
      </Text>
      {error ? <ProblemAlert error={error} /> : null}
      {done && (
        <Text size="sm" role="status" c="teal.9">
          {t('sessions.loggedOut')}
        </Text>
      )}
      {sessions.error && isNotAvailable(sessions.error) ? (
        <NotAvailable what={t('nav.sessions')} />
      ) : (
        <Table withTableBorder aria-label={t('nav.sessions')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sessions.audience')}</Table.Th>
              <Table.Th>{t('sessions.started')}</Table.Th>
              <Table.Th>{t('sessions.lastSeen')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(sessions.data ?? []).map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{t(`audience.${s.audience}`)}</Table.Td>
                <Table.Td>{formatDateTime(s.createdAt, lang)}</Table.Td>
                <Table.Td>{formatDateTime(s.lastSeenAt, lang)}</Table.Td>
              </Table.Tr>
            ))}
            {sessions.data?.length === 0 && <EmptyTableRow columns={3}>{t('sessions.none')}</EmptyTableRow>}
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button color="red" variant="subtle" onClick={() => void forceLogout()}>
          {t('sessions.forceLogout')}
        </Button>
      </Group>
    </Stack>
  );
}
