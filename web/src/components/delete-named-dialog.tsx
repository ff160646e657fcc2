/**
 * Confirming the deletion of a queue, group or workspace. For a group it says first what follows:
 * how many users leave it (they keep everything else) and for how many it was the primary group
 * (theirs becomes none), from the server's user list filtered by the group.
 */
import { Alert, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { qk, useTenantId } from '../api/hooks.js';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';

/** Members looked at; a larger group is described as "more than" this many. */
const MEMBERS_READ = 500;

function GroupConsequences({ groupId }: { groupId: string }) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const members = useQuery({
    queryKey: qk.users(tenantId, { group: groupId, limit: MEMBERS_READ }),
    queryFn: () => client.users.list(tenantId, { group: groupId, limit: MEMBERS_READ }),
    enabled: !!tenantId,
  });
  if (members.isLoading) return <Loader size="sm" aria-label={t('common.loading')} />;
  const items = members.data?.items ?? [];
  const primary = items.filter((u) => u.primaryGroup === groupId).length;
  if (!members.data) return null;
  if (items.length === 0)
    return (
      <Text size="sm" data-testid="group-delete-members">
        {t('groupDelete.noMembers')}
      </Text>
    );
  return (
    <Alert color="orange" data-testid="group-delete-members">
      <Stack gap={4}>
        <Text size="sm">
          {members.data.nextCursor
            ? t('groupDelete.manyMembers', { count: MEMBERS_READ })
            : t('groupDelete.members', { count: items.length })}
        </Text>
        {primary > 0 && <Text size="sm">{t('groupDelete.primary', { count: primary })}</Text>}
        <Text size="sm">{t('groupDelete.apps')}</Text>
      </Stack>
    </Alert>
  );
}

export function DeleteNamedDialog({
  item,
  isGroup,
  pending,
  onConfirm,
  onClose,
}: {
  item: { id: string; name: string } | null;
  isGroup: boolean;
  pending: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Modal
      opened={item !== null}
      onClose={onClose}
      title={
        item
          ? isGroup
            ? t('groupDelete.title', { name: item.name })
            : t('lists.confirmDelete', { name: item.name })
          : ''
      }
    >
      {item && (
        <Stack>
          {isGroup && <GroupConsequences groupId={item.id} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={pending} onClick={onConfirm}>
              {isGroup ? t('groupDelete.confirm') : t('common.delete')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
