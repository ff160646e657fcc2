/**
 * Recordings (CD4): the recordings of a period the user may play by their recording scope (own, group,
 * all; a conference participant the whole conference), each played through a short-lived signed link the
 * server issues (and audits) when asked, never a permanent address.
 */
import { useState } from 'react';
import { Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { callDataApi, callDataKeys, type Recording } from '../../api/call-data.js';
import { useTenantId } from '../../api/hooks.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { formatDateTime } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { CallDataGate } from './call-data-gate.js';
import { PeriodInputs } from './period-inputs.js';
import { lastDays, periodOf, validRange, type DayRange } from './period.js';

const PAGE = 50;

function Player({ recording }: { recording: Recording }) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  // A link is valid for minutes only: it is asked for on "Play", never listed.
  const playback = useMutation({ mutationFn: () => callDataApi(client).playback(tenantId, recording.id) });
  if (playback.data)
    return (
      <audio
        controls
        autoPlay
        src={playback.data.url}
        aria-label={t('callData.recordings.player', { id: recording.id })}
        data-testid="recording-audio"
      />
    );
  return (
    <Stack gap={4}>
      <Button
        size="xs"
        variant="light"
        loading={playback.isPending}
        onClick={() => playback.mutate()}
        data-testid="recording-play"
      >
        {t('callData.recordings.play')}
      </Button>
      {playback.error && <ProblemAlert error={playback.error} onClose={() => playback.reset()} />}
    </Stack>
  );
}

function RecordingList() {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const [range, setRange] = useState<DayRange>(lastDays(7));
  const period = periodOf(validRange(range) ? range : lastDays(7));
  const recordings = useInfiniteQuery({
    queryKey: callDataKeys.recordings(tenantId, period),
    queryFn: ({ pageParam }) => callDataApi(client).recordings(tenantId, { ...period, cursor: pageParam, limit: PAGE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: !!tenantId,
  });
  return (
    <Stack>
      <PeriodInputs value={range} onChange={setRange} />
      <QueryState query={recordings} what={t('callData.nav.recordings')}>
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (!items.length) return <Text c="dimmed">{t('callData.recordings.none')}</Text>;
          return (
            <Card withBorder>
              <Table.ScrollContainer minWidth={720}>
                <Table striped aria-label={t('callData.nav.recordings')} data-testid="recordings">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('callData.call.startedAt')}</Table.Th>
                      <Table.Th>{t('callData.filter.direction')}</Table.Th>
                      <Table.Th>{t('callData.call.from')}</Table.Th>
                      <Table.Th>{t('callData.call.to')}</Table.Th>
                      <Table.Th>{t('callData.filter.disposition')}</Table.Th>
                      <Table.Th>{t('callData.recordings.listen')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((r) => (
                      <Table.Tr key={r.id} data-recording={r.id}>
                        <Table.Td>{formatDateTime(r.startedAt ?? r.callStartedAt, lang)}</Table.Td>
                        <Table.Td>{t(`callData.direction.${r.direction}`)}</Table.Td>
                        <Table.Td>{r.fromNumber ?? '—'}</Table.Td>
                        <Table.Td>{r.toNumber ?? '—'}</Table.Td>
                        <Table.Td>{t(`callData.disposition.${r.disposition}`)}</Table.Td>
                        <Table.Td>
                          <Player recording={r} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {recordings.hasNextPage && (
                <Group justify="center" mt="sm">
                  <Button
                    variant="default"
                    loading={recordings.isFetchingNextPage}
                    onClick={() => void recordings.fetchNextPage()}
                  >
                    {t('common.loadMore')}
                  </Button>
                </Group>
              )}
            </Card>
          );
        }}
      </QueryState>
    </Stack>
  );
}

export function RecordingsPage() {
  const { t } = useI18n();
  return (
    <CallDataGate
      screen="recordings"
      title={t('callData.nav.recordings')}
      description={t('callData.recordings.description')}
    >
      <RecordingList />
    </CallDataGate>
  );
}
