/**
 * Webhooks (W1): the tenant's endpoints, a new one with its secret shown once, rotation with the
 * overlap explained, enable/disable, delete, a test event, and each endpoint's delivery log. Every
 * action shows only when the signed-in user may do it (webhooks:create, :edit, :delete).
 */
import { useState } from 'react';
import { Alert, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useActor, useTenantId } from '../api/hooks.js';
import { webhookKeys, webhooksApi, type Webhook } from '../api/webhooks.js';
import { PageHeader } from '../components/page-header.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { QueryState } from '../components/query-state.js';
import { useI18n } from '../i18n/index.js';
import { actorCan } from '../lib/actor.js';
import { formatDateTime } from '../lib/format.js';
import { useSession } from '../session.js';
import { DeliveryLog } from './webhooks/delivery-log.js';
import { CreateEndpointModal, RotateSecretModal } from './webhooks/endpoint-modals.js';
import { SecretOnce, type ShownSecret } from './webhooks/secret-once.js';
import { EmptyTableRow } from '../components/empty-table-row.js';

export function WebhooksPage() {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const api = webhooksApi(client);
  const queryClient = useQueryClient();
  const { actor } = useActor();
  const can = {
    create: actorCan(actor, 'webhooks:create'),
    edit: actorCan(actor, 'webhooks:edit'),
    delete: actorCan(actor, 'webhooks:delete'),
  };
  const endpoints = useQuery({
    queryKey: webhookKeys.list(tenantId),
    queryFn: () => api.list(tenantId),
    enabled: !!tenantId,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.all(tenantId) });
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<Webhook | null>(null);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [tested, setTested] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: (w: Webhook) => api.update(tenantId, w.id, { enabled: !w.enabled }, w.version),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (w: Webhook) => api.remove(tenantId, w.id),
    onSuccess: (_, w) => {
      if (selected === w.id) setSelected(null);
      return refresh();
    },
  });
  const test = useMutation({
    mutationFn: (w: Webhook) => api.sendTest(tenantId, w.id),
    onSuccess: (r, w) => {
      setTested(r.messageId);
      setSelected(w.id);
      return refresh();
    },
  });
  const problem = toggle.error ?? remove.error ?? test.error;
  const selectedEndpoint = endpoints.data?.items.find((w) => w.id === selected) ?? null;
  return (
    <>
      <PageHeader
        title={t('webhooks.nav')}
        description={t('webhooks.description')}
        actions={can.create && <Button onClick={() => setCreating(true)}>{t('webhooks.new')}</Button>}
      />
      {shown && <SecretOnce shown={shown} onClose={() => setShown(null)} />}
      {problem ? (
        <ProblemAlert
          error={problem}
          onReload={refresh}
          onClose={() => {
            toggle.reset();
            remove.reset();
            test.reset();
          }}
        />
      ) : null}
      {tested && (
        <Alert
          color="blue"
          mb="md"
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setTested(null)}
          data-testid="webhook-test-queued"
        >
          {t('webhooks.testQueued', { id: tested })}
        </Alert>
      )}
      <QueryState query={endpoints} what={t('webhooks.nav')}>
        {(page) => (
          <Table withTableBorder striped aria-label={t('webhooks.nav')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.url')}</Table.Th>
                <Table.Th>{t('webhooks.events')}</Table.Th>
                <Table.Th>{t('webhooks.status')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((w) => (
                <Table.Tr key={w.id} data-testid="webhook-row" data-enabled={w.enabled}>
                  <Table.Td>
                    <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
                      {w.url}
                    </Text>
                    {w.description && (
                      <Text size="xs" c="dimmed">
                        {w.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {w.events.length === 0 ? (
                        <Badge size="xs" variant="outline">
                          {t('webhooks.allEvents')}
                        </Badge>
                      ) : (
                        w.events.map((e) => (
                          <Badge key={e} size="xs" variant="outline">
                            {e}
                          </Badge>
                        ))
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={w.enabled ? 'teal' : 'gray'} variant="outline">
                      {w.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}
                    </Badge>
                    {w.disabledReason && !w.enabled && (
                      <Text size="xs" c="dimmed">
                        {w.disabledReason}
                      </Text>
                    )}
                    {w.failingSince && (
                      <Text size="xs" c="red">
                        {t('webhooks.failingSince', { time: formatDateTime(w.failingSince, lang) })}
                      </Text>
                    )}
                    {w.previousSecretExpiresAt && (
                      <Text size="xs" c="dimmed">
                        {t('webhooks.overlapUntil', { time: formatDateTime(w.previousSecretExpiresAt, lang) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Button
                        size="compact-xs"
                        variant={selected === w.id ? 'filled' : 'light'}
                        onClick={() => setSelected(selected === w.id ? null : w.id)}
                      >
                        {t('webhooks.showDeliveries')}
                      </Button>
                      {can.edit && (
                        <>
                          <Button
                            size="compact-xs"
                            variant="light"
                            disabled={!w.enabled}
                            loading={test.isPending && test.variables?.id === w.id}
                            onClick={() => test.mutate(w)}
                          >
                            {t('webhooks.sendTest')}
                          </Button>
                          <Button size="compact-xs" variant="light" onClick={() => setRotating(w)}>
                            {t('webhooks.rotate')}
                          </Button>
                          <Button
                            size="compact-xs"
                            variant="light"
                            loading={toggle.isPending && toggle.variables?.id === w.id}
                            onClick={() => toggle.mutate(w)}
                          >
                            {w.enabled ? t('webhooks.disable') : t('webhooks.enable')}
                          </Button>
                        </>
                      )}
                      {can.delete && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          onClick={() => {
                            if (confirm(t('webhooks.confirmDelete', { url: w.url }))) remove.mutate(w);
                          }}
                        >
                          {t('common.delete')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
              {page.items.length === 0 && <EmptyTableRow columns={4}>{t('webhooks.none')}</EmptyTableRow>}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {selectedEndpoint && (
        <DeliveryLog key={selectedEndpoint.id} endpoint={selectedEndpoint} canRedeliver={can.edit} />
      )}
      <CreateEndpointModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(w) => {
          setCreating(false);
          setShown({ url: w.url, secret: w.secret });
          setSelected(w.id);
          void refresh();
        }}
      />
      <RotateSecretModal
        endpoint={rotating}
        onClose={() => setRotating(null)}
        onRotated={(w, r) => {
          setRotating(null);
          setShown({ url: w.url, secret: r.secret, rotated: { previousSecretExpiresAt: r.previousSecretExpiresAt } });
          void refresh();
        }}
      />
    </>
  );
}
