import { Type } from '@sinclair/typebox';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import type { Api } from '../../http/types.js';
import { MAX_IMPORT_BYTES, type UsersCsvService } from './users-csv.service.js';
import { ImportJob, ImportJobParams, UsersExportQuery, UsersImportQuery } from './users-csv.schemas.js';

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

/** P3: the users CSV export and import (docs/csv.md). */
export function registerUsersCsvRoutes(app: Api, csv: UsersCsvService): void {
  const tags = ['Users'];
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'string', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  app.get(
    '/v1/tenants/:t/users/export',
    {
      schema: {
        tags,
        summary: "The users the list's filters select, as CSV (streamed; columns in docs/csv.md)",
        params: TenantParams,
        querystring: UsersExportQuery,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'text/csv' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const stream = await csv.exportUsers(contextOf(req), req.params.t, req.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="users.csv"')
        .send(stream as never);
    },
  );
  app.post(
    '/v1/tenants/:t/users/import',
    {
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags,
        summary:
          'Import users from CSV (text/csv): creates manual users, changes existing ones; dryRun checks every row and writes nothing. Answers 202 with a job to poll',
        params: TenantParams,
        querystring: UsersImportQuery,
        consumes: CSV_TYPES,
        body: Type.String({ description: 'the CSV file: a header row, then one user per row' }),
        response: { 202: ImportJob, ...errorResponses },
      },
    },
    async (req, reply) => {
      const job = await csv.startImport(contextOf(req), req.params.t, req.body, req.query);
      return reply.status(202).header('location', `/v1/tenants/${req.params.t}/users/import/${job.id}`).send(job);
    },
  );
  app.get(
    '/v1/tenants/:t/users/import/:job',
    {
      schema: {
        tags,
        summary: "An import's progress and, once done, its result with the per-row errors",
        params: ImportJobParams,
        response: { 200: ImportJob, ...errorResponses },
      },
    },
    async (req) => csv.job(contextOf(req), req.params.t, req.params.job),
  );
}
