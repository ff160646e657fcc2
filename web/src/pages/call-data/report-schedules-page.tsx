/**
 * Report schedules (CD3): a saved calls report mailed as CSV daily, weekly or monthly at a time of day in
 * a time zone; "send now" to try one. Report Supervisors and up (greyed with the rule below that level);
 * each user sees the schedules they made.
 */
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Page, SwitchboardClient } from '../../../../client/index.js';
import type {
  ReportSchedule,
  ReportScheduleInput,
  ReportSchedulePatch,
  ReportScheduleSent,
} from '../../../../src/contract/index.js';
import { useTenantId } from '../../api/hooks.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { formatDateTime } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { CallDataGate } from './call-data-gate.js';

const DIMENSIONS = ['user', 'group', 'queue', 'hour', 'day'] as const;
const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

function schedulesApi(client: SwitchboardClient, tenantId: string) {
  const base = `/v1/tenants/${encodeURIComponent(tenantId)}/reports/schedules`;
  return {
    list: () => client.http.request<Page<ReportSchedule>>('GET', base, { query: { limit: 500 } }),
    create: (body: ReportScheduleInput) => client.http.request<ReportSchedule>('POST', base, { body }),
    patch: (id: string, body: ReportSchedulePatch) =>
      client.http.request<ReportSchedule>('PATCH', `${base}/${encodeURIComponent(id)}`, { body }),
    remove: (id: string) => client.http.request<void>('DELETE', `${base}/${encodeURIComponent(id)}`),
    send: (id: string) => client.http.request<ReportScheduleSent>('POST', `${base}/${encodeURIComponent(id)}/send`),
  };
}

/** The browser's time zone: the default zone of a new schedule. */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function emptyDraft(): ReportScheduleInput {
  return {
    name: '',
    report: { by: 'group' },
    recipients: [],
    frequency: 'daily',
    timeOfDay: '07:00',
    timeZone: browserZone(),
  };
}

export function ReportSchedulesPage() {
  const { t } = useI18n();
  return (
    <CallDataGate
      screen="reports"
      title={t('schedules.title')}
      description={t('schedules.description')}
      actions={
        <Button component={Link} to="/reports" variant="default">
          {t('schedules.backToReports')}
        </Button>
      }
    >
      <Schedules />
    </CallDataGate>
  );
}

