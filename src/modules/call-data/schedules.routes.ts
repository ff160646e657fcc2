import { Type } from '@sinclair/typebox';
import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { Cursor, errorResponses, Limit, TenantItemParams, TenantParams } from '../../http/common-schemas.js';
import {
  ReportSchedule,
  ReportScheduleInput,
  ReportSchedulePage,
  ReportSchedulePatch,
  ReportScheduleSent,
} from './schedules.schemas.js';
import type { ReportSchedulesService } from './schedules.service.js';

const BASE = '/v1/tenants/:t/reports/schedules';
const tags = ['Reports'];

/** Report schedules (CD3): saved call reports mailed as CSV (reports:view, Report Supervisor and up). */
export function registerScheduleRoutes(app: Api, schedules: ReportSchedulesService): void {
  app.get(
    BASE,
    {
      schema: {
        tags,
        summary: 'Report schedules: your own (the provider sees all) (reports:view, Report Supervisor and up, G15)',
        params: TenantParams,
        querystring: Type.Object({ cursor: Cursor, limit: Limit }, { additionalProperties: false }),
        response: { 200: ReportSchedulePage, ...errorResponses },
      },
    },
    async (req) => schedules.list(contextOf(req), req.params.t, req.query),
  );
  app.post(
    BASE,
    {
      schema: {
        tags,
        summary:
          'Schedule a call report mailed as CSV daily, weekly or monthly at a time of day in a time zone (reports:view); audited',
        params: TenantParams,
        body: ReportScheduleInput,
        response: { 201: ReportSchedule, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await schedules.create(contextOf(req), req.params.t, req.body)),
  );
  app.get(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'One report schedule (yours; the provider any)',
        params: TenantItemParams,
        response: { 200: ReportSchedule, ...errorResponses },
      },
    },
    async (req) => schedules.get(contextOf(req), req.params.t, req.params.id),
  );
  app.patch(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Change a report schedule (the next run is computed again); If-Match for concurrency (E3); audited',
        params: TenantItemParams,
        body: ReportSchedulePatch,
        response: { 200: ReportSchedule, ...errorResponses },
      },
    },
    async (req) => schedules.patch(contextOf(req), req.params.t, req.params.id, req.body, req.headers['if-match']),
  );
  app.delete(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a report schedule; audited',
        params: TenantItemParams,
        response: { 204: { type: 'null' } as const, ...errorResponses },
      },
    },
    async (req, reply) => {
      await schedules.remove(contextOf(req), req.params.t, req.params.id, req.headers['if-match']);
      return reply.status(204).send();
    },
  );
  app.post(
    `${BASE}/:id/send`,
    {
      schema: {
        tags,
        summary:
          'Send now: mail the report of the period before today to the recipients (through the outbox), the next run unchanged; audited',
        params: TenantItemParams,
        response: { 202: ReportScheduleSent, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(202).send(await schedules.sendNow(contextOf(req), req.params.t, req.params.id)),
  );
}
