/** Workspaces (seed 000): the user's role in each workspace of the tenant. */
import { Alert, Select, Stack, Table, Text } from '@mantine/core';
import { useI18n } from '../../i18n/index.js';
import type { TabProps } from './editor-kit.js';

const ROLES = ['none', 'viewer', 'editor', 'owner'] as const;

export function WorkspacesTab({ draft, update, lookups }: TabProps) {
  const { t } = useI18n();
  if (lookups.workspaces.length === 0) return <Alert color="gray">{t('workspaces.none')}</Alert>;
  return (
    <Stack maw={640}>
      <Text size="sm" c="dimmed">
        {t('workspaces.intro')}
      </Text>
      <Table withTableBorder striped aria-label={t('nav.workspaces')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('workspaces.workspace')}</Table.Th>
            <Table.Th>{t('workspaces.role')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lookups.workspaces.map((w) => (
            <Table.Tr key={w.id}>
              <Table.Th scope="row">{w.name}</Table.Th>
              <Table.Td>
                <Select
                  size="xs"
                  w={160}
                  aria-label={t('workspaces.roleIn', { name: w.name })}
                  allowDeselect={false}
                  value={draft.workspaces[w.id] ?? 'none'}
                  data={ROLES.map((r) => ({ value: r, label: t(`workspaceRole.${r}`) }))}
                  onChange={(v) =>
                    update((u) => {
                      const ws = { ...u.workspaces };
                      if (!v || v === 'none') delete ws[w.id];
                      else ws[w.id] = v as 'viewer' | 'editor' | 'owner';
                      return { ...u, workspaces: ws };
                    })
                  }
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
