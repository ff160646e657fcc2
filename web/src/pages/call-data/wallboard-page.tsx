/**
 * Wallboard (CD3, Analytics Supervisor and up): today's large numbers for a wall screen, per queue too,
 * refreshing itself; a button puts it full-screen.
 */
import { Box, Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { useFullscreen } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { callDataApi, callDataKeys, type Wallboard } from '../../api/call-data.js';
import { useTenantId } from '../../api/hooks.js';
import { QueryState } from '../../components/query-state.js';
import { useI18n } from '../../i18n/index.js';
import { formatDateTime, formatNumber } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { CallDataGate } from './call-data-gate.js';
import { FigureCards } from './figure-cards.js';
import { browserTimeZone, formatSeconds } from './period.js';

/** How often the wallboard asks again; the server answers from indexes, so this is cheap. */
export const WALLBOARD_REFRESH_MS = 5_000;

export function WallboardView({ wallboard }: { wallboard: Wallboard }) {
  const { t, lang } = useI18n();
  const n = (v: number) => formatNumber(v, lang);
  return (
    <Stack>
      <FigureCards big totals={wallboard.today} answerRate={wallboard.answerRate} />
      {wallboard.byQueue.length > 0 && (
        <Card withBorder>
          <Table fz="xl" aria-label={t('callData.dashboard.byQueue')} data-testid="wallboard-queues">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('callData.by.queue')}</Table.Th>
                <Table.Th>{t('callData.figure.total')}</Table.Th>
                <Table.Th>{t('callData.figure.answered')}</Table.Th>
                <Table.Th>{t('callData.figure.missed')}</Table.Th>
                <Table.Th>{t('callData.figure.abandoned')}</Table.Th>
                <Table.Th>{t('callData.figure.maxWait')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {wallboard.byQueue.map((q) => (
                <Table.Tr key={q.key ?? ''}>
                  <Table.Td>{q.label}</Table.Td>
                  <Table.Td>{n(q.total)}</Table.Td>
                  <Table.Td>{n(q.answered)}</Table.Td>
                  <Table.Td>{n(q.missed)}</Table.Td>
                  <Table.Td>{n(q.abandoned)}</Table.Td>
                  <Table.Td>{formatSeconds(q.maxWaitSeconds)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      <Text size="sm" c="dimmed" data-testid="wallboard-at">
        {t('callData.wallboard.updated', { at: formatDateTime(wallboard.at, lang) })}
      </Text>
    </Stack>
  );
}

function LiveWallboard() {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const { ref, toggle, fullscreen } = useFullscreen();
  const tz = browserTimeZone();
  const wallboard = useQuery({
    queryKey: callDataKeys.wallboard(tenantId),
    queryFn: () => callDataApi(client).wallboard(tenantId, tz),
    enabled: !!tenantId,
    refetchInterval: WALLBOARD_REFRESH_MS,
    refetchIntervalInBackground: true,
    staleTime: 0,
  });
  return (
    <Box ref={ref} bg="var(--mantine-color-body)" p={fullscreen ? 'xl' : 0} data-testid="wallboard">
      <Group justify="flex-end" mb="sm">
        <Button variant="default" onClick={() => void toggle()} data-testid="wallboard-fullscreen">
          {fullscreen ? t('callData.wallboard.exitFullScreen') : t('callData.wallboard.fullScreen')}
        </Button>
      </Group>
      <QueryState query={wallboard} what={t('callData.nav.wallboard')}>
        {(w) => <WallboardView wallboard={w} />}
      </QueryState>
    </Box>
  );
}

export function WallboardPage() {
  const { t } = useI18n();
  return (
    <CallDataGate
      screen="wallboard"
      title={t('callData.nav.wallboard')}
      description={t('callData.wallboard.description')}
    >
      <LiveWallboard />
    </CallDataGate>
  );
}
