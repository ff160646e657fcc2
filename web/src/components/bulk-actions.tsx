/** Bulk actions on the selected users, always previewed by the server (changes, skips, billable impact) before running. */
import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Progress, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '../../../client/index.js';
import { LICENCES, NAMED_PERMISSIONS, SUPERVISOR_LEVELS, type NamedPermission } from '../../../src/contract/index.js';
import { useNamedList, useTenantId } from '../api/hooks.js';
import { useI18n } from '../i18n/index.js';
import { previewBulk, type BulkAction } from '../lib/bulk-preview.js';
import { personLabel } from '../lib/labels.js';
import { describeBlock, problemLine } from '../lib/problem-message.js';
import { useSession } from '../session.js';
import { ChangeLine, NamesProvider } from './change-summary-view.js';
import { GatedButton } from './gated-button.js';

type Kind = BulkAction['kind'];
const KINDS: Kind[] = [
  'suspend',
  'activate',
  'addGroup',
  'removeGroup',
  'setSupervisorLevel',
  'addLicence',
  'removeLicence',
  'grantPermission',
  'revokePermission',
];

function toAction(kind: Kind | null, arg: string | null): BulkAction | null {
  if (!kind) return null;
  if (kind === 'suspend' || kind === 'activate') return { kind };
  if (!arg) return null;
  switch (kind) {
    case 'addGroup':
    case 'removeGroup':
      return { kind, groupId: arg };
    case 'setSupervisorLevel':
      return { kind, level: arg as User['supervisorLevel'] };
    case 'addLicence':
    case 'removeLicence':
      return { kind, licence: arg as User['licences'][number] };
    default:
      return { kind, permission: arg as NamedPermission };
  }
}

