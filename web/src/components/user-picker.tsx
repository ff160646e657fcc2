/** Choosing a user by name or email (the server's user search), for filters that take a user id. */
import { useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { qk, useTenantId } from '../api/hooks.js';
import { useI18n } from '../i18n/index.js';
import { personLabel } from '../lib/labels.js';
import { useSession } from '../session.js';

interface Option {
  value: string;
  label: string;
}

export function UserPicker({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string | null;
  onChange: (userId: string | null) => void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  // The chosen user's option, kept while the search moves on (its label stays readable).
  const [chosen, setChosen] = useState<Option | null>(null);
  const found = useQuery({
    queryKey: qk.users(tenantId, { q, limit: 20, picker: true }),
    queryFn: () => client.users.list(tenantId, { q: q || undefined, limit: 20 }),
    enabled: !!tenantId,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const options: Option[] = (found.data?.items ?? []).map((u) => ({
    value: u.id,
    label: u.email && u.displayName.trim() ? `${u.displayName} · ${u.email}` : personLabel(u),
  }));
  const selected = value && chosen?.value === value ? chosen : null;
  const data = selected && !options.some((o) => o.value === selected.value) ? [selected, ...options] : options;
  return (
    <Select
      size="xs"
      w={240}
      label={label}
      placeholder={t('audit.userPicker')}
      data={data}
      value={value}
      searchable
      clearable
      filter={({ options: all }) => all}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={found.isFetching ? undefined : t('audit.noUser')}
      onChange={(v, option) => {
        setChosen(v ? option : null);
        onChange(v);
      }}
    />
  );
}
