import { Type, type Static } from '@sinclair/typebox';

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
export type EvaluationsSemantic = (typeof SEMANTICS)[number];

const Item = Type.Object(
  {
    subject: Type.Optional(Subject),
    action: Type.Optional(Action),
    resource: Type.Optional(Resource),
    context: Type.Optional(Context),
  },
  open,
);

export const EvaluationsRequest = Type.Object(
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
);
export type EvaluationsRequest = Static<typeof EvaluationsRequest>;

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
