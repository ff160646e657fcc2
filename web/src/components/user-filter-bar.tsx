/** Search and filters of the users table (source, status, licence, supervisor level, group, queue). */
import { useEffect, useEffectEvent, useState } from 'react';
import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { LICENCES, SUPERVISOR_LEVELS } from '../../../src/contract/index.js';
import { useNamedList } from '../api/hooks.js';
import { useI18n } from '../i18n/index.js';
import type { UserFilterKey, UserFilters } from '../lib/user-filters.js';

export function UserFilterBar({
  filters,
  onChange,
}: {
  filters: UserFilters;
  onChange: (key: UserFilterKey, value: string | null) => void;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState(filters.q ?? '');
  const [debounced] = useDebouncedValue(q, 250);
  const groups = useNamedList('groups');
  const queues = useNamedList('queues');
  // Only a new debounced search is sent up, never a re-send when the filters change from elsewhere.
  const sendSearch = useEffectEvent((value: string) => {
    if ((filters.q ?? '') !== value) onChange('q', value);
  });
  useEffect(() => sendSearch(debounced), [debounced]);

  const select = (key: UserFilterKey, label: string, data: Array<{ value: string; label: string }>) => (
    <Select
      key={key}
      label={label}
      size="xs"
      w={150}
      data={data}
      value={filters[key] ?? null}
      clearable
      searchable={data.length > 8}
      placeholder={t('users.filter.any')}
      onChange={(v) => onChange(key, v)}
      comboboxProps={{ withinPortal: true }}
    />
  );
  const any = Object.keys(filters).length > 0;
  return (
    <Group align="flex-end" gap="xs" mb="sm" wrap="wrap">
      <TextInput
        label={t('users.search')}
        placeholder={t('users.searchPlaceholder')}
        size="xs"
        w={240}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        type="search"
      />
      {select(
        'source',
        t('users.filter.source'),
        ['platform', 'manual'].map((v) => ({ value: v, label: t(`source.${v}`) })),
      )}
      {select(
        'status',
        t('users.filter.status'),
        ['active', 'suspended', 'removed'].map((v) => ({ value: v, label: t(`status.${v}`) })),
      )}
      {select(
        'licence',
        t('users.filter.licence'),
        LICENCES.map((v) => ({ value: v, label: t(`licence.${v}`) })),
      )}
      {select(
        'supervisorLevel',
        t('users.filter.supervisorLevel'),
        SUPERVISOR_LEVELS.map((v) => ({ value: v, label: t(`supervisorLevel.${v}`) })),
      )}
      {select(
        'group',
        t('users.filter.group'),
        (groups.data ?? []).map((g) => ({ value: g.id, label: g.name })),
      )}
      {select(
        'queue',
        t('users.filter.queue'),
        (queues.data ?? []).map((g) => ({ value: g.id, label: g.name })),
      )}
      {any && (
        <Button
          size="xs"
          variant="subtle"
          onClick={() => {
            setQ('');
            for (const k of Object.keys(filters)) onChange(k as UserFilterKey, null);
          }}
        >
          {t('users.filter.clear')}
        </Button>
      )}
    </Group>
  );
}
