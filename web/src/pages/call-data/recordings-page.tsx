/**
 * Recordings (CD4): the recordings of a period the user may play by their recording scope (own, group,
 * all; a conference participant the whole conference), each played through a short-lived signed link the
 * server issues (and audits) when asked, never a permanent address.
 */
import { useState } from 'react';
import { Button, Card, Stack } from '@mantine/core';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { callDataApi, callDataKeys, type Recording } from '../../api/call-data.js';
import { useTenantId } from '../../api/hooks.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { CallDataGate } from './call-data-gate.js';
import { PagedCallTable } from './call-table.js';
import { PeriodInputs } from './period-inputs.js';
import { lastDays, periodOf, validRange, type DayRange, CALL_DATA_STALE_MS } from './period.js';

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
  const { t } = useI18n();
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
    staleTime: CALL_DATA_STALE_MS,
  });
  return (
    <Stack>
      <PeriodInputs value={range} onChange={setRange} />
      <Card withBorder>
        <PagedCallTable
          query={recordings}
          label={t('callData.nav.recordings')}
          testId="recordings"
          empty={t('callData.recordings.none')}
          extraHeads={[t('callData.recordings.listen')]}
          cells={(r) => ({
            key: r.id,
            attrs: { 'data-recording': r.id },
            startedAt: r.startedAt ?? r.callStartedAt,
            direction: r.direction,
            from: r.fromNumber,
            to: r.toNumber,
            disposition: r.disposition,
            extra: [<Player key="play" recording={r} />],
          })}
        />
      </Card>
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
