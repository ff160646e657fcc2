/** A paged table of calls (the drill-down's calls, the recordings): when, direction, parties, outcome, then extra columns. */
import type { ReactNode } from 'react';
import { Button, Group, Stack, Table, Text } from '@mantine/core';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import type { Page } from '../../../../client/index.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { formatDateTime } from '../../lib/format.js';

export interface CallCells {
  key: string;
  startedAt: string;
  direction: string;
  from: string | null;
  to: string | null;
  disposition: string;
  /** The row's test id attribute, e.g. `{'data-call': id}`. */
  attrs: Record<string, string>;
  extra: ReactNode[];
}

export function PagedCallTable<T>({
  query,
  label,
  testId,
  empty,
  extraHeads,
  cells,
}: {
  query: UseInfiniteQueryResult<InfiniteData<Page<T>>>;
  label: string;
  testId: string;
  empty: string;
  extraHeads: string[];
  cells: (item: T) => CallCells;
}) {
  const { t, lang } = useI18n();
  return (
    <QueryState query={query} what={label}>
      {(data) => {
        const rows = data.pages.flatMap((p) => p.items).map(cells);
        if (!rows.length) return <Text c="dimmed">{empty}</Text>;
        return (
          <Stack gap="xs">
            <Table.ScrollContainer minWidth={720}>
              <Table striped aria-label={label} data-testid={testId}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('callData.call.startedAt')}</Table.Th>
                    <Table.Th>{t('callData.filter.direction')}</Table.Th>
                    <Table.Th>{t('callData.call.from')}</Table.Th>
                    <Table.Th>{t('callData.call.to')}</Table.Th>
                    <Table.Th>{t('callData.filter.disposition')}</Table.Th>
                    {extraHeads.map((h) => (
                      <Table.Th key={h}>{h}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((c) => (
                    <Table.Tr key={c.key} {...c.attrs}>
                      <Table.Td>{formatDateTime(c.startedAt, lang)}</Table.Td>
                      <Table.Td>{t(`callData.direction.${c.direction}`)}</Table.Td>
                      <Table.Td>{c.from ?? '—'}</Table.Td>
                      <Table.Td>{c.to ?? '—'}</Table.Td>
                      <Table.Td>{t(`callData.disposition.${c.disposition}`)}</Table.Td>
                      {c.extra.map((cell, i) => (
                        <Table.Td key={i}>{cell}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {query.hasNextPage && (
              <Group justify="center">
                <Button variant="default" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                  {t('common.loadMore')}
                </Button>
              </Group>
            )}
          </Stack>
        );
      }}
    </QueryState>
  );
}
