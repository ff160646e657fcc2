/**
 * The call-data API the portal's reports, dashboard, wallboard, live statistics and recordings screens
 * use (CD3, CD4): typed requests over the SDK's HTTP core, their query keys, and the link of the
 * streamed CSV export.
 */
import { buildUrl, type Page, type SwitchboardClient } from '../../../client/index.js';
import type {
  AgentReport,
  CallFilters,
  CallReport,
  CallReportQuery,
  Dashboard,
  LiveSnapshot,
  Playback,
  QueueReport,
  Recording,
  StoredCall,
  Wallboard,
} from '../../../src/contract/index.js';

export type { AgentReport, CallReport, Dashboard, LiveSnapshot, QueueReport, Recording, StoredCall, Wallboard };

/** A report's period and filters as the screens hold them (the API's query minus the output format). */
export type ReportFilters = Omit<CallFilters, 'format'>;
export type ReportQuery = Omit<CallReportQuery, 'format'>;
export interface Period {
  from: string;
  to: string;
}

export interface AgentStateRequest {
  state: 'available' | 'paused' | 'logged_out';
  reason?: string;
  queue?: string;
}

const tenantPath = (t: string) => `/v1/tenants/${encodeURIComponent(t)}`;

export const callDataKeys = {
  report: (t: string, q: ReportQuery) => ['call-data', t, 'report', q] as const,
  calls: (t: string, q: ReportFilters) => ['call-data', t, 'calls', q] as const,
  agents: (t: string, p: Period) => ['call-data', t, 'agents', p] as const,
  queues: (t: string, p: Period & { serviceLevelSeconds?: number }) => ['call-data', t, 'queues', p] as const,
  dashboard: (t: string, p: Period) => ['call-data', t, 'dashboard', p] as const,
  wallboard: (t: string) => ['call-data', t, 'wallboard'] as const,
  live: (t: string) => ['call-data', t, 'live'] as const,
  recordings: (t: string, p: Period) => ['call-data', t, 'recordings', p] as const,
};

/** The call-data requests of one client. */
export function callDataApi(client: SwitchboardClient) {
  const { http } = client;
  return {
    report: (t: string, query: ReportQuery) =>
      http.request<CallReport>('GET', `${tenantPath(t)}/reports/calls`, { query: { ...query } }),
    calls: (t: string, query: ReportFilters & { cursor?: string | null; limit?: number }) =>
      http.request<Page<StoredCall>>('GET', `${tenantPath(t)}/reports/calls/records`, { query: { ...query } }),
    agents: (t: string, period: Period) =>
      http.request<AgentReport>('GET', `${tenantPath(t)}/reports/agents`, { query: { ...period } }),
    queues: (t: string, period: Period & { serviceLevelSeconds?: number }) =>
      http.request<QueueReport>('GET', `${tenantPath(t)}/reports/queues`, { query: { ...period } }),
    dashboard: (t: string, period: Period & { tz?: string }) =>
      http.request<Dashboard>('GET', `${tenantPath(t)}/dashboards/calls`, { query: { ...period } }),
    wallboard: (t: string, tz?: string) =>
      http.request<Wallboard>('GET', `${tenantPath(t)}/wallboard`, { query: { tz } }),
    live: (t: string) => http.request<LiveSnapshot>('GET', `${tenantPath(t)}/live`),
    recordings: (t: string, query: Period & { cursor?: string | null; limit?: number }) =>
      http.request<Page<Recording>>('GET', `${tenantPath(t)}/recordings`, { query: { ...query } }),
    /** Supervisor Agent Control (CD5): a request to the phone system, on the supervisor's queues only (G11). */
    requestAgentState: (t: string, userId: string, body: AgentStateRequest) =>
      http.request<{ type: string; requested: true }>(
        'POST',
        `${tenantPath(t)}/agents/${encodeURIComponent(userId)}/state-requests`,
        { body },
      ),
    playback: (t: string, recordingId: string) =>
      http.request<Playback>('POST', `${tenantPath(t)}/recordings/${encodeURIComponent(recordingId)}/playback`, {
        body: {},
      }),
  };
}

/**
 * The address of a report's streamed CSV export (`format=csv`): a cookie session downloads it by a plain
 * link, so the browser streams it to disk instead of holding it in memory.
 */
export function reportCsvUrl(t: string, query: ReportQuery, what: 'report' | 'calls'): string {
  const path = `${tenantPath(t)}/reports/calls${what === 'calls' ? '/records' : ''}`;
  const { by, tz, ...filters } = query;
  return buildUrl('', path, what === 'calls' ? { ...filters, format: 'csv' } : { ...filters, by, tz, format: 'csv' });
}

/** The address of the live statistics WebSocket of the page's own origin (opened with a ticket, `ticket-link.ts`). */
export function liveStreamUrl(t: string, origin = window.location.origin): string {
  return buildUrl(origin.replace(/^http/, 'ws'), `${tenantPath(t)}/live/stream`);
}
