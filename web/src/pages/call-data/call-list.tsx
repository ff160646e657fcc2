/** The calls behind a report row (drill-down), newest first, paged. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { callDataApi, callDataKeys, type ReportQuery } from '../../api/call-data.js';
import { useTenantId } from '../../api/hooks.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { PagedCallTable } from './call-table.js';
import { formatSeconds, CALL_DATA_STALE_MS } from './period.js';

const PAGE = 50;

export function CallList({ query }: { query: ReportQuery }) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const { by: _by, tz: _tz, ...filters } = query;
  const calls = useInfiniteQuery({
    queryKey: callDataKeys.calls(tenantId, filters),
    queryFn: ({ pageParam }) => callDataApi(client).calls(tenantId, { ...filters, cursor: pageParam, limit: PAGE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: !!tenantId,
    staleTime: CALL_DATA_STALE_MS,
  });
  return (
    <PagedCallTable
      query={calls}
      label={t('callData.drill.calls')}
      testId="call-list"
      empty={t('callData.noCalls')}
      extraHeads={[t('callData.call.wait'), t('callData.call.talk')]}
      cells={(c) => ({
        key: `${c.id}-${c.startedAt}`,
        attrs: { 'data-call': c.id },
        startedAt: c.startedAt,
        direction: c.direction,
        from: c.from.name ?? c.from.number,
        to: c.to.name ?? c.to.number,
        disposition: c.disposition,
        extra: [formatSeconds(c.waitSeconds), formatSeconds(c.talkSeconds)],
      })}
    />
  );
}
