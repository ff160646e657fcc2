/** Provider: a tenant's status: suspend, resume, and delete once suspended, each confirmed with what follows. */
import { useState } from 'react';
import { Badge, Button, Card, Group, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { Tenant } from '../../../../client/index.js';
import { qk } from '../../api/hooks.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { ConfirmDialog } from './confirm-dialog.js';

type Action = 'suspend' | 'resume' | 'delete';

export function TenantLifecycle({ tenant }: { tenant: Tenant }) {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [typedName, setTypedName] = useState('');
  const suspended = tenant.status === 'suspended';
  const run = useMutation({
    mutationFn: async (action: Action) => {
      if (action === 'delete') return client.tenants.remove(tenant.id);
      return action === 'suspend' ? client.tenants.suspend(tenant.id) : client.tenants.resume(tenant.id);
    },
    onSuccess: async (_r, action) => {
      setConfirming(null);
      setTypedName('');
      await queryClient.invalidateQueries({ queryKey: qk.tenants() });
      if (action === 'delete') void navigate('/provider/tenants');
      else await queryClient.invalidateQueries({ queryKey: qk.tenant(tenant.id) });
    },
  });
  const close = () => {
    setConfirming(null);
    setTypedName('');
    run.reset();
  };
  const text = {
    suspend: t('provider.suspendConfirm', { name: tenant.name }),
    resume: t('provider.resumeConfirm', { name: tenant.name }),
    delete: t('provider.deleteConfirm', { name: tenant.name }),
  };
  const title = { suspend: t('provider.suspend'), resume: t('provider.resume'), delete: t('provider.deleteTenant') };
  return (
    <Card withBorder data-testid="tenant-status">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('provider.status')}
        </Title>
        <Badge color={suspended ? 'red' : 'teal'} variant="dot">
          {t(`provider.status.${tenant.status}`)}
        </Badge>
      </Group>
      {suspended && tenant.suspendedAt && (
        <Text size="sm" c="dimmed" mb="xs">
          {t('provider.suspendedSince', { date: new Date(tenant.suspendedAt).toLocaleString(lang) })}
        </Text>
      )}
      <Group>
        {suspended ? (
          <Button variant="light" onClick={() => setConfirming('resume')}>
            {t('provider.resume')}
          </Button>
        ) : (
          <Button variant="default" onClick={() => setConfirming('suspend')}>
            {t('provider.suspend')}
          </Button>
        )}
        <Button
          color="red"
          variant="subtle"
          disabled={!suspended}
          title={suspended ? undefined : t('provider.deleteNeedsSuspension')}
          onClick={() => setConfirming('delete')}
        >
          {t('provider.deleteTenant')}
        </Button>
      </Group>
      {!suspended && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('provider.deleteNeedsSuspension')}
        </Text>
      )}
      <ConfirmDialog
        opened={confirming !== null}
        title={confirming ? title[confirming] : ''}
        text={confirming ? text[confirming] : ''}
        action={confirming ? title[confirming] : ''}
        color={confirming === 'resume' ? 'blue' : confirming === 'delete' ? 'red' : 'orange'}
        pending={run.isPending}
        error={run.error}
        disabled={confirming === 'delete' && typedName.trim() !== tenant.name}
        onConfirm={() => confirming && run.mutate(confirming)}
        onClose={close}
      >
        {confirming === 'delete' && (
          <TextInput
            label={t('provider.deleteTypeName')}
            value={typedName}
            onChange={(e) => setTypedName(e.currentTarget.value)}
          />
        )}
      </ConfirmDialog>
    </Card>
  );
}
