/** Queues, Groups and Workspaces: small named lists of the tenant with create, rename and delete. */
import { useState } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Queue } from '../../../client/index.js';
import { qk, useActor, useNamedList, useTenantId } from '../api/hooks.js';
import { DeleteNamedDialog } from '../components/delete-named-dialog.js';
import { PageHeader } from '../components/page-header.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { QueryState } from '../components/query-state.js';
import { useI18n } from '../i18n/index.js';
import { actorCan } from '../lib/actor.js';
import { capabilityLabel } from '../lib/labels.js';
import { useSession } from '../session.js';

type Kind = 'queues' | 'groups' | 'workspaces';
interface Item {
  id: string;
  name: string;
  kind?: Queue['kind'];
  wrapUpSeconds?: number;
  version?: number;
  externalId?: string | null;
}
/** What the server requires for each action (queues: C7, cc:admin; groups and workspaces: their own module). */
const CAP: Record<Kind, Record<'create' | 'edit' | 'delete', string>> = {
  queues: { create: 'cc:admin', edit: 'cc:admin', delete: 'cc:admin' },
  groups: { create: 'groups:create', edit: 'groups:edit', delete: 'groups:delete' },
  workspaces: { create: 'workspaces:create', edit: 'workspaces:edit', delete: 'workspaces:delete' },
};

function ItemForm({ kind, item, onClose }: { kind: Kind; item: Item | null; onClose: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId()!;
  const queryClient = useQueryClient();
  const [name, setName] = useState(item?.name ?? '');
  const [qKind, setQKind] = useState<Queue['kind']>(item?.kind ?? 'queue');
  const [wrapUp, setWrapUp] = useState<number>(item?.wrapUpSeconds ?? 0);
  const body = kind === 'queues' ? { name, kind: qKind, wrapUpSeconds: wrapUp } : { name };
  const save = useMutation({
    mutationFn: () =>
      item
        ? (client[kind].update as (t: string, id: string, b: unknown, v?: number) => Promise<unknown>)(
            tenantId,
            item.id,
            body,
            item.version,
          )
        : (client[kind].create as (t: string, b: unknown) => Promise<unknown>)(tenantId, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: qk.list(tenantId, kind) });
      onClose();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        {save.error ? (
          <ProblemAlert
            error={save.error}
            onReload={() => {
              void queryClient.invalidateQueries({ queryKey: qk.list(tenantId, kind) });
              onClose();
            }}
          />
        ) : null}
        <TextInput
          label={t('lists.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-autofocus
        />
        {kind === 'queues' && (
          <>
            <Select
              label={t('cc.kind')}
              value={qKind}
              allowDeselect={false}
              data={(['queue', 'inbox', 'campaign'] as const).map((k) => ({ value: k, label: t(`queueKind.${k}`) }))}
              onChange={(v) => v && setQKind(v as Queue['kind'])}
            />
            <NumberInput
              label={t('queues.wrapUp')}
              description={t('queues.wrapUpHelp')}
              min={0}
              max={3600}
              value={wrapUp}
              onChange={(v) => setWrapUp(Number(v) || 0)}
            />
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function NamedListPage({ kind }: { kind: Kind }) {
  const tr = useI18n();
  const { t } = tr;
  const { client } = useSession();
  const tenantId = useTenantId()!;
  const queryClient = useQueryClient();
  const list = useNamedList(kind);
  const { actor } = useActor();
  const can = (action: 'create' | 'edit' | 'delete') => actorCan(actor, CAP[kind][action]);
  const canEdit = can('edit');
  const rule = kind === 'queues' ? 'C7' : 'C1';
  const [editing, setEditing] = useState<Item | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<Item | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => client[kind].remove(tenantId, id),
    onSuccess: async () => {
      setDeleting(null);
      await queryClient.invalidateQueries({ queryKey: qk.list(tenantId, kind) });
      // Members of a deleted group or workspace changed (the server detached them).
      if (kind !== 'queues') await queryClient.invalidateQueries({ queryKey: ['users', tenantId] });
    },
  });
  return (
    <>
      <PageHeader
        title={t(`nav.${kind}`)}
        description={t(`lists.${kind}.description`)}
        actions={
          <Tooltip
            label={t('actions.needs', { capability: capabilityLabel(tr, CAP[kind].create), rule })}
            disabled={can('create')}
          >
            <Button onClick={() => setEditing(null)} disabled={!can('create')}>
              {t(`lists.${kind}.new`)}
            </Button>
          </Tooltip>
        }
      />
      {!canEdit && (
        <Text size="sm" c="dimmed" mb="sm">
          {t('lists.readOnly', { rule })}
        </Text>
      )}
      {remove.error ? <ProblemAlert error={remove.error} onClose={() => remove.reset()} /> : null}
      <QueryState query={list} what={t(`nav.${kind}`)}>
        {(items) => (
          <Table withTableBorder striped highlightOnHover aria-label={t(`nav.${kind}`)}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('lists.name')}</Table.Th>
                {kind === 'queues' && (
                  <>
                    <Table.Th>{t('cc.kind')}</Table.Th>
                    <Table.Th>{t('queues.wrapUp')}</Table.Th>
                    <Table.Th>{t('queues.source')}</Table.Th>
                  </>
                )}
                <Table.Th w={120}>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(items as Item[]).map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td fw={500}>{item.name}</Table.Td>
                  {kind === 'queues' && (
                    <>
                      <Table.Td>{t(`queueKind.${item.kind ?? 'queue'}`)}</Table.Td>
                      <Table.Td>
                        {item.wrapUpSeconds
                          ? t('queues.seconds', { seconds: item.wrapUpSeconds })
                          : t('queues.noWrapUp')}
                      </Table.Td>
                      <Table.Td>
                        <Badge size="sm" variant="light" color={item.externalId ? 'blue' : 'gray'}>
                          {item.externalId ? t('source.platform') : t('source.manual')}
                        </Badge>
                      </Table.Td>
                    </>
                  )}
                  <Table.Td>
                    <Group gap={4} justify="flex-end">
                      <Tooltip
                        label={
                          canEdit
                            ? t('common.edit')
                            : t('actions.needs', { capability: capabilityLabel(tr, CAP[kind].edit), rule })
                        }
                      >
                        <ActionIcon
                          variant="subtle"
                          aria-label={t('lists.editItem', { name: item.name })}
                          disabled={!canEdit}
                          onClick={() => setEditing(item)}
                        >
                          ✎
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip
                        label={
                          can('delete')
                            ? t('common.delete')
                            : t('actions.needs', { capability: capabilityLabel(tr, CAP[kind].delete), rule })
                        }
                      >
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('lists.deleteItem', { name: item.name })}
                          disabled={!can('delete')}
                          onClick={() => {
                            remove.reset();
                            setDeleting(item);
                          }}
                        >
                          ✕
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
              {items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" size="sm">
                      {t('lists.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <DeleteNamedDialog
        item={deleting}
        isGroup={kind === 'groups'}
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      />
      <Modal
        opened={editing !== undefined}
        onClose={() => setEditing(undefined)}
        title={editing ? t('lists.editTitle', { name: editing.name }) : t(`lists.${kind}.new`)}
      >
        {editing !== undefined && <ItemForm kind={kind} item={editing} onClose={() => setEditing(undefined)} />}
      </Modal>
    </>
  );
}

export const QueuesPage = () => <NamedListPage kind="queues" />;
export const GroupsPage = () => <NamedListPage kind="groups" />;
export const WorkspacesPage = () => <NamedListPage kind="workspaces" />;
