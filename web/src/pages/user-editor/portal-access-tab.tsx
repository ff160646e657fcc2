/**
 * Portal access: website access, supervisor level (A2: gives website access), named permissions
 * greyed until website access (G1), recording scope.
 */
import { Alert, Divider, Radio, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { NAMED_PERMISSIONS, SUPERVISOR_LEVELS } from '../../../../src/contract/index.js';
import { DisabledReason, reasonId } from '../../components/disabled-reason.js';
import { useI18n } from '../../i18n/index.js';
import { PoolUsage } from './licences-tab.js';
import { GuardedToggle, toggleIn, type TabProps } from './editor-kit.js';

const LEVEL_ACCESS: Record<string, [boolean, boolean, boolean]> = {
  none: [false, false, false],
  report: [true, false, false],
  analytics: [true, true, true],
  live: [true, true, true],
  contact_center: [true, true, true],
};

export function PortalAccessTab({ draft, update, state, lookups }: TabProps) {
  const { t } = useI18n();
  const website = draft.permissions.includes('website_access');
  const scope = state('recordingScope');
  return (
    <Stack maw={760}>
      <GuardedToggle
        id="permission:website_access"
        kind="switch"
        label={t('permission.website_access')}
        description={t('permissionHelp.website_access')}
        checked={website}
        state={state('permission:website_access')}
        onChange={(on) => update((u) => ({ ...u, permissions: toggleIn(u.permissions, 'website_access', on) }))}
      />
      {!website && (
        <Alert color="gray" variant="light" data-testid="website-hint">
          {t('portal.websiteFirst')}
        </Alert>
      )}

      <Divider />
      <Title order={2} size="h4">
        {t('portal.supervisorLevel')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('portal.supervisorHelp')}
      </Text>
      <Radio.Group
        value={draft.supervisorLevel}
        onChange={(v) => update((u) => ({ ...u, supervisorLevel: v as typeof u.supervisorLevel }))}
        name="supervisorLevel"
        label={t('portal.supervisorLevel')}
        labelProps={{ style: { position: 'absolute', left: -9999 } }}
      >
        <Table withTableBorder verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('portal.level')}</Table.Th>
              <Table.Th>{t('portal.reports')}</Table.Th>
              <Table.Th>{t('portal.dashboards')}</Table.Th>
              <Table.Th>{t('portal.wallboards')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {SUPERVISOR_LEVELS.map((l) => (
              <Table.Tr key={l}>
                <Table.Td>
                  <Radio
                    value={l}
                    label={t(`supervisorLevel.${l}`)}
                    description={t(`supervisorLevelHelp.${l}`)}
                    data-control={`supervisorLevel:${l}`}
                  />
                  {l !== 'none' && (
                    <div style={{ paddingLeft: 32 }}>
                      <PoolUsage licence={`supervisor_${l}`} usage={lookups.usage} />
                    </div>
                  )}
                </Table.Td>
                {LEVEL_ACCESS[l]!.map((yes, i) => (
                  <Table.Td key={i}>{yes ? t('common.yes') : t('common.no')}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Radio.Group>

      <Divider />
      <Title order={2} size="h4">
        {t('portal.permissions')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {NAMED_PERMISSIONS.filter((p) => p !== 'website_access').map((p) => (
          <GuardedToggle
            key={p}
            id={`permission:${p}`}
            label={t(`permission.${p}`)}
            description={t(`permissionHelp.${p}`)}
            checked={draft.permissions.includes(p)}
            state={state(`permission:${p}`)}
            onChange={(on) => update((u) => ({ ...u, permissions: toggleIn(u.permissions, p, on) }))}
          />
        ))}
      </SimpleGrid>

      <Select
        label={t('portal.recordingScope')}
        description={t('portal.recordingScopeHelp')}
        maw={320}
        data={['own', 'group', 'all'].map((v) => ({ value: v, label: t(`recordingScope.${v}`) }))}
        value={draft.recordingScope}
        disabled={scope.disabled}
        aria-describedby={scope.reasons.length ? reasonId('recordingScope') : undefined}
        allowDeselect={false}
        onChange={(v) => v && update((u) => ({ ...u, recordingScope: v as typeof u.recordingScope }))}
      />
      <DisabledReason state={scope} id={reasonId('recordingScope')} />
      {!draft.permissions.includes('recording_playback') && (
        <Text size="xs" c="dimmed" data-testid="scope-hint">
          {t('greying.scopeNeedsPlayback')}
        </Text>
      )}
    </Stack>
  );
}
