import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { CallReport, Dashboard, LiveSnapshot, QueueReport, Recording, Wallboard } from '../../api/call-data.js';
import { I18nProvider } from '../../i18n/index.js';
import { actorFromCapabilities, PROVIDER_ACTOR, type ActorPowers } from '../../lib/actor.js';

const state: { actor: ActorPowers; loading: boolean } = { actor: actorFromCapabilities([]), loading: false };
const request = vi.fn();

vi.mock('../../api/hooks.js', () => ({
  useActor: () => state,
  useTenantId: () => 't1',
}));
vi.mock('../../api/config-stream.js', () => ({ useConfigStream: () => undefined }));
vi.mock('../../session.js', () => ({
  useSession: () => ({ client: { http: { request } }, session: { kind: 'user', tenantId: 't1', userId: 'u1' } }),
}));

const { CALL_DATA_SCREENS, screenAccess } = await import('./screen-access.js');
const { CallDataGate } = await import('./call-data-gate.js');
const { ReportTable, drillQuery, reportQuery } = await import('./calls-report.js');
const { QueueTable } = await import('./agent-queue-reports.js');
const { DashboardCharts } = await import('./dashboard-page.js');
const { WallboardView } = await import('./wallboard-page.js');
const { LiveAgents, LiveQueues } = await import('./live-statistics-page.js');
const { RecordingsPage } = await import('./recordings-page.js');
const { bucketLabel, bucketPeriod, formatSeconds, periodOf } = await import('./period.js');

const LEVEL_CAPABILITIES = {
  report: ['reports:view'],
  analytics: ['reports:view', 'dashboards:view', 'wallboards:view'],
  live: ['reports:view', 'dashboards:view', 'wallboards:view', 'dashboards:live_calls'],
  contact_center: ['reports:view', 'dashboards:view', 'wallboards:view', 'dashboards:live_calls', 'cc_data:view'],
};

