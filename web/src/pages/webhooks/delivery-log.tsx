/**
 * One endpoint's delivery log (W1): every message sent to it with each attempt (status, latency,
 * the first 1 KB of the answer, the error), redelivery of one message or of every message that failed
 * since a time.
 */
import { Fragment, useState } from 'react';
import { Badge, Button, Code, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  webhookKeys,
  webhooksApi,
  type DeliveryStatus,
  type Webhook,
  type WebhookDelivery,
} from '../../api/webhooks.js';
import { useTenantId } from '../../api/hooks.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { useI18n } from '../../i18n/index.js';
import { formatDateTime } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { EmptyTableRow } from '../../components/empty-table-row.js';

/** Outline badges: their dark text keeps 4.5:1 contrast on the page (axe). */
const STATUS_COLOR: Record<DeliveryStatus, string> = { pending: 'gray', delivered: 'teal', failed: 'red' };

/** A `datetime-local` value for a time (the browser's zone), and back to ISO. */
function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function DeliveryLog({ endpoint, canRedeliver }: { endpoint: Webhook; canRedeliver: boolean }) {
  const { t, lang } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const api = webhooksApi(client);
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [since, setSince] = useState(() => localInput(new Date(Date.now() - 24 * 3600 * 1000)));
  const [queued, setQueued] = useState<number | null>(null);
  const deliveries = useInfiniteQuery({
    queryKey: webhookKeys.deliveries(tenantId, endpoint.id, status),
    queryFn: ({ pageParam }) =>
      api.deliveries(tenantId, endpoint.id, { ...(status && { status }), cursor: pageParam, limit: 50 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: !!tenantId,
    // Attempts happen in the background: the log follows them while it is open.
    refetchInterval: 5000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveriesOf(tenantId, endpoint.id) });
  const redeliver = useMutation({
    mutationFn: (d: WebhookDelivery) => api.redeliver(tenantId, endpoint.id, d.id),
    onSuccess: (r) => {
      setQueued(r.deliveryIds.length);
      return refresh();
    },
  });
  const redeliverFailed = useMutation({
    mutationFn: () => api.redeliverFailed(tenantId, endpoint.id, new Date(since).toISOString()),
    onSuccess: (r) => {
      setQueued(r.deliveryIds.length);
      return refresh();
    },
  });
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  const problem = redeliver.error ?? redeliverFailed.error ?? deliveries.error;
  return (
    <Stack gap="sm" mt="lg" data-testid="delivery-log">
      <Title order={2} size="h4">
        {t('webhooks.deliveriesOf', { url: endpoint.url })}
      </Title>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <SegmentedControl
          size="xs"
          value={status ?? 'all'}
          onChange={(v) => setStatus(v === 'all' ? null : (v as DeliveryStatus))}
          data={(['all', 'pending', 'delivered', 'failed'] as const).map((s) => ({
            value: s,
            label: t(`webhooks.status.${s}`),
          }))}
        />
        {canRedeliver && (
          <Group gap="xs" align="flex-end">
            <TextInput
              size="xs"
              type="datetime-local"
              label={t('webhooks.since')}
              value={since}
              onChange={(e) => setSince(e.currentTarget.value)}
            />
            <Button
              size="xs"
              variant="light"
              loading={redeliverFailed.isPending}
              disabled={!since}
              onClick={() => redeliverFailed.mutate()}
            >
              {t('webhooks.redeliverFailed')}
            </Button>
          </Group>
        )}
      </Group>
      {problem ? (
        <ProblemAlert
          error={problem}
          onClose={() => {
            redeliver.reset();
            redeliverFailed.reset();
          }}
        />
      ) : null}
      {queued !== null && (
        <Text size="sm" c="teal" data-testid="webhook-queued">
          {t('webhooks.queued', { count: queued })}
        </Text>
      )}
      <Table withTableBorder aria-label={t('webhooks.showDeliveries')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('webhooks.created')}</Table.Th>
            <Table.Th>{t('webhooks.eventType')}</Table.Th>
            <Table.Th>{t('webhooks.messageId')}</Table.Th>
            <Table.Th>{t('webhooks.status')}</Table.Th>
            <Table.Th>{t('webhooks.attempts')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((d) => (
            <Fragment key={d.id}>
              <Table.Tr data-testid="delivery-row" data-status={d.status} data-event={d.eventType}>
                <Table.Td>{formatDateTime(d.createdAt, lang)}</Table.Td>
                <Table.Td>{d.eventType}</Table.Td>
                <Table.Td>
                  <Code fz="xs">{d.messageId}</Code>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[d.status]} variant="outline">
                    {t(`webhooks.status.${d.status}`)}
                  </Badge>
                  {d.nextAttemptAt && (
                    <Text size="xs" c="dimmed">
                      {t('webhooks.nextAttempt', { time: formatDateTime(d.nextAttemptAt, lang) })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => toggle(d.id)}
                    aria-expanded={open.has(d.id)}
                  >
                    {`${d.attempts.length} · ${open.has(d.id) ? t('webhooks.hideAttempts') : t('webhooks.showAttempts')}`}
                  </Button>
                </Table.Td>
                <Table.Td>
                  {canRedeliver && (
                    <Button
                      size="compact-xs"
                      variant="light"
                      loading={redeliver.isPending && redeliver.variables?.id === d.id}
                      onClick={() => redeliver.mutate(d)}
                    >
                      {t('webhooks.redeliver')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
              {open.has(d.id) && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Attempts delivery={d} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
          {!deliveries.isLoading && items.length === 0 && (
            <EmptyTableRow columns={6}>{t('webhooks.noDeliveries')}</EmptyTableRow>
          )}
        </Table.Tbody>
      </Table>
      {deliveries.hasNextPage && (
        <Group>
          <Button
            variant="default"
            size="xs"
            loading={deliveries.isFetchingNextPage}
            onClick={() => void deliveries.fetchNextPage()}
          >
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** Every attempt of one delivery, oldest first. */
function Attempts({ delivery }: { delivery: WebhookDelivery }) {
  const { t, lang } = useI18n();
  if (!delivery.attempts.length)
    return (
      <Text size="sm" c="dimmed">
        {delivery.lastError ?? t('webhooks.noAttempts')}
      </Text>
    );
  return (
    <Table fz="xs" data-testid="attempts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('webhooks.attempt.at')}</Table.Th>
          <Table.Th>{t('webhooks.attempt.status')}</Table.Th>
          <Table.Th>{t('webhooks.attempt.latency')}</Table.Th>
          <Table.Th>{t('webhooks.attempt.response')}</Table.Th>
          <Table.Th>{t('webhooks.attempt.error')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {delivery.attempts.map((a, i) => (
          <Table.Tr key={i} data-testid="attempt-row">
            <Table.Td>{formatDateTime(a.at, lang)}</Table.Td>
            <Table.Td>{a.statusCode ?? t('webhooks.attempt.noAnswer')}</Table.Td>
            <Table.Td>{t('webhooks.latencyMs', { ms: a.latencyMs })}</Table.Td>
            <Table.Td maw={360}>
              {a.response ? (
                <Code block fz="xs" style={{ maxHeight: 120, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
                  {a.response}
                </Code>
              ) : (
                '—'
              )}
            </Table.Td>
            <Table.Td>{a.error ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
