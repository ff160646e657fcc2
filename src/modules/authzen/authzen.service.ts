import { CAPABILITY_BY_ID } from '../../catalog/capabilities.js';
import type { RequestContext } from '../../infra/context.js';
import { AppError } from '../../infra/errors.js';
import type { AccessService } from '../access/access.service.js';
import type { CheckBody } from '../access/access.schemas.js';
import type {
  Decision,
  EvaluationRequest,
  EvaluationsRequest,
  EvaluationsResponse,
  EvaluationsSemantic,
} from './authzen.schemas.js';

type Evaluation = Pick<EvaluationRequest, 'subject' | 'action' | 'resource'>;
type Check = CheckBody['checks'][number];

/** An evaluation this PDP cannot map to a check: a deny whose context says why (AuthZEN 1.0, 7.2.1). */
const errorDecision = (status: number, message: string): Decision => ({
  decision: false,
  context: { error: { status, message } },
});

/**
 * The OpenID AuthZEN Authorization API 1.0 over Switchboard's engine: an evaluation is a check
 * (`POST …/check`, the same service method), subject `{type: "user", id}`, action `{name: <capability>}`,
 * resource `{type: "queue", id}` or `{type: "tenant", id}`. Only an API token asks, and only about
 * its own tenant's users; the token's scopes decide whether it may ask about users other than its own.
 */
export class AuthzenService {
  constructor(private readonly access: AccessService) {}

  async evaluate(ctx: RequestContext, request: EvaluationRequest): Promise<Decision> {
    const [decision] = await this.decide(ctx, [request]);
    return decision!;
  }

  async evaluations(ctx: RequestContext, request: EvaluationsRequest): Promise<EvaluationsResponse> {
    const items = request.evaluations ?? [];
    // No evaluations array (or an empty one): the request is a single evaluation, answered as one.
    if (items.length === 0) {
      const single = complete(request, {}, '/');
      return this.evaluate(ctx, { ...single, ...(request.context && { context: request.context }) });
    }
    const evaluations = items.map((item, i) => complete(request, item, `/evaluations/${i}`));
    const semantic = request.options?.evaluations_semantic ?? 'execute_all';
    return { evaluations: truncate(await this.decide(ctx, evaluations), semantic) };
  }

  /** Maps each evaluation to a check, asks them all in one call, and answers each in order. */
  private async decide(ctx: RequestContext, evaluations: Evaluation[]): Promise<Decision[]> {
    const tenantId = tenantOf(ctx);
    const mapped = evaluations.map((e) => toCheck(e, tenantId));
    const checks = mapped.filter((m): m is Check => !('decision' in m));
    const results = checks.length > 0 ? (await this.access.check(ctx, tenantId, { checks })).results : [];
    let next = 0;
    return mapped.map((m) => {
      if ('decision' in m) return m;
      const r = results[next++]!;
      return { decision: r.allowed, context: { grantedBy: r.grantedBy, blockedBy: r.blockedBy } };
    });
  }
}

/** Only an API token is a PEP's credential here; its tenant is the one every subject must belong to. */
function tenantOf(ctx: RequestContext): string {
  const a = ctx.actor;
  if (a.kind !== 'user' || !a.credential.startsWith('api_token:'))
    throw new AppError('forbidden', 'the AuthZEN API answers API tokens (sbt_…) only', { rule: 'I5' });
  return a.tenantId;
}

/** Fills an evaluation's subject, action and resource from the request's defaults (AuthZEN 1.0, 7.1.1). */
function complete(defaults: EvaluationsRequest, item: Partial<Evaluation>, at: string): Evaluation {
  const subject = item.subject ?? defaults.subject;
  const action = item.action ?? defaults.action;
  const resource = item.resource ?? defaults.resource;
  const missing = !subject ? 'subject' : !action ? 'action' : !resource ? 'resource' : null;
  if (missing || !subject || !action || !resource)
    throw new AppError('validation_failed', `${at === '/' ? '' : at}/${missing} is required (here or as a default)`, {
      field: `${at === '/' ? '' : at}/${missing}`,
    });
  return { subject, action, resource };
}

function toCheck(e: Evaluation, tenantId: string): Check | Decision {
  if (e.subject.type !== 'user') return errorDecision(400, `subject type ${e.subject.type} is not known: use "user"`);
  const capability = e.action.name;
  const queueScoped = CAPABILITY_BY_ID.get(capability)?.surface === 'queue';
  const { type, id } = e.resource;
  if (type === 'queue') {
    if (!queueScoped && CAPABILITY_BY_ID.has(capability))
      return errorDecision(400, `${capability} is decided for the tenant: use resource {type: "tenant"}`);
    return { userId: e.subject.id, capability, resource: `queue:${id}` };
  }
  if (type === 'tenant') {
    // Another tenant answers as an unknown one (E4).
    if (id !== tenantId) return errorDecision(404, `tenant ${id} not found`);
    return { userId: e.subject.id, capability };
  }
  return errorDecision(400, `resource type ${type} is not known: use "queue" or "tenant"`);
}

/** Short-circuit semantics: the answers up to and including the first deny (`&&`) or permit (`||`). */
function truncate(decisions: Decision[], semantic: EvaluationsSemantic): Decision[] {
  if (semantic === 'execute_all') return decisions;
  const stopAt = semantic === 'deny_on_first_deny' ? false : true;
  const i = decisions.findIndex((d) => d.decision === stopAt);
  return i === -1 ? decisions : decisions.slice(0, i + 1);
}
