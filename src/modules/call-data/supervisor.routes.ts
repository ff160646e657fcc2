import type { Api } from '../../http/types.js';
import { contextOf } from '../../http/authenticate.js';
import { errorResponses, TenantParams } from '../../http/common-schemas.js';
import { AgentParams, AgentStateRequest, MonitorRequest, SupervisorRequestAnswer } from './supervisor.schemas.js';
import type { SupervisorService } from './supervisor.service.js';

export function registerSupervisorRoutes(app: Api, supervisor: SupervisorService): void {
  app.post(
    '/v1/tenants/:t/agents/:id/state-requests',
    {
      schema: {
        tags: ['Reports'],
        summary:
          "Ask the phone system to change an agent's state (agent_state:edit, on the supervisor's queues, G11); audited, sent as the webhook event agent.state_change_requested (CD5)",
        params: AgentParams,
        body: AgentStateRequest,
        response: { 202: SupervisorRequestAnswer, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(202).send(await supervisor.requestAgentState(contextOf(req), req.params.t, req.params.id, req.body)),
  );
  app.post(
    '/v1/tenants/:t/monitor-requests',
    {
      schema: {
        tags: ['Reports'],
        summary:
          'Ask the phone system to listen, whisper, barge or steal a call in progress (live_calls:monitor, on the supervisor’s queues, G11; 404 when the call is not in progress); audited, sent as call.monitor_requested (CD5)',
        params: TenantParams,
        body: MonitorRequest,
        response: { 202: SupervisorRequestAnswer, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(202).send(await supervisor.requestMonitor(contextOf(req), req.params.t, req.body)),
  );
}