function Schedules() {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const api = schedulesApi(client, tenantId);
  const queryClient = useQueryClient();
  const key = ['call-data', tenantId, 'schedules'];
  const list = useQuery({ queryKey: key, queryFn: () => api.list(), enabled: !!tenantId });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const [draft, setDraft] = useState<ReportScheduleInput | null>(null);
  const [sent, setSent] = useState<ReportScheduleSent | null>(null);
  const create = useMutation({
    mutationFn: (body: ReportScheduleInput) => api.create(body),
    onSuccess: async () => {
      setDraft(null);
      await refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (s: ReportSchedule) => api.patch(s.id, { enabled: !s.enabled }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api.remove(id), onSuccess: refresh });
  const send = useMutation({ mutationFn: (id: string) => api.send(id), onSuccess: (r) => setSent(r) });
  const failed = toggle.error ?? remove.error ?? send.error;
  const when = (s: ReportSchedule) =>
    s.frequency === 'weekly'
      ? t('schedules.when.weekly', { day: t(`schedules.weekday.${s.dayOfWeek ?? 1}`), time: s.timeOfDay })
      : s.frequency === 'monthly'
        ? t('schedules.when.monthly', { day: s.dayOfMonth ?? 1, time: s.timeOfDay })
        : t('schedules.when.daily', { time: s.timeOfDay });
  return (
    <Stack>
      <Group justify="flex-end">
        <Button onClick={() => setDraft(emptyDraft())} data-testid="schedule-new">
          {t('schedules.new')}
        </Button>
      </Group>
      {sent && (
        <Alert color="teal" withCloseButton closeButtonLabel={t('common.close')} onClose={() => setSent(null)}>
          {t('schedules.sent', {
            count: sent.recipients.length,
            from: formatDateTime(sent.from, lang),
            to: formatDateTime(sent.to, lang),
          })}
        </Alert>
      )}
      {failed ? (
        <ProblemAlert
          error={failed}
          onClose={() => {
            toggle.reset();
            remove.reset();
            send.reset();
          }}
        />
      ) : null}
      <QueryState query={list} what={t('schedules.title')}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">{t('schedules.none')}</Text>
          ) : (
            <Table withTableBorder striped aria-label={t('schedules.title')} data-testid="schedules-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('schedules.name')}</Table.Th>
                  <Table.Th>{t('callData.filter.by')}</Table.Th>
                  <Table.Th>{t('schedules.frequency')}</Table.Th>
                  <Table.Th>{t('schedules.recipients')}</Table.Th>
                  <Table.Th>{t('schedules.nextRun')}</Table.Th>
                  <Table.Th>{t('schedules.enabled')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((s) => (
                  <Table.Tr key={s.id} data-schedule={s.id}>
                    <Table.Td fw={500}>
                      {s.name}
                      {s.lastError && (
                        <Text size="xs" c="red" title={s.lastError}>
                          {t('schedules.lastError', { error: s.lastError })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{t(`callData.by.${s.report.by}`)}</Table.Td>
                    <Table.Td>
                      {when(s)}
                      <Text size="xs" c="dimmed">
                        {s.timeZone}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {s.recipients.map((r) => (
                          <Badge key={r} variant="light" tt="none">
                            {r}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>{s.enabled ? formatDateTime(s.nextRunAt, lang) : '—'}</Table.Td>
                    <Table.Td>
                      <Switch
                        checked={s.enabled}
                        onChange={() => toggle.mutate(s)}
                        aria-label={t('schedules.enabledFor', { name: s.name })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="light"
                          loading={send.isPending && send.variables === s.id}
                          onClick={() => send.mutate(s.id)}
                          data-testid="schedule-send"
                        >
                          {t('schedules.sendNow')}
                        </Button>
                        <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(s.id)}>
                          {t('schedules.delete')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
      <Modal opened={draft !== null} onClose={() => setDraft(null)} title={t('schedules.new')} size="lg">
        {draft && (
          <ScheduleForm
            draft={draft}
            onChange={setDraft}
            onSubmit={() => create.mutate(draft)}
            pending={create.isPending}
            error={create.error}
            onErrorClose={() => create.reset()}
          />
        )}
      </Modal>
    </Stack>
  );
}

function ScheduleForm({
  draft,
  onChange,
  onSubmit,
  pending,
  error,
  onErrorClose,
}: {
  draft: ReportScheduleInput;
  onChange: (d: ReportScheduleInput) => void;
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  onErrorClose: () => void;
}) {
  const { t } = useI18n();
  const set = (patch: Partial<ReportScheduleInput>) => onChange({ ...draft, ...patch });
  const report = draft.report;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Stack>
        {error ? <ProblemAlert error={error} onClose={onErrorClose} /> : null}
        <TextInput
          label={t('schedules.name')}
          required
          value={draft.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          data-testid="schedule-name"
        />
        <Group grow>
          <Select
            label={t('callData.filter.by')}
            data={DIMENSIONS.map((d) => ({ value: d, label: t(`callData.by.${d}`) }))}
            value={report.by}
            allowDeselect={false}
            onChange={(v) => v && set({ report: { ...report, by: v as ReportScheduleInput['report']['by'] } })}
          />
          <Select
            label={t('callData.filter.direction')}
            placeholder={t('callData.filter.any')}
            clearable
            data={DIRECTIONS.map((d) => ({ value: d, label: t(`callData.direction.${d}`) }))}
            value={report.direction ?? null}
            onChange={(v) => {
              const { direction: _old, ...rest } = report;
              set({ report: v ? { ...rest, direction: v as (typeof DIRECTIONS)[number] } : rest });
            }}
          />
        </Group>
        <TagsInput
          label={t('schedules.recipients')}
          description={t('schedules.recipientsHint')}
          required
          value={draft.recipients}
          onChange={(recipients) => set({ recipients })}
          splitChars={[',', ' ', ';']}
          data-testid="schedule-recipients"
        />
        <Group grow align="flex-start">
          <Select
            label={t('schedules.frequency')}
            data={FREQUENCIES.map((f) => ({ value: f, label: t(`schedules.frequency.${f}`) }))}
            value={draft.frequency}
            allowDeselect={false}
            onChange={(v) => v && set({ frequency: v as ReportScheduleInput['frequency'] })}
          />
          {draft.frequency === 'weekly' && (
            <Select
              label={t('schedules.dayOfWeek')}
              data={WEEKDAYS.map((d) => ({ value: String(d), label: t(`schedules.weekday.${d}`) }))}
              value={String(draft.dayOfWeek ?? 1)}
              allowDeselect={false}
              onChange={(v) => v && set({ dayOfWeek: Number(v) })}
            />
          )}
          {draft.frequency === 'monthly' && (
            <NumberInput
              label={t('schedules.dayOfMonth')}
              description={t('schedules.dayOfMonthHint')}
              min={1}
              max={28}
              value={draft.dayOfMonth ?? 1}
              onChange={(v) => set({ dayOfMonth: typeof v === 'number' ? v : 1 })}
            />
          )}
          <TextInput
            label={t('schedules.timeOfDay')}
            type="time"
            required
            value={draft.timeOfDay}
            onChange={(e) => set({ timeOfDay: e.currentTarget.value.slice(0, 5) })}
          />
        </Group>
        <TextInput
          label={t('schedules.timeZone')}
          description={t('schedules.timeZoneHint')}
          value={draft.timeZone ?? ''}
          onChange={(e) => set({ timeZone: e.currentTarget.value })}
        />
        <Text size="sm" c="dimmed">
          {t(`schedules.period.${draft.frequency}`)}
        </Text>
        <Group justify="flex-end">
          <Button type="submit" loading={pending} data-testid="schedule-save">
            {t('schedules.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
