/** A row of large figures: calls, answered, missed, abandoned, answer rate, waiting times. */
import { Card, SimpleGrid, Text } from '@mantine/core';
import type { CallReport } from '../../api/call-data.js';
import { useI18n } from '../../i18n/index.js';
import { formatNumber } from '../../lib/format.js';
import { formatSeconds, formatShare } from './period.js';

export function FigureCard({ label, value, id, big }: { label: string; value: string; id: string; big?: boolean }) {
  return (
    <Card withBorder data-testid={`figure-${id}`}>
      <Text size={big ? 'lg' : 'sm'} c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz={big ? 'clamp(2.5rem, 6vw, 7rem)' : 'xl'} lh={1.1} data-testid={`figure-${id}-value`}>
        {value}
      </Text>
    </Card>
  );
}

export function FigureCards({
  totals,
  answerRate,
  big,
}: {
  totals: CallReport['totals'];
  answerRate: number | null;
  big?: boolean;
}) {
  const { t, lang } = useI18n();
  const n = (v: number) => formatNumber(v, lang);
  return (
    <SimpleGrid cols={big ? { base: 1, sm: 2, md: 3 } : { base: 2, sm: 3, lg: 6 }}>
      <FigureCard big={big} id="total" label={t('callData.figure.total')} value={n(totals.total)} />
      <FigureCard big={big} id="answered" label={t('callData.figure.answered')} value={n(totals.answered)} />
      <FigureCard big={big} id="missed" label={t('callData.figure.missed')} value={n(totals.missed)} />
      <FigureCard big={big} id="abandoned" label={t('callData.figure.abandoned')} value={n(totals.abandoned)} />
      <FigureCard
        big={big}
        id="answer-rate"
        label={t('callData.figure.answerRate')}
        value={formatShare(answerRate, lang)}
      />
      <FigureCard
        big={big}
        id="avg-wait"
        label={t('callData.figure.avgWait')}
        value={formatSeconds(totals.avgWaitSeconds)}
      />
    </SimpleGrid>
  );
}
