import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import {
  AgentReport,
  CallListQuery,
  CallReport,
  CallReportQuery,
  Dashboard,
  DashboardQuery,
  PeriodQuery,
  QueueReport,
  StoredCallPage,
  Wallboard,
  WallboardQuery,
} from './reports.schemas.js';
import type { ReportsService } from './reports.service.js';

function sendCsv(reply: FastifyReply, name: string, body: Readable) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(body);
}

export function registerReportRoutes(app: Api, reports: ReportsService): void {
  app.get(
    '/v1/tenants/:t/reports/calls',
    {
      schema: {
        tags: ['Reports'],
        summary:
          'Calls of a period by user, group, queue, hour or day with filters and totals (reports:view, Report Supervisor and up, G15); ?format=csv',
        params: TenantParams,
        querystring: CallReportQuery,
        response: { 200: CallReport, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (req.query.format === 'csv')
        return sendCsv(
          reply,
          `calls-by-${req.query.by}`,
          await reports.callsCsv(contextOf(req), req.params.t, req.query),
        );
      return reports.calls(contextOf(req), req.params.t, req.query);
    },
  );
  app.get(
    '/v1/tenants/:t/reports/calls/records',
    {
      schema: {
        tags: ['Reports'],
        summary: 'The calls behind a report, newest first (reports:view); ?format=csv streams every one',
        params: TenantParams,
        querystring: CallListQuery,
        response: { 200: StoredCallPage, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (req.query.format === 'csv')
        return sendCsv(reply, 'calls', await reports.listCallsCsv(contextOf(req), req.params.t, req.query));
      return reports.listCalls(contextOf(req), req.params.t, req.query);
    },
  );
  app.get(
    '/v1/tenants/:t/reports/agents',
    {
      schema: {
        tags: ['Reports'],
        summary:
          'Per agent: calls offered, answered, missed; time per state and pause reason (cc_data:view, Contact Center Supervisor)',
        params: TenantParams,
        querystring: PeriodQuery,
        response: { 200: AgentReport, ...errorResponses },
      },
    },
    async (req) => reports.agents(contextOf(req), req.params.t, req.query),
  );
  app.get(
    '/v1/tenants/:t/reports/queues',
    {
      schema: {
        tags: ['Reports'],
        summary:
          'Per queue: offered, answered, abandoned, missed, service level (cc_data:view, Contact Center Supervisor)',
        params: TenantParams,
        querystring: PeriodQuery,
        response: { 200: QueueReport, ...errorResponses },
      },
    },
    async (req) => reports.queues(contextOf(req), req.params.t, req.query),
  );
  app.get(
    '/v1/tenants/:t/dashboards/calls',
    {
      schema: {
        tags: ['Reports'],
        summary:
          'Dashboard charts of a period: calls per hour, answer rate, by group, by queue (dashboards:view, Analytics Supervisor and up)',
        params: TenantParams,
        querystring: DashboardQuery,
        response: { 200: Dashboard, ...errorResponses },
      },
    },
    async (req) => reports.dashboard(contextOf(req), req.params.t, req.query),
  );
  app.get(
    '/v1/tenants/:t/wallboard',
    {
      schema: {
        tags: ['Reports'],
        summary: "Wallboard numbers: today's calls (wallboards:view, Analytics Supervisor and up)",
        params: TenantParams,
        querystring: WallboardQuery,
        response: { 200: Wallboard, ...errorResponses },
      },
    },
    async (req) => reports.wallboard(contextOf(req), req.params.t, req.query.tz),
  );
}
