/** Loading, "not available yet" and error states of one query, so screens render only data. */
import type { ReactNode } from 'react';
import { Center, Loader } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { isNotAvailable } from '../api/hooks.js';
import { useI18n } from '../i18n/index.js';
import { NotAvailable } from './not-available.js';
import { ProblemAlert } from './problem-alert.js';

export function QueryState<T>({
  query,
  what,
  children,
}: {
  query: UseQueryResult<T>;
  what?: string;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (query.isLoading)
    return (
      <Center p="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  if (query.error)
    return isNotAvailable(query.error) ? (
      <NotAvailable what={what} />
    ) : (
      <ProblemAlert error={query.error} onReload={() => query.refetch()} />
    );
  if (query.data === undefined) return null;
  return <>{children(query.data)}</>;
}
