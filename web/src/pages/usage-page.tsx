/** Usage and seats (B1, S1): licence caps with assignment counts, seats in use and a chart of seats over time. */
import { useEffect, useState } from 'react';
import { Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { BILLABLE_KEYS } from '../../../src/contract/index.js';
import type { Usage } from '../../../client/index.js';
import { qk, useTenant, useTenantId } from '../api/hooks.js';
import { PageHeader } from '../components/page-header.js';
import { QueryState } from '../components/query-state.js';
import { SeatsChart, type SeatSample } from '../components/seats-chart.js';
import { useI18n } from '../i18n/index.js';
import { formatNumber } from '../lib/format.js';
import { useSession } from '../session.js';

/** The server's seats in use over the last 24 hours (every 15 minutes), plus the count sampled while the page is open. */
function useSeatSamples(usage: Usage | undefined): SeatSample[] {
  const [samples, setSamples] = useState<SeatSample[]>([]);
  useEffect(() => {
    if (!usage) return;
    setSamples((s) => [...s, { at: Date.now(), inUse: usage.seats.inUse }].slice(-240));
  }, [usage]);
  const history = (usage?.seats.history ?? []).map((h) => ({ at: Date.parse(h.at), inUse: h.inUse }));
  return [...history, ...samples].sort((a, b) => a.at - b.at);
}

export function UsagePage() {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const tenant = useTenant();
  const usage = useQuery({
    queryKey: qk.usage(tenantId),
    queryFn: () => client.usage.get(tenantId),
    enabled: !!tenantId,
    refetchInterval: 15_000,
  });
  const samples = useSeatSamples(usage.data);
  return (
    <>
      <PageHeader title={t('nav.usage')} description={t('usage.description')} />
      <QueryState query={usage} what={t('nav.usage')}>
        {(u) => (
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Card withBorder>
                <Text size="sm" c="dimmed">
                  {t('usage.seatsInUse')}
                </Text>
                <Text size="xl" fw={700} data-testid="seats-in-use">
                  {formatNumber(u.seats.inUse, lang)}
                </Text>
              </Card>
              <Card withBorder>
                <Text size="sm" c="dimmed">
                  {t('usage.seatLimit')}
                </Text>
                <Text size="xl" fw={700}>
                  {u.seats.limit === null ? t('usage.unlimited') : formatNumber(u.seats.limit, lang)}
                </Text>
              </Card>
              <Card withBorder>
                <Text size="sm" c="dimmed">
                  {t('usage.peak')}
                </Text>
                <Text size="xl" fw={700}>
                  {formatNumber(u.seats.peak, lang)}
                </Text>
              </Card>
            </SimpleGrid>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('usage.seatsOverTime')}
              </Title>
              <SeatsChart samples={samples} limit={u.seats.limit} />
            </Card>
            <Card withBorder>
              <Group justify="space-between" mb="xs">
                <Title order={2} size="h4">
                  {t('usage.licences')}
                </Title>
                {tenant.data && (
                  <Text size="sm" c="dimmed">
                    {t('usage.plan', { plan: tenant.data.plan })}
                  </Text>
                )}
              </Group>
              <Table aria-label={t('usage.licences')} data-testid="usage-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('usage.licence')}</Table.Th>
                    <Table.Th>{t('usage.assigned')}</Table.Th>
                    <Table.Th title={t('usage.withDataHint')}>{t('usage.withData')}</Table.Th>
                    <Table.Th>{t('usage.cap')}</Table.Th>
                    <Table.Th w="35%">{t('usage.use')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {BILLABLE_KEYS.map((k) => {
                    const row = u.licences[k] ?? { assigned: 0, cap: null };
                    const pct = row.cap ? Math.min(100, (row.assigned / row.cap) * 100) : 0;
                    return (
                      <Table.Tr key={k} data-licence={k}>
                        <Table.Td>{t(`billable.${k}`)}</Table.Td>
                        <Table.Td>{formatNumber(row.assigned, lang)}</Table.Td>
                        <Table.Td data-testid="with-data">
                          {'withData' in row && row.withData !== undefined ? formatNumber(row.withData, lang) : '—'}
                        </Table.Td>
                        <Table.Td>
                          {row.cap === null ? t('usage.unlimitedBilled') : formatNumber(row.cap, lang)}
                        </Table.Td>
                        <Table.Td>
                          {row.cap !== null && (
                            <Progress
                              value={pct}
                              color={pct >= 100 ? 'red' : pct > 85 ? 'orange' : 'blue'}
                              aria-label={t('licences.poolLabel', { licence: t(`billable.${k}`) })}
                            />
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Card>
          </Stack>
        )}
      </QueryState>
    </>
  );
}
