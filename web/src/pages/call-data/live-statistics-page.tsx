/**
 * Live statistics (CD3, Live Analytics Supervisor and up): calls waiting and in progress per queue, the
 * calls in progress of the supervisor's queues with Silent Monitor (CD5), and for Contact Center
 * Supervisors the agents' current states per queue, pushed as call data arrives.
 */
import { Alert, Badge, Button, Card, Group, Menu, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { callDataApi, type AgentStateRequest, type LiveSnapshot } from '../../api/call-data.js';
import { useActor, useTenantId } from '../../api/hooks.js';
import { ProblemAlert } from '../../components/problem-alert.js';
import { useI18n } from '../../i18n/index.js';
import { actorCan } from '../../lib/actor.js';
import { formatDateTime, formatNumber } from '../../lib/format.js';
import { useSession } from '../../session.js';
import { CallDataGate, GreyedScreen } from './call-data-gate.js';
import { FigureCard } from './figure-cards.js';
import { LiveCalls } from './live-calls.js';
import { formatSeconds } from './period.js';
import { screenAccess } from './screen-access.js';
import { useLiveStatistics, type LiveTransport } from './use-live-statistics.js';

const STATE_COLOURS: Record<string, string> = {
  available: 'teal',
  on_call: 'blue',
  paused: 'yellow',
  wrap_up: 'grape',
  logged_out: 'gray',
};

export function LiveQueues({ snapshot }: { snapshot: LiveSnapshot }) {
  const { t, lang } = useI18n();
  const n = (v: number) => formatNumber(v, lang);
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2 }}>
        <FigureCard id="waiting" label={t('callData.live.waiting')} value={n(snapshot.totals.waiting)} />
        <FigureCard id="in-progress" label={t('callData.live.inProgress')} value={n(snapshot.totals.inProgress)} />
      </SimpleGrid>
      <Card withBorder>
        {snapshot.queues.length === 0 ? (
          <Text c="dimmed" size="sm" data-testid="live-no-queues">
            {t('callData.live.noQueues')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped aria-label={t('callData.live.queues')} data-testid="live-queues">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('callData.by.queue')}</Table.Th>
                  <Table.Th>{t('callData.live.waiting')}</Table.Th>
                  <Table.Th>{t('callData.live.inProgress')}</Table.Th>
                  <Table.Th>{t('callData.live.longestWait')}</Table.Th>
                  <Table.Th>{t('callData.live.offeredToday')}</Table.Th>
                  <Table.Th>{t('callData.live.answeredToday')}</Table.Th>
                  <Table.Th>{t('callData.live.abandonedToday')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {snapshot.queues.map((q) => (
                  <Table.Tr key={q.queueId ?? ''} data-queue={q.queueId ?? ''}>
                    <Table.Td>{q.label}</Table.Td>
                    <Table.Td>{n(q.waiting)}</Table.Td>
                    <Table.Td>{n(q.inProgress)}</Table.Td>
                    <Table.Td>{formatSeconds(q.longestWaitSeconds)}</Table.Td>
                    <Table.Td>{n(q.today.offered)}</Table.Td>
                    <Table.Td>{n(q.today.answered)}</Table.Td>
                    <Table.Td>{n(q.today.abandoned)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </Stack>
  );
}

const REQUESTABLE_STATES = ['available', 'paused', 'logged_out'] as const;

/**
 * Supervisor Agent Control (CD5): asks the phone system to change an agent's state in this queue. The
 * server refuses outside the supervisor's queues (G11); the agent's new state arrives with the next snapshot.
 */
function AgentStateControl({ userId, name, queueId }: { userId: string; name: string; queueId: string }) {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId() ?? '';
  const request = useMutation({
    mutationFn: (state: AgentStateRequest['state']) =>
      callDataApi(client).requestAgentState(tenantId, userId, { state, ...(queueId && { queue: queueId }) }),
  });
  return (
    <Group gap="xs" wrap="nowrap">
      <Menu withinPortal={false} position="bottom-end">
        <Menu.Target>
          <Button
            size="compact-xs"
            variant="default"
            loading={request.isPending}
            aria-label={t('callData.live.changeStateOf', { name })}
          >
            {t('callData.live.changeState')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {REQUESTABLE_STATES.map((state) => (
            <Menu.Item key={state} onClick={() => request.mutate(state)}>
              {t(`callData.state.${state}`)}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {request.isSuccess && (
        <Text size="xs" c="teal" data-testid="state-requested">
          {t('callData.live.stateRequested')}
        </Text>
      )}
      {request.error && <ProblemAlert error={request.error} onClose={() => request.reset()} />}
    </Group>
  );
}

/** Agents' current states, per queue (an agent in several queues shows in each). */
export function LiveAgents({ snapshot }: { snapshot: LiveSnapshot }) {
  const { t, has, lang } = useI18n();
  const { actor } = useActor();
  const control = actorCan(actor, 'agent_state:edit');
  const agents = snapshot.agents ?? [];
  const queueLabel = new Map(snapshot.queues.map((q) => [q.queueId, q.label]));
  const queueIds = [...new Set(agents.flatMap((a) => (a.queueIds.length ? a.queueIds : [''])))];
  const stateLabel = (s: string) => (has(`callData.state.${s}`) ? t(`callData.state.${s}`) : s);
  if (!agents.length) return <Text c="dimmed">{t('callData.live.noAgents')}</Text>;
  return (
    <Stack data-testid="live-agents">
      {queueIds.map((qid) => (
        <Card withBorder key={qid} data-queue={qid}>
          <Title order={3} size="h5" mb="xs">
            {qid ? (queueLabel.get(qid) ?? qid) : t('callData.live.noQueue')}
          </Title>
          <Table aria-label={t('callData.live.agents')}>
            <Table.Tbody>
              {agents
                .filter((a) => (qid ? a.queueIds.includes(qid) : !a.queueIds.length))
                .map((a) => (
                  <Table.Tr key={a.userId} data-user={a.userId}>
                    <Table.Td>{a.label}</Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLOURS[a.state] ?? 'gray'} variant="light">
                        {stateLabel(a.state)}
                        {a.reason ? ` · ${a.reason}` : ''}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{t('callData.live.since', { at: formatDateTime(a.since, lang) })}</Table.Td>
                    {control && (
                      <Table.Td>
                        <AgentStateControl userId={a.userId} name={a.label} queueId={qid} />
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </Card>
      ))}
    </Stack>
  );
}

function TransportBadge({ transport }: { transport: LiveTransport }) {
  const { t } = useI18n();
  const colour = transport === 'stream' ? 'teal' : transport === 'polling' ? 'yellow' : 'gray';
  return (
    <Badge color={colour} variant="dot" data-testid="live-transport" data-transport={transport}>
      {t(`callData.live.transport.${transport}`)}
    </Badge>
  );
}

function LiveView() {
  const { t } = useI18n();
  const { actor } = useActor();
  const live = useLiveStatistics();
  const agentsAllowed = screenAccess(actor, 'liveAgents').allowed;
  return (
    <Stack>
      <Group justify="space-between">
        <TransportBadge transport={live.transport} />
        {live.snapshot && (
          <Text size="sm" c="dimmed">
            {t('callData.wallboard.updated', { at: new Date(live.snapshot.at).toLocaleTimeString() })}
          </Text>
        )}
      </Group>
      {live.stopped && (
        <Alert color="gray" data-testid="live-stopped" data-rule={live.stopped.rule ?? ''}>
          {t('callData.live.stopped', { detail: live.stopped.detail ?? '' })}
          {live.stopped.rule ? ` ${t('callData.ruleSuffix', { rule: live.stopped.rule })}` : ''}
        </Alert>
      )}
      {live.error !== null && !live.snapshot && <ProblemAlert error={live.error} />}
      {live.snapshot && <LiveQueues snapshot={live.snapshot} />}
      <Title order={2} size="h4">
        {t('liveCalls.title')}
      </Title>
      {live.snapshot && <LiveCalls snapshot={live.snapshot} />}
      <Title order={2} size="h4">
        {t('callData.live.agents')}
      </Title>
      {agentsAllowed ? live.snapshot && <LiveAgents snapshot={live.snapshot} /> : <GreyedScreen screen="liveAgents" />}
    </Stack>
  );
}

export function LiveStatisticsPage() {
  const { t } = useI18n();
  return (
    <CallDataGate
      screen="liveStatistics"
      title={t('callData.nav.liveStatistics')}
      description={t('callData.live.description')}
    >
      <LiveView />
    </CallDataGate>
  );
}
