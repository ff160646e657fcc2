/**
 * The webhooks screen (W1) against a stubbed SDK: the secret shown once, the overlap of a rotation,
 * the delivery log per attempt with redelivery, actions gated by webhooks:* capabilities, and a
 * refusal shown with the problem alert. The browser flow (test/e2e/webhooks.test.ts) runs it against
 * a real server and receiver.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from '../../../client/index.js';
import { I18nProvider } from '../i18n/index.js';
import { actorFromCapabilities, type ActorPowers } from '../lib/actor.js';
import type { Webhook, WebhookDelivery } from '../api/webhooks.js';

type Call = { method: string; path: string; body?: unknown; query?: Record<string, unknown>; ifMatch?: unknown };
const state: { actor: ActorPowers; calls: Call[]; answer: (c: Call) => unknown } = {
  actor: actorFromCapabilities([]),
  calls: [],
  answer: () => undefined,
};

vi.mock('../api/hooks.js', () => ({
  useActor: () => ({ actor: state.actor, loading: false }),
  useTenantId: () => 't1',
}));
vi.mock('../session.js', () => ({
  useSession: () => ({
    client: {
      http: {
        request: (
          method: string,
          path: string,
          opts: { body?: unknown; query?: Record<string, unknown>; ifMatch?: unknown } = {},
        ) => {
          const call = { method, path, body: opts.body, query: opts.query, ifMatch: opts.ifMatch };
          state.calls.push(call);
          try {
            return Promise.resolve(state.answer(call));
          } catch (err) {
            return Promise.reject(err instanceof Error ? err : new Error(String(err)));
          }
        },
      },
    },
  }),
}));

const { WebhooksPage } = await import('./webhooks-page.js');

const endpoint = (over: Partial<Webhook> = {}): Webhook => ({
  id: 'whk_1',
  url: 'https://crm.example.com/hooks',
  description: 'CRM',
  events: ['user.created'],
  enabled: true,
  disabledReason: null,
  failingSince: null,
  previousSecretExpiresAt: null,
  version: 3,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
  ...over,
});

const delivery: WebhookDelivery = {
  id: '41',
  messageId: 'msg_abc',
  eventType: 'user.created',
  status: 'failed',
  attempts: [
    {
      at: '2026-11-29T10:01:00.000Z',
      statusCode: 500,
      latencyMs: 37,
      response: 'upstream broke',
      error: 'answered 500',
    },
    { at: '2026-11-29T10:01:05.000Z', statusCode: null, latencyMs: 15000, response: null, error: 'timed out' },
  ],
  nextAttemptAt: null,
  lastError: 'timed out',
  createdAt: '2026-11-29T10:01:00.000Z',
};

/** The server as the screen sees it: one endpoint, its log, and what each action answers. */
function server(c: Call): unknown {
  if (c.method === 'GET' && c.path === '/v1/tenants/t1/webhooks') return { items: [endpoint()], nextCursor: null };
  if (c.method === 'GET' && c.path === '/v1/webhook-event-types')
    return { items: [{ type: 'user.created', summary: 'A user was created' }] };
  if (c.method === 'GET' && c.path.endsWith('/deliveries')) return { items: [delivery], nextCursor: null };
  if (c.method === 'POST' && c.path === '/v1/tenants/t1/webhooks')
    return { ...endpoint({ id: 'whk_2', url: 'https://erp.example.com/in' }), secret: 'whsec_bmV3LXNlY3JldA==' };
  if (c.path.endsWith('/rotate-secret'))
    return { secret: 'whsec_cm90YXRlZA==', previousSecretExpiresAt: '2026-11-30T10:00:00.000Z' };
  if (c.path.endsWith('/redeliver')) return { deliveryIds: ['50', '51'] };
  if (c.path.endsWith('/test')) return { deliveryIds: ['52'], messageId: 'msg_test' };
  return undefined;
}

