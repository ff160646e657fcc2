/**
 * The report schedules screen (CD3) against a stubbed SDK: the list with when each runs, a new schedule
 * sent as the API takes it, "send now", and the screen greyed below Report Supervisor (G15).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import type { ReportSchedule } from '../../../../src/contract/index.js';
import { I18nProvider } from '../../i18n/index.js';
import { actorFromCapabilities, type ActorPowers } from '../../lib/actor.js';

type Call = { method: string; path: string; body?: unknown };
const state: { actor: ActorPowers; calls: Call[] } = { actor: actorFromCapabilities([]), calls: [] };

vi.mock('../../api/hooks.js', () => ({
  useActor: () => ({ actor: state.actor, loading: false }),
  useTenantId: () => 't1',
}));
vi.mock('../../session.js', () => ({
  useSession: () => ({
    session: undefined,
    client: {
      http: {
        request: (method: string, path: string, opts: { body?: unknown } = {}) => {
          state.calls.push({ method, path, body: opts.body });
          return Promise.resolve(answer({ method, path, body: opts.body }));
        },
      },
    },
  }),
}));

const { ReportSchedulesPage } = await import('./report-schedules-page.js');

const weekly: ReportSchedule = {
  id: 'rsch_1',
  ownerId: 'u1',
  name: 'Weekly by queue',
  report: { by: 'queue' },
  recipients: ['ops@example.com'],
  frequency: 'weekly',
  timeOfDay: '08:00',
  dayOfWeek: 1,
  dayOfMonth: null,
  timeZone: 'Europe/Warsaw',
  enabled: true,
  nextRunAt: '2026-11-30T07:00:00.000Z',
  lastRunAt: null,
  lastError: null,
  version: 1,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
};

function answer(c: Call): unknown {
  const base = '/v1/tenants/t1/reports/schedules';
  if (c.method === 'GET' && c.path === base) return { items: [weekly], nextCursor: null };
  if (c.method === 'POST' && c.path === base) return { ...weekly, id: 'rsch_2' };
  if (c.method === 'POST' && c.path.endsWith('/send'))
    return {
      scheduleId: 'rsch_1',
      recipients: ['ops@example.com'],
      from: '2026-11-22T00:00:00.000Z',
      to: '2026-11-29T00:00:00.000Z',
      rows: 2,
    };
  return undefined;
}

function show() {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nProvider lang="en">
          <MemoryRouter>
            <ReportSchedulesPage />
          </MemoryRouter>
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

beforeEach(() => {
  state.calls = [];
  state.actor = actorFromCapabilities(['reports:view']);
});
afterEach(cleanup);

describe('report schedules screen (CD3)', () => {
  it('CD3: lists schedules with when they run, and sends one now', async () => {
    show();
    await screen.findByText('Weekly by queue');
    expect(screen.getByText('Every Monday at 08:00')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send now' }));
    await screen.findByText(/Sent to 1 recipient/);
    expect(state.calls.some((c) => c.method === 'POST' && c.path.endsWith('/rsch_1/send'))).toBe(true);
  });

  it('CD3: a new schedule is sent as the API takes it', async () => {
    show();
    await screen.findByText('Weekly by queue');
    fireEvent.click(screen.getByTestId('schedule-new'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/^Name/), { target: { value: 'Daily by group' } });
    const recipients = within(dialog).getByLabelText(/^Recipients/);
    fireEvent.change(recipients, { target: { value: 'cfo@example.com' } });
    fireEvent.keyDown(recipients, { key: 'Enter' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save schedule' }));
    await waitFor(() => expect(state.calls.some((c) => c.method === 'POST' && !c.path.endsWith('/send'))).toBe(true));
    expect(state.calls.find((c) => c.method === 'POST')!.body).toMatchObject({
      name: 'Daily by group',
      report: { by: 'group' },
      recipients: ['cfo@example.com'],
      frequency: 'daily',
      timeOfDay: '07:00',
    });
  });

  it('G15: below Report Supervisor the screen is greyed with the rule and asks nothing of the server', async () => {
    state.actor = actorFromCapabilities([]);
    show();
    const greyed = await screen.findByTestId('screen-greyed');
    expect(greyed.getAttribute('data-rule')).toBe('G15');
    expect(state.calls).toEqual([]);
  });
});
