/**
 * Calls in progress (CD5): per queue, the calls waiting and talking that the live snapshot lists (the
 * server keeps only the supervisor's queues, G11), each with Monitor for Silent Monitor
 * (`live_calls:monitor`): listen, whisper, barge in or take over, confirmed, then sent to the phone system
 * as a request. Without the permission the action is greyed with the reason; a refusal (G11 outside the
 * supervisor's queues, a call that has just ended) shows the problem's message.
 */
import { useState } from 'react';
import { Badge, Button, Card, Group, Modal, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { LiveSnapshot } from '../../api/call-data.js';
import { useTenantId } from '../../api/hooks.js';
import { GatedButton } from '../../components/gated-button.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { useI18n } from '../../i18n/index.js';
import { formatNumber } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { formatSeconds } from './period.js';

type LiveCall = LiveSnapshot['calls'][number];
const MODES = ['listen', 'whisper', 'barge', 'steal'] as const;
type MonitorMode = (typeof MODES)[number];

/** Asks the phone system to connect the supervisor to the call, after a confirmation naming the mode. */
function MonitorAction({ call, caller, queue }: { call: LiveCall; caller: string; queue: string }) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<MonitorMode>('listen');
  const request = useMutation({
    mutationFn: (m: MonitorMode) =>
      client.http.request<{ type: string; requested: true }>(
        'POST',
        `/v1/tenants/${encodeURIComponent(tenantId)}/monitor-requests`,
        { body: { conversationId: call.conversationId, mode: m } },
      ),
  });
  const send = () => {
    setOpen(false);
    request.mutate(mode);
  };
  return (
    <Stack gap={4} align="flex-start">
      <GatedButton
        needs="live_calls:monitor"
        size="compact-xs"
        variant="default"
        loading={request.isPending}
        aria-label={t('liveCalls.monitorCall', { caller })}
        data-testid="monitor-call"
        onClick={() => {
          request.reset();
          setOpen(true);
        }}
      >
        {t('liveCalls.monitor')}
      </GatedButton>
      {request.isSuccess && (
        <Text size="xs" c="teal" data-testid="monitor-requested" data-mode={request.variables}>
          {t('liveCalls.requested', { mode: t(`liveCalls.mode.${request.variables}`) })}
        </Text>
      )}
      {request.error && <ProblemAlert error={request.error} onClose={() => request.reset()} />}
      <Modal opened={open} onClose={() => setOpen(false)} title={t('liveCalls.confirmTitle')}>
        <Stack>
          <Text size="sm">{t('liveCalls.confirm', { caller, queue })}</Text>
          <Radio.Group
            label={t('liveCalls.mode')}
            value={mode}
            onChange={(v) => setMode(v as MonitorMode)}
            data-testid="monitor-mode"
          >
            <Stack gap="xs" mt="xs">
              {MODES.map((m) => (
                <Radio key={m} value={m} label={t(`liveCalls.mode.${m}`)} description={t(`liveCalls.modeHelp.${m}`)} />
              ))}
            </Stack>
          </Radio.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button onClick={send} data-testid="monitor-send">
              {t('liveCalls.send')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** The calls in progress, one table per queue, oldest first, each with its Monitor action. */
export function LiveCalls({ snapshot }: { snapshot: LiveSnapshot }) {
  const { t, lang } = useI18n();
  const now = Date.parse(snapshot.at);
  const queues = new Map(snapshot.queues.map((q) => [q.queueId, q]));
  const queueIds = [...new Set(snapshot.calls.map((c) => c.queueId))];
  if (!queueIds.length)
    return (
      <Text c="dimmed" size="sm" data-testid="live-no-calls">
        {t('liveCalls.none')}
      </Text>
    );
  return (
    <Stack data-testid="live-calls">
      {queueIds.map((qid) => {
        const q = qid === null ? undefined : queues.get(qid);
        const label = q?.label ?? qid ?? t('callData.live.noQueue');
        const calls = snapshot.calls.filter((c) => c.queueId === qid);
        const total = q ? q.waiting + q.inProgress : calls.length;
        return (
          <Card withBorder key={qid ?? ''} data-queue={qid ?? ''}>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                {label}
              </Title>
              {total > calls.length && (
                <Text size="xs" c="dimmed">
                  {t('liveCalls.shown', { shown: formatNumber(calls.length, lang), total: formatNumber(total, lang) })}
                </Text>
              )}
            </Group>
            <Table.ScrollContainer minWidth={560}>
              <Table aria-label={t('liveCalls.title')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('liveCalls.caller')}</Table.Th>
                    <Table.Th>{t('liveCalls.state')}</Table.Th>
                    <Table.Th>{t('liveCalls.agents')}</Table.Th>
                    <Table.Th>{t('liveCalls.duration')}</Table.Th>
                    <Table.Th>{t('liveCalls.monitor')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {calls.map((c) => {
                    const caller = c.callerNumber ?? t('liveCalls.withheld');
                    const since = c.state === 'talking' && c.answeredAt ? c.answeredAt : c.startedAt;
                    return (
                      <Table.Tr key={c.conversationId} data-conversation={c.conversationId} data-state={c.state}>
                        <Table.Td>{caller}</Table.Td>
                        <Table.Td>
                          <Badge color={c.state === 'talking' ? 'blue' : 'yellow'} variant="light">
                            {t(`liveCalls.state.${c.state}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{c.agents.map((a) => a.label).join(', ')}</Table.Td>
                        <Table.Td>{formatSeconds(Math.max(0, (now - Date.parse(since)) / 1000))}</Table.Td>
                        <Table.Td>
                          <MonitorAction call={c} caller={caller} queue={label} />
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        );
      })}
    </Stack>
  );
}
