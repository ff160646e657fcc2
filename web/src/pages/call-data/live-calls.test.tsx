import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { LiveSnapshot } from '../../api/call-data.js';
import { I18nProvider } from '../../i18n/index.js';
import { actorFromCapabilities, type ActorPowers } from '../../lib/actor.js';

const state: { actor: ActorPowers; loading: boolean } = { actor: actorFromCapabilities([]), loading: false };
const request = vi.fn();

vi.mock('../../api/hooks.js', () => ({
  useActor: () => state,
  useTenantId: () => 't1',
}));
vi.mock('../../session.js', () => ({
  useSession: () => ({ client: { http: { request } }, session: { kind: 'user', tenantId: 't1', userId: 'u1' } }),
}));

const { LiveCalls } = await import('./live-calls.js');
const { ApiError } = await import('../../../../client/index.js');

const LIVE = ['reports:view', 'dashboards:view', 'wallboards:view', 'dashboards:live_calls'];

function wrap(ui: ReactNode, lang: 'en' | 'de' = 'en') {
  return render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
        <I18nProvider lang={lang}>{ui}</I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const queue = (queueId: string, label: string, waiting: number, inProgress: number) => ({
  queueId,
  label,
  waiting,
  inProgress,
  longestWaitSeconds: 0,
  today: { offered: 0, answered: 0, abandoned: 0, missed: 0 },
});

const snapshot: LiveSnapshot = {
  at: '2026-11-29T10:05:00Z',
  queues: [queue('q1', 'Sales', 1, 1), queue('q2', 'Support', 0, 60)],
  totals: { waiting: 1, inProgress: 61 },
  agents: null,
  calls: [
    {
      conversationId: 'c1',
      queueId: 'q1',
      state: 'talking',
      callerNumber: '+4930555000',
      startedAt: '2026-11-29T10:00:00Z',
      answeredAt: '2026-11-29T10:01:30Z',
      agents: [{ userId: 'a1', label: 'Ana' }],
    },
    {
      conversationId: 'c2',
      queueId: 'q1',
      state: 'waiting',
      callerNumber: null,
      startedAt: '2026-11-29T10:04:00Z',
      answeredAt: null,
      agents: [],
    },
    {
      conversationId: 'c3',
      queueId: 'q2',
      state: 'talking',
      callerNumber: '+48221234567',
      startedAt: '2026-11-29T09:00:00Z',
      answeredAt: '2026-11-29T09:00:10Z',
      agents: [{ userId: 'a2', label: 'Ben' }],
    },
  ],
};

describe('calls in progress and Silent Monitor (CD5)', () => {
  beforeEach(() => {
    request.mockReset();
  });

  it('CD5: the calls are listed per queue, waiting or talking, with caller, agents and how long', () => {
    state.actor = actorFromCapabilities(LIVE);
    wrap(<LiveCalls snapshot={snapshot} />);
    const sales = screen.getByTestId('live-calls').querySelector('[data-queue="q1"]') as HTMLElement;
    const talking = sales.querySelector('tr[data-conversation="c1"]')!;
    expect(talking.getAttribute('data-state')).toBe('talking');
    // Talking since it was answered (10:01:30), at the snapshot's 10:05:00.
    expect(talking.textContent).toContain('+4930555000');
    expect(talking.textContent).toContain('Ana');
    expect(talking.textContent).toContain('3:30');
    const waiting = sales.querySelector('tr[data-conversation="c2"]')!;
    expect(waiting.textContent).toContain('Number withheld');
    expect(waiting.textContent).toContain('Waiting');
    expect(waiting.textContent).toContain('1:00');
    // A queue with more calls than the snapshot lists says so.
    const support = screen.getByTestId('live-calls').querySelector('[data-queue="q2"]') as HTMLElement;
    expect(support.textContent).toContain('The oldest 1 of 60 calls');
    expect(within(sales).queryByText(/The oldest/)).toBeNull();
  });

  it('CD5: without Silent Monitor the action is greyed with the rule', () => {
    state.actor = actorFromCapabilities(LIVE);
    wrap(<LiveCalls snapshot={snapshot} />);
    const button = screen.getByRole('button', { name: 'Monitor the call from +4930555000' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.getAttribute('aria-description')).toContain('(rule C1)');
    fireEvent.click(button);
    expect(screen.queryByText('Monitor this call?')).toBeNull();
    expect(request).not.toHaveBeenCalled();
  });

  it('CD5: a supervisor confirms and the request is sent with the chosen mode', async () => {
    state.actor = actorFromCapabilities([...LIVE, 'live_calls:monitor']);
    request.mockResolvedValueOnce({ type: 'call.monitor_requested', requested: true });
    wrap(<LiveCalls snapshot={snapshot} />);
    fireEvent.click(screen.getByRole('button', { name: 'Monitor the call from +4930555000' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('+4930555000 in Sales');
    expect(request).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('radio', { name: /Whisper/ }));
    fireEvent.click(within(dialog).getByTestId('monitor-send'));
    const sent = await screen.findByTestId('monitor-requested');
    expect(sent.dataset.mode).toBe('whisper');
    expect(sent.textContent).toBe('Whisper: request sent to the phone system');
    expect(request).toHaveBeenCalledWith('POST', '/v1/tenants/t1/monitor-requests', {
      body: { conversationId: 'c1', mode: 'whisper' },
    });
  });

  it('G11: a call outside the supervisor’s queues is refused, and the problem shows its rule', async () => {
    state.actor = actorFromCapabilities([...LIVE, 'live_calls:monitor']);
    request.mockRejectedValueOnce(
      new ApiError({
        status: 403,
        code: 'forbidden',
        rule: 'G11',
        detail: 'supervisor actions are limited to the queues the supervisor supervises',
      }),
    );
    wrap(<LiveCalls snapshot={snapshot} />, 'de');
    fireEvent.click(screen.getByRole('button', { name: 'Den Anruf von +48221234567 mithören' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByTestId('monitor-send'));
    expect((await screen.findByTestId('problem')).dataset.rule).toBe('G11');
    expect(screen.queryByTestId('monitor-requested')).toBeNull();
    expect(request).toHaveBeenCalledWith('POST', '/v1/tenants/t1/monitor-requests', {
      body: { conversationId: 'c3', mode: 'listen' },
    });
  });

  it('says so when no call is in progress in the supervisor’s queues', () => {
    state.actor = actorFromCapabilities(LIVE);
    wrap(<LiveCalls snapshot={{ ...snapshot, calls: [] }} />);
    expect(screen.getByTestId('live-no-calls')).toBeTruthy();
  });
});
