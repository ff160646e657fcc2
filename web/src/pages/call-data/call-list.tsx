/** The calls behind a report row (drill-down), newest first, paged. */
import { Button, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { callDataApi, callDataKeys, type ReportQuery } from '../../api/call-data.js';
import { useTenantId } from '../../api/hooks.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { formatDateTime } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { formatSeconds } from './period.js';

const PAGE = 50;

export function CallList({ query }: { query: ReportQuery }) {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const { by: _by, tz: _tz, ...filters } = query;
  const calls = useInfiniteQuery({
    queryKey: callDataKeys.calls(tenantId, filters),
    queryFn: ({ pageParam }) => callDataApi(client).calls(tenantId, { ...filters, cursor: pageParam, limit: PAGE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: !!tenantId,
  });
  return (
    <QueryState query={calls} what={t('callData.drill.calls')}>
      {(data) => {
        const items = data.pages.flatMap((p) => p.items);
        if (!items.length) return <Text c="dimmed">{t('callData.noCalls')}</Text>;
        return (
          <Stack gap="xs">
            <Table.ScrollContainer minWidth={720}>
              <Table striped aria-label={t('callData.drill.calls')} data-testid="call-list">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('callData.call.startedAt')}</Table.Th>
                    <Table.Th>{t('callData.filter.direction')}</Table.Th>
                    <Table.Th>{t('callData.call.from')}</Table.Th>
                    <Table.Th>{t('callData.call.to')}</Table.Th>
                    <Table.Th>{t('callData.filter.disposition')}</Table.Th>
                    <Table.Th>{t('callData.call.wait')}</Table.Th>
                    <Table.Th>{t('callData.call.talk')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => (
                    <Table.Tr key={`${c.id}-${c.startedAt}`} data-call={c.id}>
                      <Table.Td>{formatDateTime(c.startedAt, lang)}</Table.Td>
                      <Table.Td>{t(`callData.direction.${c.direction}`)}</Table.Td>
                      <Table.Td>{c.from.name ?? c.from.number ?? '—'}</Table.Td>
                      <Table.Td>{c.to.name ?? c.to.number ?? '—'}</Table.Td>
                      <Table.Td>{t(`callData.disposition.${c.disposition}`)}</Table.Td>
                      <Table.Td>{formatSeconds(c.waitSeconds)}</Table.Td>
                      <Table.Td>{formatSeconds(c.talkSeconds)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {calls.hasNextPage && (
              <Button variant="default" loading={calls.isFetchingNextPage} onClick={() => void calls.fetchNextPage()}>
                {t('common.loadMore')}
              </Button>
            )}
          </Stack>
        );
      }}
    </QueryState>
  );
}
