/** Users: search, filters, server-side paging with virtualised rows, "+ New user", bulk actions. */
import { useCallback, useMemo, useState } from 'react';
import { Group, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { isNotAvailable, qk, useTenantId } from '../api/hooks.js';
import { BulkActions } from '../components/bulk-actions.js';
import { NotAvailable } from '../components/not-available.js';
import { PageHeader } from '../components/page-header.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { UserFilterBar } from '../components/user-filter-bar.js';
import { ExportCsvButton } from '../components/export-csv-button.js';
import { GatedButton } from '../components/gated-button.js';
import { UsersTable } from '../components/users-table.js';
import { useI18n } from '../i18n/index.js';
import { filtersFromSearch, toUserQuery, withFilter, type UserFilterKey } from '../lib/user-filters.js';
import { useSession } from '../session.js';

const PAGE_SIZE = 200;

export function UsersPage() {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const query = useInfiniteQuery({
    queryKey: qk.users(tenantId ?? '', filters),
    queryFn: ({ pageParam }) => client.users.list(tenantId!, toUserQuery(filters, pageParam, PAGE_SIZE)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!tenantId,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
  const users = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const loadMore = useCallback(() => {
    void query.fetchNextPage();
  }, [query]);
  const onFilter = useCallback(
    (key: UserFilterKey, value: string | null) => {
      setSearch((prev) => withFilter(prev, key, value), { replace: true });
      setSelected(new Set());
    },
    [setSearch],
  );

  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const toggleAll = () =>
    setSelected((s) =>
      users.length > 0 && users.every((u) => s.has(u.id)) ? new Set() : new Set(users.map((u) => u.id)),
    );

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.description')}
        actions={
          <Group gap="xs">
            <ExportCsvButton filters={filters} />
            <GatedButton needs={['users:create', 'users:edit']} to="/users/import" variant="default">
              {t('users.import')}
            </GatedButton>
            <GatedButton needs="users:create" to="/users/new">
              {t('users.new')}
            </GatedButton>
          </Group>
        }
      />
      <UserFilterBar filters={filters} onChange={onFilter} />
      <Group justify="space-between" mb="xs" mih={36}>
        <Text size="sm" c="dimmed" role="status" data-testid="users-count">
          {query.isFetching && !query.isFetchingNextPage
            ? t('common.loading')
            : t(query.hasNextPage ? 'users.loadedMore' : 'users.loaded', { count: users.length })}
        </Text>
        {selected.size > 0 && (
          <BulkActions users={users.filter((u) => selected.has(u.id))} onDone={() => setSelected(new Set())} />
        )}
      </Group>
      {query.error ? (
        isNotAvailable(query.error) ? (
          <NotAvailable what={t('users.title')} />
        ) : (
          <ProblemAlert error={query.error} onReload={() => query.refetch()} />
        )
      ) : (
        <UsersTable
          users={users}
          hasMore={!!query.hasNextPage}
          loadingMore={query.isFetchingNextPage}
          onLoadMore={loadMore}
          selected={selected}
          onToggle={toggle}
          onToggleAll={toggleAll}
        />
      )}
    </>
  );
}
