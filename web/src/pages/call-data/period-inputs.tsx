/** First and last day of a call-data screen's period. */
import { Group, TextInput } from '@mantine/core';
import { useI18n } from '../../i18n/index.js';
import type { DayRange } from './period.js';

export function PeriodInputs({ value, onChange }: { value: DayRange; onChange: (range: DayRange) => void }) {
  const { t } = useI18n();
  return (
    <Group gap="xs" wrap="wrap">
      <TextInput
        type="date"
        label={t('callData.period.first')}
        value={value.first}
        max={value.last}
        onChange={(e) => onChange({ ...value, first: e.currentTarget.value })}
        data-testid="period-first"
      />
      <TextInput
        type="date"
        label={t('callData.period.last')}
        value={value.last}
        min={value.first}
        onChange={(e) => onChange({ ...value, last: e.currentTarget.value })}
        data-testid="period-last"
      />
    </Group>
  );
}
