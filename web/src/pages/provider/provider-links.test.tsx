/**
 * The provider's links and WebSockets (D1): its token lives in the portal's memory only, so the usage
 * CSV link and the live statistics socket are opened with a single-use ticket for that one path,
 * asked for with the token. The SDK is real; fetch and WebSocket are stubbed. test/api/resource-tickets.test.ts
 * holds the server to it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import type { ReactNode } from 'react';
import { createClient } from '../../../../client/index.js';
import { I18nProvider } from '../../i18n/index.js';

const PROVIDER_TOKEN = 'provider-secret';
let requests: Array<{ url: string; method: string; body: unknown; authorization: string | null }> = [];
let tickets = 0;

function answer(url: string, method: string): unknown {
  if (method === 'POST' && url === '/v1/stream/tickets') return { ticket: `sbu_t${++tickets}`, expiresAt: '' };
  if (url.startsWith('/v1/tenants?')) return { items: [], nextCursor: null };
  if (url === '/v1/plans') return { items: [] };
  if (url === '/v1/tenants/t1/live') return { at: '', queues: [], totals: {}, agents: null };
  if (url.startsWith('/v1/tenants/t1/reports/calls?')) return { by: 'user', rows: [], totals: {} };
  throw new Error(`unexpected ${method} ${url}`);
}

const client = createClient({ baseUrl: '', auth: { kind: 'bearer', token: PROVIDER_TOKEN } });
vi.mock('../../session.js', () => ({
  useSession: () => ({ client, session: { kind: 'provider', tenantId: 't1', providerToken: PROVIDER_TOKEN } }),
}));

/** A WebSocket the test drives: it records its address and delivers what the test sends. */
class FakeSocket {
  static opened: FakeSocket[] = [];
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  close() {
    this.closed = true;
  }
}

beforeEach(() => {
  requests = [];
  tickets = 0;
  FakeSocket.opened = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const headers = new Headers(init.headers);
      const body = typeof init.body === 'string' && init.body ? (JSON.parse(init.body) as unknown) : undefined;
      requests.push({ url, method, body, authorization: headers.get('authorization') });
      return Promise.resolve(
        new Response(JSON.stringify(answer(url, method)), {
          status: method === 'POST' ? 201 : 200,
          headers: { 'content-type': 'application/json' },
        }),
      );
    }),
  );
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const ticketRequests = () => requests.filter((r) => r.url === '/v1/stream/tickets');

function show(node: ReactNode) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nProvider lang="en">
          <MemoryRouter>{node}</MemoryRouter>
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

/** The addresses of the links the page clicks (the browser would open them). */
function openedLinks(): string[] {
  const opened: string[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    opened.push(this.href);
  });
  return opened;
}

describe("the provider's links and streams (D1)", () => {
  it('Usage CSV opens /v1/usage?format=csv through a plain link with a ticket for that path, asked with the token', async () => {
    const { TenantsPage } = await import('./tenants-page.js');
    const opened = openedLinks();
    show(<TenantsPage />);
    fireEvent.click(await screen.findByTestId('usage-csv'));
    await waitFor(() => expect(opened).toEqual([`${window.location.origin}/v1/usage?format=csv&ticket=sbu_t1`]));
    expect(ticketRequests()).toEqual([
      {
        url: '/v1/stream/tickets',
        method: 'POST',
        body: { resource: '/v1/usage' },
        authorization: `Bearer ${PROVIDER_TOKEN}`,
      },
    ]);
  });

  it("a calls report's CSV exports open with a ticket for their path, keeping the report's filters", async () => {
    const { CallsReport } = await import('../call-data/calls-report.js');
    const opened = openedLinks();
    show(<CallsReport />);
    const link = await screen.findByTestId('export-calls');
    const plain = new URL(link.getAttribute('href')!, window.location.origin);
    fireEvent.click(link);
    await waitFor(() => expect(opened).toHaveLength(1));
    const url = new URL(opened[0]!);
    expect(url.pathname).toBe('/v1/tenants/t1/reports/calls/records');
    expect(url.searchParams.get('ticket')).toBe('sbu_t1');
    expect(url.searchParams.get('format')).toBe('csv');
    url.searchParams.delete('ticket');
    expect(url.toString()).toBe(plain.toString());
    expect(ticketRequests()[0]).toMatchObject({ body: { resource: '/v1/tenants/t1/reports/calls/records' } });
  });

  it('live statistics stream over a WebSocket opened with a ticket for that tenant’s socket, instead of polling', async () => {
    const { useLiveStatistics } = await import('../call-data/use-live-statistics.js');
    const { result, unmount } = renderHook(() => useLiveStatistics());
    await waitFor(() => expect(FakeSocket.opened).toHaveLength(1));
    const socket = FakeSocket.opened[0]!;
    expect(socket.url).toBe(`ws://${window.location.host}/v1/tenants/t1/live/stream?ticket=sbu_t1`);
    expect(ticketRequests()[0]).toMatchObject({
      body: { resource: '/v1/tenants/t1/live/stream' },
      authorization: `Bearer ${PROVIDER_TOKEN}`,
    });
    const snapshot = { at: '2026-12-02T10:00:00.000Z', queues: [], totals: { waiting: 2 }, agents: null };
    act(() => socket.onmessage!({ data: JSON.stringify({ type: 'live', ...snapshot }) }));
    expect(result.current.transport).toBe('stream');
    expect(result.current.snapshot).toEqual(snapshot);
    expect(requests.some((r) => r.url === '/v1/tenants/t1/live')).toBe(false);
    unmount();
    expect(socket.closed).toBe(true);
  });
});
