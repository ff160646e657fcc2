/** Groups (seed 000): membership and primary group (A4: the primary group is one of the user's groups). */
import { Alert, Checkbox, ScrollArea, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useI18n } from '../../i18n/index.js';
import type { TabProps } from './editor-kit.js';

export function GroupsTab({ draft, update, lookups }: TabProps) {
  const { t } = useI18n();
  const member = lookups.groups.filter((g) => draft.groups.includes(g.id));
  return (
    <Stack maw={720}>
      <Text size="sm" c="dimmed">
        {t('groups.intro')}
      </Text>
      {lookups.groups.length === 0 ? (
        <Alert color="gray">{t('groups.none')}</Alert>
      ) : (
        <ScrollArea.Autosize mah={360}>
          <Checkbox.Group
            label={t('groups.membership')}
            value={draft.groups}
            // The group owns the change: a second onChange per checkbox read the event inside the
            // deferred state update, after React had released it ("reading 'checked'" of null).
            onChange={(v) => update((u) => ({ ...u, groups: v }))}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing={8}>
              {lookups.groups.map((g) => (
                <Checkbox key={g.id} value={g.id} label={g.name} styles={{ label: { wordBreak: 'break-word' } }} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
        </ScrollArea.Autosize>
      )}
      <Select
        label={t('groups.primary')}
        description={t('groups.primaryHelp')}
        maw={360}
        clearable
        value={draft.primaryGroup}
        placeholder={member.length ? t('groups.primaryNone') : t('groups.primaryJoinFirst')}
        disabled={member.length === 0}
        data={member.map((g) => ({ value: g.id, label: g.name }))}
        onChange={(v) => update((u) => ({ ...u, primaryGroup: v }))}
      />
    </Stack>
  );
}