export function BulkActions({ users, onDone }: { users: User[]; onDone: () => void }) {
  const tr = useI18n();
  const { t } = tr;
  const { client } = useSession();
  const tenantId = useTenantId()!;
  const queryClient = useQueryClient();
  const groups = useNamedList('groups');
  const [kind, setKind] = useState<Kind | null>(null);
  const [arg, setArg] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [progress, setProgress] = useState<{ done: number; failed: string[] } | null>(null);
  const action = useMemo(() => toAction(kind, arg), [kind, arg]);
  const previewQuery = useQuery({
    queryKey: ['bulk-preview', tenantId, users.map((u) => `${u.id}@${u.version}`), action],
    queryFn: () => previewBulk(users, action!, (u, patch) => client.users.preview(tenantId, u.id, patch)),
    enabled: open && action !== null,
    retry: false,
  });
  const preview = open ? (previewQuery.data ?? null) : null;
  // Group changes in the preview read by name, not id.
  const groupNames = useMemo(() => new Map((groups.data ?? []).map((g) => [g.id, g.name] as const)), [groups.data]);

  const argData = (): Array<{ value: string; label: string }> => {
    switch (kind) {
      case 'addGroup':
      case 'removeGroup':
        return (groups.data ?? []).map((g) => ({ value: g.id, label: g.name }));
      case 'setSupervisorLevel':
        return SUPERVISOR_LEVELS.map((l) => ({ value: l, label: t(`supervisorLevel.${l}`) }));
      case 'addLicence':
      case 'removeLicence':
        return LICENCES.map((l) => ({ value: l, label: t(`licence.${l}`) }));
      case 'grantPermission':
      case 'revokePermission':
        return NAMED_PERMISSIONS.map((p) => ({ value: p, label: t(`permission.${p}`) }));
      default:
        return [];
    }
  };

  async function run() {
    if (!preview) return;
    const todo = preview.items.filter((i) => !i.skip && i.changes.length > 0);
    const failed: string[] = [];
    let done = 0;
    setProgress({ done, failed });
    const queue = [...todo];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          try {
            await client.users.update(tenantId, item.user.id, item.patch, item.user.version);
          } catch (e) {
            failed.push(`${item.user.displayName}: ${problemLine(e, tr)}`);
          }
          done++;
          setProgress({ done, failed: [...failed] });
        }
      }),
    );
    await queryClient.invalidateQueries({ queryKey: ['users', tenantId] });
    if (failed.length === 0) {
      setOpen(false);
      setProgress(null);
      onDone();
    }
  }

  const billable = Object.entries(preview?.billable ?? {}).filter(([, n]) => n !== 0);
  const needsArg = kind !== null && kind !== 'suspend' && kind !== 'activate';
  return (
    <Group gap="xs" align="flex-end" data-testid="bulk-actions">
      <Text size="sm" fw={500}>
        {t('bulk.selected', { count: users.length })}
      </Text>
      <Select
        size="xs"
        w={200}
        aria-label={t('bulk.action')}
        placeholder={t('bulk.action')}
        value={kind}
        data={KINDS.map((k) => ({ value: k, label: t(`bulk.kind.${k}`) }))}
        onChange={(v) => {
          setKind(v as Kind | null);
          setArg(null);
        }}
      />
      {needsArg && (
        <Select
          size="xs"
          w={200}
          aria-label={t('bulk.value')}
          placeholder={t('bulk.value')}
          value={arg}
          data={argData()}
          onChange={setArg}
          searchable
        />
      )}
      <GatedButton needs="users:edit" size="xs" disabled={!action} onClick={() => setOpen(true)}>
        {t('bulk.preview')}
      </GatedButton>
      <Modal
        opened={open}
        onClose={() => {
          setOpen(false);
          setProgress(null);
        }}
        title={t('bulk.previewTitle')}
        size="xl"
      >
        {preview && (
          <NamesProvider names={groupNames}>
            <Stack>
              <Text size="sm">{t('bulk.summary', { changing: preview.changing, total: preview.items.length })}</Text>
              {billable.length > 0 && (
                <Alert color={preview.increasesBilling ? 'orange' : 'teal'} title={t('summary.billableTitle')}>
                  {billable.map(([k, n]) => (
                    <Text size="sm" key={k}>
                      {t(n > 0 ? 'summary.billableAdd' : 'summary.billableRemove', {
                        count: Math.abs(n),
                        licence: t(`billable.${k}`),
                      })}
                    </Text>
                  ))}
                </Alert>
              )}
              <ScrollArea h={320}>
                <Table striped withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('users.col.name')}</Table.Th>
                      <Table.Th>{t('bulk.changes')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {preview.items.slice(0, 200).map((i) => (
                      <Table.Tr key={i.user.id}>
                        <Table.Td>
                          {personLabel(i.user)}
                          {i.user.email && i.user.displayName.trim() ? (
                            <Text size="xs" c="dimmed">
                              {i.user.email}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          {i.skip ? (
                            <Badge color="gray" variant="light">
                              {t('bulk.skipped')}:{' '}
                              {describeBlock({ rule: i.skip.rule ?? '', code: i.skip.code, detail: i.skip.detail }, tr)}
                            </Badge>
                          ) : i.changes.length === 0 ? (
                            <Text size="xs" c="dimmed">
                              {t('bulk.noChange')}
                            </Text>
                          ) : (
                            i.changes.map((c, n) => <ChangeLine key={n} change={c} />)
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea>
              {progress && (
                <Progress
                  value={(progress.done / Math.max(1, preview.changing)) * 100}
                  aria-label={t('bulk.progress')}
                />
              )}
              {progress?.failed.map((f) => (
                <Text key={f} size="xs" c="red.8">
                  {f}
                </Text>
              ))}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setOpen(false)}>
                  {t('common.cancel')}
                </Button>
                <Button
                  onClick={() => void run()}
                  disabled={preview.changing === 0 || (progress !== null && progress.done < preview.changing)}
                >
                  {t('bulk.apply', { count: preview.changing })}
                </Button>
              </Group>
            </Stack>
          </NamesProvider>
        )}
      </Modal>
    </Group>
  );
}