function show() {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nProvider lang="en">
          <WebhooksPage />
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const ADMIN = ['webhooks:view', 'webhooks:create', 'webhooks:edit', 'webhooks:delete'];

beforeEach(() => {
  state.calls = [];
  state.answer = server;
  state.actor = actorFromCapabilities(ADMIN);
});
afterEach(cleanup);

describe('webhooks screen (W1)', () => {
  it('W1: a new endpoint takes URL, event types from the catalogue, description and enabled; its secret is shown once', async () => {
    show();
    await screen.findByText('https://crm.example.com/hooks');
    fireEvent.click(screen.getByRole('button', { name: 'New endpoint' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/URL/), { target: { value: 'https://erp.example.com/in' } });
    await waitFor(() => expect(state.calls.some((c) => c.path === '/v1/webhook-event-types')).toBe(true));
    fireEvent.change(within(dialog).getByLabelText('Description'), { target: { value: 'ERP' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create endpoint' }));
    const secret = await screen.findByTestId('webhook-secret');
    expect(secret.textContent).toBe('whsec_bmV3LXNlY3JldA==');
    expect(state.calls.find((c) => c.method === 'POST')?.body).toEqual({
      url: 'https://erp.example.com/in',
      events: [],
      description: 'ERP',
      enabled: true,
    });
    // Closed, it is gone for good: nothing else on the screen carries it.
    fireEvent.click(within(screen.getByTestId('webhook-secret-once')).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByTestId('webhook-secret')).toBeNull());
    expect(document.body.textContent).not.toContain('whsec_');
  });

  it('W1: rotating shows the new secret once and until when the old one keeps signing beside it', async () => {
    show();
    await screen.findByText('https://crm.example.com/hooks');
    fireEvent.click(screen.getByRole('button', { name: 'Rotate secret' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/two signatures/)).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Overlap (hours)'), { target: { value: '2' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));
    expect((await screen.findByTestId('webhook-secret')).textContent).toBe('whsec_cm90YXRlZA==');
    expect(screen.getByTestId('webhook-overlap').textContent).toMatch(/keeps signing beside the new one until/);
    const call = state.calls.find((c) => c.path.endsWith('/rotate-secret'));
    expect(call).toMatchObject({ path: '/v1/tenants/t1/webhooks/whk_1/rotate-secret', body: { overlapSeconds: 7200 } });
  });

  it('W1: the delivery log shows every attempt (status, latency, answer, error); one message or every failure since a time is redelivered', async () => {
    show();
    await screen.findByText('https://crm.example.com/hooks');
    fireEvent.click(screen.getByRole('button', { name: 'Delivery log' }));
    const row = await screen.findByTestId('delivery-row');
    expect(row.getAttribute('data-status')).toBe('failed');
    fireEvent.click(within(row).getByRole('button', { name: /Show attempts/ }));
    const attempts = await screen.findAllByTestId('attempt-row');
    expect(attempts.map((a) => a.textContent)).toEqual([
      expect.stringMatching(/500.*37 ms.*upstream broke.*answered 500/),
      expect.stringMatching(/no answer.*15000 ms.*timed out/),
    ]);
    fireEvent.click(within(row).getByRole('button', { name: 'Redeliver' }));
    await waitFor(() =>
      expect(state.calls.some((c) => c.path === '/v1/tenants/t1/webhooks/whk_1/deliveries/41/redeliver')).toBe(true),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Redeliver failed' }));
    await waitFor(() =>
      expect(screen.getByTestId('webhook-queued').textContent).toBe('2 messages queued for delivery.'),
    );
    const since = state.calls.find((c) => c.path === '/v1/tenants/t1/webhooks/whk_1/redeliver')?.body as {
      since: string;
    };
    expect(Date.now() - Date.parse(since.since)).toBeGreaterThan(23 * 3600 * 1000);
  });

  it('W1: a test event and disabling go to the endpoint (disabling with its version)', async () => {
    show();
    await screen.findByText('https://crm.example.com/hooks');
    fireEvent.click(screen.getByRole('button', { name: 'Send test event' }));
    expect((await screen.findByTestId('webhook-test-queued')).textContent).toContain('msg_test');
    fireEvent.click(screen.getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(state.calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(state.calls.find((c) => c.method === 'PATCH')).toMatchObject({
      path: '/v1/tenants/t1/webhooks/whk_1',
      body: { enabled: false },
      ifMatch: 3,
    });
  });

  it('W1: with webhooks:view only, the log is readable but no action is offered', async () => {
    state.actor = actorFromCapabilities(['webhooks:view']);
    show();
    await screen.findByText('https://crm.example.com/hooks');
    for (const name of ['New endpoint', 'Send test event', 'Rotate secret', 'Disable', 'Delete'])
      expect(screen.queryByRole('button', { name })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Delivery log' }));
    await screen.findByTestId('delivery-row');
    expect(screen.queryByRole('button', { name: 'Redeliver' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Redeliver failed' })).toBeNull();
  });

  it('W1: a refused URL is shown with the problem alert, naming the rule', async () => {
    state.answer = (c) => {
      if (c.method === 'POST' && c.path === '/v1/tenants/t1/webhooks')
        throw new ApiError({
          status: 400,
          code: 'validation_failed',
          rule: 'W1',
          field: '/url',
          detail: 'webhooks may not go to private, loopback or link-local addresses',
        });
      return server(c);
    };
    show();
    await screen.findByText('https://crm.example.com/hooks');
    fireEvent.click(screen.getByRole('button', { name: 'New endpoint' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/URL/), { target: { value: 'http://10.0.0.1/hook' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create endpoint' }));
    const problem = await within(dialog).findByTestId('problem');
    expect(problem.getAttribute('data-rule')).toBe('W1');
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
  });
});
