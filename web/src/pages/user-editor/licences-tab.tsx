/** Licences: Essential locked on platform users (A1), Agent add-on locked under the automatic policy (A3), cap usage. */
import { Alert, Group, Progress, Stack, Text } from '@mantine/core';
import { LICENCES } from '../../../../src/contract/index.js';
import { useI18n } from '../../i18n/index.js';
import { GuardedToggle, toggleIn, type TabProps } from './editor-kit.js';

export function PoolUsage({ licence, usage }: { licence: string; usage: TabProps['lookups']['usage'] }) {
  const { t } = useI18n();
  const pool = usage?.licences[licence];
  if (!pool) return null;
  if (pool.cap === null || pool.cap === undefined) {
    return (
      <Text size="xs" c="dimmed" data-testid={`pool-${licence}`}>
        {t('licences.unlimited', { assigned: pool.assigned })}
      </Text>
    );
  }
  const pct = pool.cap > 0 ? Math.min(100, (pool.assigned / pool.cap) * 100) : 100;
  return (
    <Group gap="xs" wrap="nowrap" maw={320} data-testid={`pool-${licence}`}>
      <Progress
        value={pct}
        color={pct >= 100 ? 'red' : pct > 85 ? 'orange' : 'blue'}
        w={120}
        aria-label={t('licences.poolLabel', { licence: t(`licence.${licence}`) })}
      />
      <Text size="xs" c={pct >= 100 ? 'red.8' : 'dimmed'}>
        {t('licences.capUsage', { assigned: pool.assigned, cap: pool.cap })}
      </Text>
    </Group>
  );
}

export function LicencesTab({ draft, update, state, lookups, ctx }: TabProps) {
  const { t } = useI18n();
  return (
    <Stack maw={640}>
      <Text size="sm" c="dimmed">
        {t('licences.intro')}
      </Text>
      {ctx.tenant?.policies?.agentAddOn === 'auto' && (
        <Alert color="blue" variant="light">
          {t('licences.autoPolicy')}
        </Alert>
      )}
      {LICENCES.map((l) => (
        <Stack key={l} gap={4}>
          <GuardedToggle
            id={`licence:${l}`}
            label={t(`licence.${l}`)}
            description={t(`licenceHelp.${l}`)}
            checked={(draft.licences as string[]).includes(l)}
            state={state(`licence:${l}`)}
            onChange={(on) => update((u) => ({ ...u, licences: toggleIn(u.licences, l, on) }))}
          />
          <div style={{ paddingLeft: 32 }}>
            <PoolUsage licence={l} usage={lookups.usage} />
          </div>
        </Stack>
      ))}
      <Text size="xs" c="dimmed">
        {t('licences.billingNote')}
      </Text>
    </Stack>
  );
}
