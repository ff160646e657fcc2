/**
 * The calls report (CD3): a period's calls grouped by user, group, queue, hour or day with filters,
 * a chart, the figures per row and the totals; a row drills down to its calls; both export as CSV
 * through the API's streamed export.
 */
import { useState, type MouseEvent } from 'react';
import { Anchor, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { callDataApi, callDataKeys, reportCsvUrl, type CallReport, type ReportQuery } from '../../api/call-data.js';
import { useTenantId } from '../../api/hooks.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { formatNumber } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { downloadWithTicket } from '../../api/ticket-link.js';
import { CallList } from './call-list.js';
import {
  browserTimeZone,
  bucketLabel,
  bucketPeriod,
  formatSeconds,
  lastDays,
  periodOf,
  validRange,
  CALL_DATA_STALE_MS,
} from './period.js';
import { ReportFilters, type ReportForm } from './report-filters.js';

const INITIAL: ReportForm = {
  range: lastDays(7),
  by: 'user',
  direction: null,
  disposition: null,
  queue: null,
  group: null,
  user: null,
  number: '',
};

/** The API's query of the form (empty filters left out). */
export function reportQuery(form: ReportForm, tz = browserTimeZone()): ReportQuery {
  return {
    ...periodOf(form.range),
    by: form.by,
    tz,
    ...(form.direction && { direction: form.direction as ReportQuery['direction'] }),
    ...(form.disposition && { disposition: form.disposition as ReportQuery['disposition'] }),
    ...(form.queue && { queue: form.queue }),
    ...(form.group && { group: form.group }),
    ...(form.user && { user: form.user }),
    ...(form.number.trim() && { number: form.number.trim() }),
  };
}

/** The query of one row's calls: the report's filters narrowed to the row's user, group, queue or bucket. */
export function drillQuery(query: ReportQuery, key: string | null): ReportQuery | null {
  if (key === null) return null;
  if (query.by === 'hour' || query.by === 'day') return { ...query, ...bucketPeriod(key) };
  return { ...query, [query.by]: key };
}

/** Hour and day rows labelled in the portal's language (the server labels them by their key). */
function withBucketLabels(report: CallReport, lang: string): CallReport {
  if (report.by !== 'hour' && report.by !== 'day') return report;
  return { ...report, rows: report.rows.map((r) => ({ ...r, label: r.key ? bucketLabel(r.key, lang) : r.label })) };
}

/**
 * Downloads through a plain link, so the browser streams the export: a user's session cookie goes along;
 * the provider (no cookie) opens it with a ticket for that one path.
 */
function CsvLink({ href, label, testId }: { href: string; label: string; testId: string }) {
  const { client, session } = useSession();
  const byTicket = session?.kind === 'provider';
  return (
    <Button
      component="a"
      href={href}
      download
      variant="default"
      size="xs"
      data-testid={testId}
      onClick={
        byTicket
          ? (e: MouseEvent) => {
              e.preventDefault();
              void downloadWithTicket(client, href);
            }
          : undefined
      }
    >
      {label}
    </Button>
  );
}

export function ReportTable({ report, onDrill }: { report: CallReport; onDrill: (key: string | null) => void }) {
  const { t, lang } = useI18n();
  const n = (v: number) => formatNumber(v, lang);
  const figures = (r: CallReport['totals']) => (
    <>
      <Table.Td>{n(r.total)}</Table.Td>
      <Table.Td>{n(r.answered)}</Table.Td>
      <Table.Td>{n(r.missed)}</Table.Td>
      <Table.Td>{n(r.abandoned)}</Table.Td>
      <Table.Td>{formatSeconds(r.avgWaitSeconds)}</Table.Td>
      <Table.Td>{formatSeconds(r.maxWaitSeconds)}</Table.Td>
      <Table.Td>{formatSeconds(r.avgTalkSeconds)}</Table.Td>
      <Table.Td>{formatSeconds(r.maxTalkSeconds)}</Table.Td>
    </>
  );
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover aria-label={t('callData.reports.table')} data-testid="report-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t(`callData.by.${report.by}`)}</Table.Th>
            <Table.Th>{t('callData.figure.total')}</Table.Th>
            <Table.Th>{t('callData.figure.answered')}</Table.Th>
            <Table.Th>{t('callData.figure.missed')}</Table.Th>
            <Table.Th>{t('callData.figure.abandoned')}</Table.Th>
            <Table.Th>{t('callData.figure.avgWait')}</Table.Th>
            <Table.Th>{t('callData.figure.maxWait')}</Table.Th>
            <Table.Th>{t('callData.figure.avgTalk')}</Table.Th>
            <Table.Th>{t('callData.figure.maxTalk')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.rows.map((r) => (
            <Table.Tr key={r.key ?? ''} data-key={r.key ?? ''}>
              <Table.Td>
                {r.key === null ? (
                  r.label
                ) : (
                  <Anchor component="button" type="button" size="sm" onClick={() => onDrill(r.key)}>
                    {r.label}
                  </Anchor>
                )}
              </Table.Td>
              {figures(r)}
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr data-testid="report-totals" fw={700}>
            <Table.Td>{t('callData.figure.totals')}</Table.Td>
            {figures(report.totals)}
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

export function ReportChart({ report }: { report: CallReport }) {
  const { t } = useI18n();
  if (!report.rows.length)
    return (
      <Text c="dimmed" size="sm" data-testid="report-empty">
        {t('callData.noCalls')}
      </Text>
    );
  return (
    <BarChart
      h={260}
      data={report.rows.map((r) => ({
        label: r.label,
        answered: r.answered,
        missed: r.missed,
        abandoned: r.abandoned,
        other: r.total - r.answered - r.missed - r.abandoned,
      }))}
      dataKey="label"
      type="stacked"
      withLegend
      series={[
        { name: 'answered', label: t('callData.figure.answered'), color: 'teal.6' },
        { name: 'missed', label: t('callData.figure.missed'), color: 'orange.6' },
        { name: 'abandoned', label: t('callData.figure.abandoned'), color: 'red.6' },
        { name: 'other', label: t('callData.figure.other'), color: 'gray.5' },
      ]}
      data-testid="report-chart"
    />
  );
}

export function CallsReport() {
  const { t, lang } = useI18n();
  const { client, session } = useSession();
  // A user's export link carries the session cookie; the provider's opens with a ticket (`CsvLink`).
  const exports = session !== null;
  const tenantId = useTenantId() ?? '';
  const [form, setForm] = useState<ReportForm>(INITIAL);
  const [drill, setDrill] = useState<{ query: ReportQuery; label: string } | null>(null);
  const valid = validRange(form.range);
  const query = reportQuery(valid ? form : { ...form, range: INITIAL.range });
  const report = useQuery({
    queryKey: callDataKeys.report(tenantId, query),
    queryFn: () => callDataApi(client).report(tenantId, query),
    select: (r: CallReport) => withBucketLabels(r, lang),
    enabled: !!tenantId && valid,
    staleTime: CALL_DATA_STALE_MS,
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <ReportFilters
        value={form}
        onChange={(f) => {
          setForm(f);
          setDrill(null);
        }}
      />
      {exports && (
        <Group gap="xs">
          <CsvLink
            href={reportCsvUrl(tenantId, query, 'report')}
            label={t('callData.export.report')}
            testId="export-report"
          />
          <CsvLink
            href={reportCsvUrl(tenantId, query, 'calls')}
            label={t('callData.export.calls')}
            testId="export-calls"
          />
        </Group>
      )}
      <QueryState query={report} what={t('callData.nav.reports')}>
        {(r) => (
          <Stack>
            <Card withBorder>
              <ReportChart report={r} />
            </Card>
            <Card withBorder>
              <ReportTable
                report={r}
                onDrill={(key) => {
                  const q = drillQuery(query, key);
                  const row = r.rows.find((x) => x.key === key);
                  if (q) setDrill({ query: q, label: row?.label ?? String(key) });
                }}
              />
            </Card>
          </Stack>
        )}
      </QueryState>
      {drill && (
        <Card withBorder data-testid="drill-down">
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h4">
              {t('callData.drill.title', { label: drill.label })}
            </Title>
            <Group gap="xs">
              {exports && (
                <CsvLink
                  href={reportCsvUrl(tenantId, drill.query, 'calls')}
                  label={t('callData.export.calls')}
                  testId="export-drill"
                />
              )}
              <Button variant="subtle" size="xs" onClick={() => setDrill(null)}>
                {t('common.close')}
              </Button>
            </Group>
          </Group>
          <CallList query={drill.query} />
        </Card>
      )}
    </Stack>
  );
}
