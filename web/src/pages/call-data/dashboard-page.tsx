/** Dashboard (CD3, Analytics Supervisor and up): a period's charts: calls per hour, answer rate, by group, by queue. */
import { useState } from 'react';
import { Card, RingProgress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { callDataApi, callDataKeys, type Dashboard } from '../../api/call-data.js';
import { useTenantId } from '../../api/hooks.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { formatNumber } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { CallDataGate } from './call-data-gate.js';
import { FigureCards } from './figure-cards.js';
import { PeriodInputs } from './period-inputs.js';
import {
  browserTimeZone,
  bucketLabel,
  formatShare,
  lastDays,
  periodOf,
  validRange,
  type DayRange,
  CALL_DATA_STALE_MS,
} from './period.js';

function ChartCard({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <Card withBorder data-testid={`chart-${id}`}>
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

export function DashboardCharts({ dashboard }: { dashboard: Dashboard }) {
  const { t, lang } = useI18n();
  const series = [
    { name: 'answered', label: t('callData.figure.answered'), color: 'teal.6' },
    { name: 'missed', label: t('callData.figure.missed'), color: 'orange.6' },
    { name: 'abandoned', label: t('callData.figure.abandoned'), color: 'red.6' },
  ];
  const bars = (rows: Dashboard['byGroup'], id: string, title: string) => (
    <ChartCard id={id} title={title}>
      {rows.length ? (
        <BarChart h={240} data={rows} dataKey="label" type="stacked" withLegend series={series} />
      ) : (
        <Text c="dimmed" size="sm">
          {t('callData.noCalls')}
        </Text>
      )}
    </ChartCard>
  );
  const { totals } = dashboard;
  const slices = [
    { name: t('callData.figure.answered'), value: totals.answered, color: 'teal.6' },
    { name: t('callData.figure.missed'), value: totals.missed, color: 'orange.6' },
    { name: t('callData.figure.abandoned'), value: totals.abandoned, color: 'red.6' },
    {
      name: t('callData.figure.other'),
      value: totals.total - totals.answered - totals.missed - totals.abandoned,
      color: 'gray.5',
    },
  ].filter((x) => x.value > 0);
  return (
    <Stack>
      <FigureCards totals={totals} answerRate={dashboard.answerRate} />
      {bars(
        dashboard.perHour.map((r) => ({ ...r, label: r.key ? bucketLabel(r.key, lang) : r.label })),
        'per-hour',
        t('callData.dashboard.perHour'),
      )}
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <ChartCard id="answer-rate" title={t('callData.figure.answerRate')}>
          {totals.total ? (
            <Stack gap="xs" align="center">
              <RingProgress
                size={180}
                thickness={20}
                roundCaps={false}
                label={
                  <Text ta="center" fw={700} size="xl">
                    {formatShare(dashboard.answerRate, lang)}
                  </Text>
                }
                sections={slices.map((x) => ({
                  value: (x.value / totals.total) * 100,
                  color: x.color,
                  tooltip: `${x.name} ${formatNumber(x.value, lang)}`,
                }))}
              />
              <Text size="sm" c="dimmed" data-testid="answer-rate-slices">
                {slices.map((x) => `${x.name} ${formatNumber(x.value, lang)}`).join(' · ')}
              </Text>
            </Stack>
          ) : (
            <Text c="dimmed" size="sm">
              {t('callData.noCalls')}
            </Text>
          )}
        </ChartCard>
        {bars(dashboard.byGroup, 'by-group', t('callData.dashboard.byGroup'))}
        {bars(dashboard.byQueue, 'by-queue', t('callData.dashboard.byQueue'))}
      </SimpleGrid>
    </Stack>
  );
}

function DashboardView() {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const [range, setRange] = useState<DayRange>(lastDays(1));
  const query = { ...periodOf(validRange(range) ? range : lastDays(1)), tz: browserTimeZone() };
  const dashboard = useQuery({
    queryKey: callDataKeys.dashboard(tenantId, query),
    queryFn: () => callDataApi(client).dashboard(tenantId, query),
    enabled: !!tenantId,
    staleTime: CALL_DATA_STALE_MS,
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  return (
    <Stack>
      <PeriodInputs value={range} onChange={setRange} />
      <QueryState query={dashboard} what={t('callData.nav.dashboard')}>
        {(d) => <DashboardCharts dashboard={d} />}
      </QueryState>
    </Stack>
  );
}

export function DashboardPage() {
  const { t } = useI18n();
  return (
    <CallDataGate
      screen="dashboard"
      title={t('callData.nav.dashboard')}
      description={t('callData.dashboard.description')}
    >
      <DashboardView />
    </CallDataGate>
  );
}
