import { Type, type Static } from '@sinclair/typebox';
import { isObject, within, withQuickCheck } from '../../http/quick-check.js';

/**
 * OpenID AuthZEN Authorization API 1.0 shapes (information model: subject, action, resource,
 * context; decision). Entities may carry members this PDP does not read (`properties`, …): the
 * specification lets a PEP send them, so they are accepted and ignored.
 */
const open = { additionalProperties: true } as const;

export const Subject = Type.Object(
  { type: Type.String({ minLength: 1, maxLength: 100 }), id: Type.String({ minLength: 1, maxLength: 200 }) },
  open,
);
export const Action = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, open);
export const Resource = Type.Object(
  { type: Type.String({ minLength: 1, maxLength: 100 }), id: Type.String({ minLength: 1, maxLength: 200 }) },
  open,
);
const Context = Type.Record(Type.String(), Type.Unknown());

export const EvaluationRequest = Type.Object(
  { subject: Subject, action: Action, resource: Resource, context: Type.Optional(Context) },
  { ...open, $id: 'AuthzenEvaluationRequest' },
);
export type EvaluationRequest = Static<typeof EvaluationRequest>;

export const SEMANTICS = ['execute_all', 'deny_on_first_deny', 'permit_on_first_permit'] as const;

const Item = Type.Object(
  {
    subject: Type.Optional(Subject),
    action: Type.Optional(Action),
    resource: Type.Optional(Resource),
    context: Type.Optional(Context),
  },
  open,
);

export const EvaluationsRequest = withQuickCheck(
  Type.Object(
    {
      subject: Type.Optional(Subject),
      action: Type.Optional(Action),
      resource: Type.Optional(Resource),
      context: Type.Optional(Context),
      evaluations: Type.Optional(Type.Array(Item, { maxItems: 1000 })),
      options: Type.Optional(
        Type.Object({ evaluations_semantic: Type.Optional(Type.Union(SEMANTICS.map((s) => Type.Literal(s)))) }, open),
      ),
    },
    { ...open, $id: 'AuthzenEvaluationsRequest' },
  ),
  isPlainEvaluationsBody,
);
export type EvaluationsRequest = Static<typeof EvaluationsRequest>;

/** An optional subject or resource: `{type, id}` within their bounds, other members free. */
const entityOrNone = (v: unknown): boolean =>
  v === undefined || (isObject(v) && within(v.type, 1, 100) && within(v.id, 1, 200));
const actionOrNone = (v: unknown): boolean => v === undefined || (isObject(v) && within(v.name, 1, 100));
const contextOrNone = (v: unknown): boolean => v === undefined || isObject(v);

/**
 * The fast path of `EvaluationsRequest` (a PEP's batch of 1,000 is checked in microseconds): true
 * only for a body the schema accepts; anything else, odd strings of surrogate pairs included, is
 * left to the schema, which answers the usual 400.
 */
export function isPlainEvaluationsBody(body: unknown): boolean {
  if (!isObject(body)) return false;
  const { subject, action, resource, context, evaluations, options } = body;
  if (!entityOrNone(subject) || !actionOrNone(action) || !entityOrNone(resource) || !contextOrNone(context))
    return false;
  if (options !== undefined) {
    if (!isObject(options)) return false;
    const semantic = options.evaluations_semantic;
    if (semantic !== undefined && !(SEMANTICS as readonly unknown[]).includes(semantic)) return false;
  }
  if (evaluations === undefined) return true;
  if (!Array.isArray(evaluations) || evaluations.length > 1000) return false;
  for (let i = 0; i < evaluations.length; i++) {
    const e: unknown = evaluations[i];
    if (!isObject(e)) return false;
    if (!entityOrNone(e.subject) || !actionOrNone(e.action) || !entityOrNone(e.resource) || !contextOrNone(e.context))
      return false;
  }
  return true;
}

export const Decision = Type.Object(
  {
    decision: Type.Boolean(),
    context: Type.Optional(
      Type.Object(
        {
          grantedBy: Type.Optional(Type.Array(Type.String())),
          blockedBy: Type.Optional(
            Type.Array(Type.Object({ rule: Type.String(), code: Type.String(), detail: Type.String() })),
          ),
          error: Type.Optional(Type.Object({ status: Type.Integer(), message: Type.String() })),
        },
        open,
      ),
    ),
  },
  { description: 'An AuthZEN decision; a deny is `decision: false` with its reasons in `context`' },
);
export type Decision = Static<typeof Decision>;

export const EvaluationsResponse = Type.Object(
  {
    decision: Type.Optional(Type.Boolean()),
    context: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    evaluations: Type.Optional(Type.Array(Decision)),
  },
  { $id: 'AuthzenEvaluationsResponse' },
);
export type EvaluationsResponse = Static<typeof EvaluationsResponse>;

export const PdpMetadata = Type.Object(
  {
    policy_decision_point: Type.String(),
    access_evaluation_endpoint: Type.String(),
    access_evaluations_endpoint: Type.String(),
  },
  { $id: 'AuthzenPdpMetadata' },
);
export type PdpMetadata = Static<typeof PdpMetadata>;
