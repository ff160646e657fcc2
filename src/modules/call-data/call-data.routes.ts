import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import {
  AgentEventBatch,
  CallDataSettings,
  CallDataSettingsPatch,
  CallRecordBatch,
  IngestResult,
} from './call-data.schemas.js';
import type { CallDataService } from './call-data.service.js';

/** 10,000 call records with participants and recordings are a few megabytes of JSON. */
const BATCH_BODY_LIMIT = 64 * 1024 * 1024;

export function registerCallDataRoutes(app: Api, calls: CallDataService): void {
  app.post(
    '/v1/tenants/:t/platform/call-records',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        tags: ['Call data'],
        summary:
          'Ingest up to 10,000 call records (platform token); each is modelled for the participants who held Essential at the time, idempotent by the record id',
        params: TenantParams,
        body: CallRecordBatch,
        response: { 200: IngestResult, ...errorResponses },
      },
    },
    async (req) => calls.ingestCalls(contextOf(req), req.params.t, req.body.records),
  );
  app.post(
    '/v1/tenants/:t/platform/agent-events',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        tags: ['Call data'],
        summary:
          'Ingest up to 10,000 ACD agent events (platform token); stored for users who held the Agent add-on at the time, idempotent by the event id',
        params: TenantParams,
        body: AgentEventBatch,
        response: { 200: IngestResult, ...errorResponses },
      },
    },
    async (req) => calls.ingestAgentEvents(contextOf(req), req.params.t, req.body.records),
  );
  app.get(
    '/v1/tenants/:t/call-data/settings',
    {
      schema: {
        tags: ['Call data'],
        summary: 'Call data retention (days) and the bound the provider set',
        params: TenantParams,
        response: { 200: CallDataSettings, ...errorResponses },
      },
    },
    async (req) => calls.settings(contextOf(req), req.params.t),
  );
  app.patch(
    '/v1/tenants/:t/call-data/settings',
    {
      schema: {
        tags: ['Call data'],
        summary: 'Set the retention (settings:edit, within the bound); the bound is the provider’s (C8)',
        params: TenantParams,
        body: CallDataSettingsPatch,
        response: { 200: CallDataSettings, ...errorResponses },
      },
    },
    async (req) => calls.updateSettings(contextOf(req), req.params.t, req.body),
  );
}
