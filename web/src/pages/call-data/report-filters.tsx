/** The filters of the calls report (CD3): period, grouping, direction, disposition, queue, group, user, number. */
import { Group, Select, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { qk, useActor, useNamedList, useTenantId } from '../../api/hooks.js';
import { useI18n } from '../../i18n/index.js';
import { actorCan } from '../../lib/actor.js';
import { useSession } from '../../session.js';
import { PeriodInputs } from './period-inputs.js';
import type { DayRange } from './period.js';

export const DIMENSIONS = ['user', 'group', 'queue', 'hour', 'day'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
const DISPOSITIONS = ['answered', 'no_answer', 'busy', 'failed', 'abandoned'] as const;

export interface ReportForm {
  range: DayRange;
  by: Dimension;
  direction: string | null;
  disposition: string | null;
  queue: string | null;
  group: string | null;
  user: string | null;
  number: string;
}

/** Users to filter by, for those who may list users; others filter by queue, group or number. */
function useUserOptions(): { value: string; label: string }[] {
  const { client } = useSession();
  const t = useTenantId();
  const { actor } = useActor();
  const users = useQuery({
    queryKey: qk.users(t ?? '', { limit: 500 }),
    queryFn: () => client.users.list(t!, { limit: 500 }),
    enabled: !!t && actorCan(actor, 'users:view'),
  });
  return (users.data?.items ?? []).map((u) => ({ value: u.id, label: u.displayName }));
}

export function ReportFilters({ value, onChange }: { value: ReportForm; onChange: (form: ReportForm) => void }) {
  const { t } = useI18n();
  const queues = useNamedList('queues');
  const groups = useNamedList('groups');
  const users = useUserOptions();
  const set = (patch: Partial<ReportForm>) => onChange({ ...value, ...patch });
  const named = (items: { id: string; name: string }[] | undefined) =>
    (items ?? []).map((x) => ({ value: x.id, label: x.name }));
  return (
    <Group gap="xs" align="flex-end" wrap="wrap" data-testid="report-filters">
      <PeriodInputs value={value.range} onChange={(range) => set({ range })} />
      <Select
        label={t('callData.filter.by')}
        data={DIMENSIONS.map((d) => ({ value: d, label: t(`callData.by.${d}`) }))}
        value={value.by}
        allowDeselect={false}
        onChange={(v) => v && set({ by: v as Dimension })}
        w={150}
        data-testid="report-by"
      />
      <Select
        label={t('callData.filter.direction')}
        data={DIRECTIONS.map((d) => ({ value: d, label: t(`callData.direction.${d}`) }))}
        value={value.direction}
        clearable
        placeholder={t('callData.filter.any')}
        onChange={(direction) => set({ direction })}
        w={150}
      />
      <Select
        label={t('callData.filter.disposition')}
        data={DISPOSITIONS.map((d) => ({ value: d, label: t(`callData.disposition.${d}`) }))}
        value={value.disposition}
        clearable
        placeholder={t('callData.filter.any')}
        onChange={(disposition) => set({ disposition })}
        w={160}
      />
      <Select
        label={t('callData.filter.queue')}
        data={named(queues.data)}
        value={value.queue}
        clearable
        searchable
        placeholder={t('callData.filter.any')}
        onChange={(queue) => set({ queue })}
        w={170}
      />
      <Select
        label={t('callData.filter.group')}
        data={named(groups.data)}
        value={value.group}
        clearable
        searchable
        placeholder={t('callData.filter.any')}
        onChange={(group) => set({ group })}
        w={170}
      />
      {users.length > 0 && (
        <Select
          label={t('callData.filter.user')}
          data={users}
          value={value.user}
          clearable
          searchable
          placeholder={t('callData.filter.any')}
          onChange={(user) => set({ user })}
          w={190}
        />
      )}
      <TextInput
        label={t('callData.filter.number')}
        value={value.number}
        onChange={(e) => set({ number: e.currentTarget.value })}
        w={160}
      />
    </Group>
  );
}