function wrap(ui: ReactNode, lang: 'en' | 'de' = 'en') {
  return render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nProvider lang={lang}>{ui}</I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const figures = (total: number, answered: number, missed: number, abandoned: number) => ({
  total,
  answered,
  missed,
  abandoned,
  avgWaitSeconds: 12.5,
  maxWaitSeconds: 40,
  avgTalkSeconds: 95,
  maxTalkSeconds: 3725,
});

describe('which call-data screens a supervisor level opens (CD3, G15, CD4)', () => {
  it('G15: each level opens its own screens and the lower ones; above it the reason names the level that sells it', () => {
    const open = (caps: string[]) =>
      Object.keys(CALL_DATA_SCREENS).filter(
        (s) => screenAccess(actorFromCapabilities(caps), s as keyof typeof CALL_DATA_SCREENS).allowed,
      );
    expect(open(LEVEL_CAPABILITIES.report)).toEqual(['reports']);
    expect(open(LEVEL_CAPABILITIES.analytics)).toEqual(['reports', 'dashboard', 'wallboard']);
    expect(open(LEVEL_CAPABILITIES.live)).toEqual(['reports', 'dashboard', 'wallboard', 'liveStatistics']);
    expect(open(LEVEL_CAPABILITIES.contact_center)).toEqual([
      'reports',
      'agentReports',
      'dashboard',
      'wallboard',
      'liveStatistics',
      'liveAgents',
    ]);
    const dashboard = screenAccess(actorFromCapabilities(LEVEL_CAPABILITIES.report), 'dashboard');
    expect(dashboard).toMatchObject({
      allowed: false,
      reason: { rule: 'G15', code: 'supervisor_level_required', level: 'analytics' },
    });
    expect(screenAccess(actorFromCapabilities(LEVEL_CAPABILITIES.analytics), 'liveAgents')).toMatchObject({
      reason: { rule: 'G15', level: 'contact_center' },
    });
  });

  it('CD4: recordings need the playback permission, whatever the level; the provider opens everything', () => {
    expect(screenAccess(actorFromCapabilities(LEVEL_CAPABILITIES.contact_center), 'recordings')).toMatchObject({
      allowed: false,
      reason: { rule: 'CD4', code: 'recording_permission_required' },
    });
    expect(screenAccess(actorFromCapabilities(['recordings:play']), 'recordings').allowed).toBe(true);
    for (const s of Object.keys(CALL_DATA_SCREENS))
      expect(screenAccess(PROVIDER_ACTOR, s as keyof typeof CALL_DATA_SCREENS).allowed).toBe(true);
  });
});

describe('a screen greyed below the level (X1, G15)', () => {
  beforeEach(() => {
    state.loading = false;
  });

  it('G15: a Report Supervisor sees the dashboard greyed with the level and the rule, in the portal language', () => {
    state.actor = actorFromCapabilities(LEVEL_CAPABILITIES.report);
    wrap(
      <CallDataGate screen="dashboard" title="Dashboard">
        <p>charts</p>
      </CallDataGate>,
    );
    const greyed = screen.getByTestId('screen-greyed');
    expect(greyed.dataset.rule).toBe('G15');
    expect(greyed.textContent).toContain('Needs Analytics Supervisor (rule G15)');
    expect(screen.queryByText('charts')).toBeNull();
  });

  it('G15: the same screen opens once the configuration holds the level (as the config stream brings it)', () => {
    state.actor = actorFromCapabilities(LEVEL_CAPABILITIES.analytics);
    wrap(
      <CallDataGate screen="dashboard" title="Dashboard">
        <p>charts</p>
      </CallDataGate>,
    );
    expect(screen.queryByTestId('screen-greyed')).toBeNull();
    expect(screen.getByText('charts')).toBeTruthy();
  });

  it('CD4: recordings greyed with the permission they need, in German too', () => {
    state.actor = actorFromCapabilities(LEVEL_CAPABILITIES.report);
    wrap(
      <CallDataGate screen="recordings" title="Aufzeichnungen">
        <p>list</p>
      </CallDataGate>,
      'de',
    );
    expect(screen.getByTestId('screen-greyed').textContent).toContain(
      'Benötigt die Berechtigung Aufzeichnungswiedergabe & Umfang (Regel CD4)',
    );
  });
});

describe('the calls report (CD3)', () => {
  const report: CallReport = {
    by: 'queue',
    from: '2026-11-01T00:00:00Z',
    to: '2026-11-08T00:00:00Z',
    rows: [
      { key: 'q-sales', label: 'Sales', ...figures(10, 7, 2, 1) },
      { key: null, label: 'No queue', ...figures(3, 3, 0, 0) },
    ],
    totals: figures(13, 10, 2, 1),
  };

  it('CD3: rows, totals and durations; a row drills down to its calls, the no-queue row does not', () => {
    const onDrill = vi.fn();
    wrap(<ReportTable report={report} onDrill={onDrill} />);
    const table = screen.getByTestId('report-table');
    const sales = table.querySelector('tr[data-key="q-sales"]')!;
    expect(Array.from(sales.querySelectorAll('td'), (td) => td.textContent)).toEqual([
      'Sales',
      '10',
      '7',
      '2',
      '1',
      '0:13',
      '0:40',
      '1:35',
      '1:02:05',
    ]);
    expect(screen.getByTestId('report-totals').textContent).toContain('13');
    fireEvent.click(within(table).getByRole('button', { name: 'Sales' }));
    expect(onDrill).toHaveBeenCalledWith('q-sales');
    expect(within(table).queryByRole('button', { name: 'No queue' })).toBeNull();
  });

  it('CD3: the filters become the query; drilling narrows it to the row (or to the hour or day bucket)', () => {
    const q = reportQuery(
      {
        range: { first: '2026-11-01', last: '2026-11-07' },
        by: 'group',
        direction: 'inbound',
        disposition: null,
        queue: null,
        group: null,
        user: null,
        number: ' +48 22 ',
      },
      'Europe/Warsaw',
    );
    expect(q).toEqual({
      ...periodOf({ first: '2026-11-01', last: '2026-11-07' }),
      by: 'group',
      tz: 'Europe/Warsaw',
      direction: 'inbound',
      number: '+48 22',
    });
    expect(drillQuery(q, 'g1')).toMatchObject({ group: 'g1', direction: 'inbound' });
    const hour = drillQuery({ ...q, by: 'hour' }, '2026-11-03T09:00')!;
    expect(new Date(hour.to).getTime() - new Date(hour.from).getTime()).toBe(3_600_000);
    expect(new Date(hour.from).getHours()).toBe(9);
    expect(bucketPeriod('2026-11-03').from).toBe(new Date(2026, 10, 3).toISOString());
    expect(formatSeconds(59.6)).toBe('1:00');
    expect(bucketLabel('2026-11-03T09:00', 'en')).toMatch(/^Nov 3, 09:00\sAM$/);
    expect(bucketLabel('2026-11-03', 'de')).toBe('03.11.2026');
    expect(bucketLabel('q-sales', 'en')).toBe('q-sales');
  });
});

describe('agent and queue data, dashboards, wallboard and live statistics (CD3)', () => {
  it('CD3: queue service level as a share of offered; none offered shows a dash', () => {
    const q: QueueReport = {
      from: '',
      to: '',
      serviceLevelSeconds: 30,
      rows: [
        {
          queueId: 'q1',
          label: 'Sales',
          offered: 8,
          answered: 6,
          answeredWithinServiceLevel: 5,
          abandoned: 1,
          missed: 1,
          serviceLevel: 0.625,
          avgWaitSeconds: 9,
          maxWaitSeconds: 31,
        },
        {
          queueId: 'q2',
          label: 'Support',
          offered: 0,
          answered: 0,
          answeredWithinServiceLevel: 0,
          abandoned: 0,
          missed: 0,
          serviceLevel: null,
          avgWaitSeconds: 0,
          maxWaitSeconds: 0,
        },
      ],
    };
    wrap(<QueueTable report={q} />);
    const table = screen.getByTestId('queue-report');
    expect(table.textContent).toContain('Service level (30 s)');
    expect(table.querySelector('tr[data-queue="q1"]')!.textContent).toContain('62.5%');
    expect(table.querySelector('tr[data-queue="q2"]')!.textContent).toContain('—');
  });

  it('CD3: the dashboard shows the period totals and answer rate with a chart per hour, group and queue', () => {
    const d: Dashboard = {
      from: '',
      to: '',
      totals: figures(20, 15, 4, 1),
      answerRate: 0.75,
      perHour: [{ key: '2026-11-03T09:00', label: '2026-11-03T09:00', ...figures(20, 15, 4, 1) }],
      byGroup: [],
      byQueue: [{ key: 'q1', label: 'Sales', ...figures(20, 15, 4, 1) }],
    };
    wrap(<DashboardCharts dashboard={d} />);
    expect(screen.getByTestId('figure-total-value').textContent).toBe('20');
    expect(screen.getByTestId('figure-answer-rate-value').textContent).toBe('75%');
    expect(screen.getByTestId('answer-rate-slices').textContent).toBe('Answered 15 · Missed 4 · Abandoned 1');
    for (const id of ['per-hour', 'answer-rate', 'by-group', 'by-queue'])
      expect(screen.getByTestId(`chart-${id}`)).toBeTruthy();
    expect(screen.getByTestId('chart-by-group').textContent).toContain('No calls in this period.');
  });

  it('CD3: the wallboard shows today in large numbers and per queue', () => {
    const w: Wallboard = {
      at: '2026-11-29T10:00:00Z',
      today: figures(1234, 1000, 200, 34),
      answerRate: 1000 / 1234,
      byQueue: [{ key: 'q1', label: 'Sales', ...figures(1234, 1000, 200, 34) }],
    };
    wrap(<WallboardView wallboard={w} />);
    expect(screen.getByTestId('figure-total-value').textContent).toBe('1,234');
    expect(screen.getByTestId('figure-answer-rate-value').textContent).toBe('81%');
    expect(screen.getByTestId('wallboard-queues').textContent).toContain('Sales');
  });

  it('CD3: live statistics show waiting and in progress per queue, and agents grouped by their queues', () => {
    const s: LiveSnapshot = {
      at: '2026-11-29T10:00:00Z',
      queues: [
        {
          queueId: 'q1',
          label: 'Sales',
          waiting: 2,
          inProgress: 3,
          longestWaitSeconds: 75,
          today: { offered: 9, answered: 6, abandoned: 1, missed: 2 },
        },
        {
          queueId: 'q2',
          label: 'Support',
          waiting: 0,
          inProgress: 1,
          longestWaitSeconds: 0,
          today: { offered: 1, answered: 1, abandoned: 0, missed: 0 },
        },
      ],
      totals: { waiting: 2, inProgress: 4 },
      calls: [],
      agents: [
        {
          userId: 'a1',
          label: 'Ana',
          state: 'paused',
          reason: 'Lunch',
          since: '2026-11-29T09:30:00Z',
          queueIds: ['q1', 'q2'],
        },
        {
          userId: 'a2',
          label: 'Ben',
          state: 'available',
          reason: null,
          since: '2026-11-29T09:00:00Z',
          queueIds: ['q2'],
        },
      ],
    };
    wrap(
      <>
        <LiveQueues snapshot={s} />
        <LiveAgents snapshot={s} />
      </>,
    );
    expect(screen.getByTestId('figure-waiting-value').textContent).toBe('2');
    expect(screen.getByTestId('figure-in-progress-value').textContent).toBe('4');
    expect(screen.getByTestId('live-queues').querySelector('tr[data-queue="q1"]')!.textContent).toContain('1:15');
    const agents = screen.getByTestId('live-agents');
    const sales = agents.querySelector('[data-queue="q1"]')!;
    const support = agents.querySelector('[data-queue="q2"]')!;
    expect(sales.querySelectorAll('tr[data-user]').length).toBe(1);
    expect(sales.textContent).toContain('Paused · Lunch');
    expect(support.querySelectorAll('tr[data-user]').length).toBe(2);
  });
});

describe('supervisor agent control (CD5)', () => {
  const snapshot: LiveSnapshot = {
    at: '2026-11-29T10:00:00Z',
    queues: [
      {
        queueId: 'q1',
        label: 'Sales',
        waiting: 0,
        inProgress: 0,
        longestWaitSeconds: 0,
        today: { offered: 0, answered: 0, abandoned: 0, missed: 0 },
      },
    ],
    totals: { waiting: 0, inProgress: 0 },
    calls: [],
    agents: [
      { userId: 'a1', label: 'Ana', state: 'available', reason: null, since: '2026-11-29T09:00:00Z', queueIds: ['q1'] },
    ],
  };

  it('CD5: without agent_state:edit there is no control', () => {
    state.actor = actorFromCapabilities(LEVEL_CAPABILITIES.contact_center);
    wrap(<LiveAgents snapshot={snapshot} />);
    expect(screen.queryByRole('button', { name: 'Change the state of Ana' })).toBeNull();
  });

  it('CD5: a supervisor asks the phone system to pause an agent in that queue', async () => {
    state.actor = actorFromCapabilities([...LEVEL_CAPABILITIES.contact_center, 'agent_state:edit']);
    request.mockReset();
    request.mockResolvedValueOnce({ type: 'agent.state_change_requested', requested: true });
    wrap(<LiveAgents snapshot={snapshot} />);
    fireEvent.click(screen.getByRole('button', { name: 'Change the state of Ana' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Paused' }));
    await screen.findByTestId('state-requested');
    expect(request).toHaveBeenCalledWith('POST', '/v1/tenants/t1/agents/a1/state-requests', {
      body: { state: 'paused', queue: 'q1' },
    });
  });

  it('G11: outside the supervisor’s queues the refusal shows its rule', async () => {
    state.actor = actorFromCapabilities([...LEVEL_CAPABILITIES.contact_center, 'agent_state:edit']);
    const { ApiError } = await import('../../../../client/index.js');
    request.mockReset();
    request.mockRejectedValueOnce(
      new ApiError({ status: 403, code: 'forbidden', rule: 'G11', detail: 'not one of your queues' }),
    );
    wrap(<LiveAgents snapshot={snapshot} />);
    fireEvent.click(screen.getByRole('button', { name: 'Change the state of Ana' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Logged out' }));
    expect((await screen.findByTestId('problem')).dataset.rule).toBe('G11');
    expect(screen.queryByTestId('state-requested')).toBeNull();
  });
});

describe('recordings (CD4)', () => {
  it('CD4: a recording is played through the signed link the server issues when asked, never listed', async () => {
    state.actor = actorFromCapabilities(['recordings:play']);
    const recording: Recording = {
      id: 'rec-1',
      callId: 'c1',
      callStartedAt: '2026-11-29T09:00:00Z',
      startedAt: '2026-11-29T09:00:05Z',
      direction: 'inbound',
      disposition: 'answered',
      fromNumber: '+48221234567',
      toNumber: '201',
      participants: [{ userId: 'u1', role: 'destination' }],
    };
    request.mockReset();
    request.mockImplementation(async (method: string, path: string) => {
      if (method === 'GET' && path === '/v1/tenants/t1/recordings') return { items: [recording], nextCursor: null };
      if (method === 'POST' && path === '/v1/tenants/t1/recordings/rec-1/playback')
        return { url: '/v1/recordings/media?link=signed', expiresAt: '2026-11-29T10:05:00Z' };
      throw new Error(`unexpected ${method} ${path}`);
    });
    wrap(<RecordingsPage />);
    const row = await screen.findByText('+48221234567');
    expect(row).toBeTruthy();
    expect(screen.queryByTestId('recording-audio')).toBeNull();
    expect(request.mock.calls.filter(([m]) => m === 'POST')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('recording-play'));
    await waitFor(() =>
      expect(screen.getByTestId('recording-audio').getAttribute('src')).toBe('/v1/recordings/media?link=signed'),
    );
  });
});
