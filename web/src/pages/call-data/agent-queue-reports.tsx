/**
 * Agent and queue reports (CD3, Contact Center Supervisor): per agent calls offered, answered and missed
 * with time per state and pause reason; per queue offered, answered, abandoned, missed and service level.
 */
import { useState } from 'react';
import { Badge, Card, Group, NumberInput, Stack, Table, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { callDataApi, callDataKeys, type AgentReport, type QueueReport } from '../../api/call-data.js';
import { useTenantId } from '../../api/hooks.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { formatNumber } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { PeriodInputs } from './period-inputs.js';
import {
  formatSeconds,
  formatShare,
  lastDays,
  periodOf,
  validRange,
  type DayRange,
  CALL_DATA_STALE_MS,
} from './period.js';

/** A state's name in the portal's language; the phone system's own states as they come. */
function useStateLabel(): (state: string) => string {
  const { t, has } = useI18n();
  return (state) => (has(`callData.state.${state}`) ? t(`callData.state.${state}`) : state);
}

function seconds(record: Record<string, number>): string {
  const entries = Object.entries(record).filter(([, s]) => s > 0);
  return entries.length ? entries.map(([k, s]) => `${k} ${formatSeconds(s)}`).join(' · ') : '—';
}

export function AgentTable({ report }: { report: AgentReport }) {
  const { t, lang } = useI18n();
  const stateLabel = useStateLabel();
  const states = [...new Set(report.rows.flatMap((r) => Object.keys(r.stateSeconds)))].sort();
  return (
    <Stack>
      {report.rows.length > 0 && (
        <BarChart
          h={240}
          data={report.rows.map((r) => ({ label: r.label, ...r.stateSeconds }))}
          dataKey="label"
          type="stacked"
          withLegend
          valueFormatter={formatSeconds}
          series={states.map((s, i) => ({
            name: s,
            label: stateLabel(s),
            color: ['teal.6', 'yellow.6', 'blue.6', 'grape.6', 'gray.6'][i % 5]!,
          }))}
        />
      )}
      <Table.ScrollContainer minWidth={720}>
        <Table striped aria-label={t('callData.agents.title')} data-testid="agent-report">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('callData.agents.agent')}</Table.Th>
              <Table.Th>{t('callData.figure.offered')}</Table.Th>
              <Table.Th>{t('callData.figure.answered')}</Table.Th>
              <Table.Th>{t('callData.figure.missed')}</Table.Th>
              <Table.Th>{t('callData.agents.timePerState')}</Table.Th>
              <Table.Th>{t('callData.agents.timePerPause')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.rows.map((r) => (
              <Table.Tr key={r.userId} data-user={r.userId}>
                <Table.Td>{r.label}</Table.Td>
                <Table.Td>{formatNumber(r.offered, lang)}</Table.Td>
                <Table.Td>{formatNumber(r.answered, lang)}</Table.Td>
                <Table.Td>{formatNumber(r.missed, lang)}</Table.Td>
                <Table.Td>
                  {seconds(Object.fromEntries(Object.entries(r.stateSeconds).map(([k, v]) => [stateLabel(k), v])))}
                </Table.Td>
                <Table.Td>{seconds(r.pauseSeconds)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export function QueueTable({ report }: { report: QueueReport }) {
  const { t, lang } = useI18n();
  const n = (v: number) => formatNumber(v, lang);
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped aria-label={t('callData.queues.title')} data-testid="queue-report">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('callData.by.queue')}</Table.Th>
            <Table.Th>{t('callData.figure.offered')}</Table.Th>
            <Table.Th>{t('callData.figure.answered')}</Table.Th>
            <Table.Th>{t('callData.figure.abandoned')}</Table.Th>
            <Table.Th>{t('callData.figure.missed')}</Table.Th>
            <Table.Th>{t('callData.queues.serviceLevel', { seconds: report.serviceLevelSeconds })}</Table.Th>
            <Table.Th>{t('callData.figure.avgWait')}</Table.Th>
            <Table.Th>{t('callData.figure.maxWait')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.rows.map((r) => (
            <Table.Tr key={r.queueId ?? ''} data-queue={r.queueId ?? ''}>
              <Table.Td>{r.label}</Table.Td>
              <Table.Td>{n(r.offered)}</Table.Td>
              <Table.Td>{n(r.answered)}</Table.Td>
              <Table.Td>{n(r.abandoned)}</Table.Td>
              <Table.Td>{n(r.missed)}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={r.serviceLevel === null || r.serviceLevel >= 0.8 ? 'teal' : 'orange'}>
                  {formatShare(r.serviceLevel, lang)}
                </Badge>
              </Table.Td>
              <Table.Td>{formatSeconds(r.avgWaitSeconds)}</Table.Td>
              <Table.Td>{formatSeconds(r.maxWaitSeconds)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function AgentQueueReports() {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const [range, setRange] = useState<DayRange>(lastDays(7));
  const [serviceLevelSeconds, setServiceLevelSeconds] = useState(20);
  const period = periodOf(validRange(range) ? range : lastDays(7));
  const api = callDataApi(client);
  const agents = useQuery({
    queryKey: callDataKeys.agents(tenantId, period),
    queryFn: () => api.agents(tenantId, period),
    enabled: !!tenantId,
    staleTime: CALL_DATA_STALE_MS,
    placeholderData: keepPreviousData,
  });
  const queuePeriod = { ...period, serviceLevelSeconds };
  const queues = useQuery({
    queryKey: callDataKeys.queues(tenantId, queuePeriod),
    queryFn: () => api.queues(tenantId, queuePeriod),
    enabled: !!tenantId,
    staleTime: CALL_DATA_STALE_MS,
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Group gap="xs" align="flex-end">
        <PeriodInputs value={range} onChange={setRange} />
        <NumberInput
          label={t('callData.queues.serviceLevelSeconds')}
          value={serviceLevelSeconds}
          min={1}
          max={3600}
          onChange={(v) => typeof v === 'number' && v >= 1 && v <= 3600 && setServiceLevelSeconds(v)}
          w={200}
        />
      </Group>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('callData.agents.title')}
        </Title>
        <QueryState query={agents} what={t('callData.agents.title')}>
          {(r) => <AgentTable report={r} />}
        </QueryState>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('callData.queues.title')}
        </Title>
        <QueryState query={queues} what={t('callData.queues.title')}>
          {(r) => <QueueTable report={r} />}
        </QueryState>
      </Card>
    </Stack>
  );
}
