import { CAPABILITY_BY_ID } from '../../catalog/capabilities.js';
import type { RequestContext } from '../../infra/context.js';
import { AppError } from '../../infra/errors.js';
import type { AccessService } from '../access/access.service.js';
import type { CheckBody } from '../access/access.schemas.js';
import type { Explained } from '../snapshot/tenant-snapshot.js';
import type { Decision as CheckDecision } from '../../access/types.js';
import type { Decision, EvaluationRequest, EvaluationsRequest } from './authzen.schemas.js';

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

  /**
   * The answer to an evaluations request as its JSON text (the wire form), as `POST …/check` writes
   * its own: each decision's text is written once per distinct explanation the snapshot remembers,
   * so a batch of 1,000 is one join, not 1,000 objects serialised one by one.
   */
  async evaluationsJson(ctx: RequestContext, request: EvaluationsRequest): Promise<string> {
    const items = request.evaluations ?? [];
    // No evaluations array (or an empty one): the request is a single evaluation, answered as one.
    if (items.length === 0) {
      const single = complete(request, {}, '/');
      return JSON.stringify(
        await this.evaluate(ctx, { ...single, ...(request.context && { context: request.context }) }),
      );
    }
    const evaluations = items.map((item, i) => complete(request, item, `/evaluations/${i}`));
    const tenantId = tenantOf(ctx);
    const mapped = evaluations.map((e) => toCheck(e, tenantId));
    const checks = mapped.filter((m): m is Check => !('decision' in m));
    const decided = checks.length > 0 ? await this.access.decide(ctx, tenantId, { checks, explain: true }) : null;
    // Short-circuit semantics: the answers up to and including the first deny (`&&`) or permit (`||`).
    const semantic = request.options?.evaluations_semantic ?? 'execute_all';
    const stopAt = semantic === 'execute_all' ? null : semantic === 'permit_on_first_permit';
    const parts: string[] = [];
    let next = 0;
    for (const m of mapped) {
      let allowed: boolean;
      if ('decision' in m) {
        allowed = m.decision;
        parts.push(JSON.stringify(m));
      } else {
        const i = next++;
        allowed = decided!.allowed[i] === 1;
        parts.push(decisionText(decided!.reasons![i]!, allowed));
      }
      if (allowed === stopAt) break;
    }
    return `{"evaluations":[${parts.join(',')}]}`;
  }

  /** Maps each evaluation to a check, asks them all in one call, and answers each in order. */
  private async decide(ctx: RequestContext, evaluations: Evaluation[]): Promise<Decision[]> {
    const tenantId = tenantOf(ctx);
    const mapped = evaluations.map((e) => toCheck(e, tenantId));
    const checks = mapped.filter((m): m is Check => !('decision' in m));
    const results = checks.length > 0 ? (await this.access.check(ctx, tenantId, { checks })).results : [];
    let next = 0;
    return mapped.map((m) => ('decision' in m ? m : asDecision(results[next++]!)));
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

/** AuthZEN texts of the snapshot's remembered explanations (shared by users with the same reasons). */
const texts = new WeakMap<Explained, string>();

/** A decision as the AuthZEN wire form: `{"decision":…,"context":{"grantedBy":[…],"blockedBy":[…]}}`. */
function decisionText(explained: Explained, allowed: boolean): string {
  const d = explained.decision;
  // The bitsets' decision is the answer; were the explanation ever to differ, its reasons still go along.
  if (d.allowed !== allowed) return JSON.stringify(asDecision({ ...d, allowed }));
  let text = texts.get(explained);
  if (text === undefined) texts.set(explained, (text = JSON.stringify(asDecision(d))));
  return text;
}

function asDecision(d: CheckDecision): Decision {
  return { decision: d.allowed, context: { grantedBy: d.grantedBy, blockedBy: d.blockedBy } };
}
