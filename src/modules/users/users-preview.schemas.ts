import { Type, type Static } from '@sinclair/typebox';
import { BillableKeySchema } from '../../http/common-schemas.js';
import { User } from './users.schemas.js';

/** The access state of a user after a proposed change (what the rules decided on). */
const PreviewUser = Type.Pick(User, [
  'source',
  'status',
  'email',
  'licences',
  'supervisorLevel',
  'permissions',
  'recordingScope',
  'ucClient',
  'groups',
  'primaryGroup',
  'workspaces',
  'contactCenter',
  'profile',
  'features',
  'preferences',
]);

const Violation = Type.Object({
  code: Type.String(),
  rule: Type.Optional(Type.String()),
  field: Type.String(),
  detail: Type.String(),
});

export const ChangePreview = Type.Object(
  {
    allowed: Type.Boolean({ description: 'the change would be saved (no violation)' }),
    user: Type.Union([PreviewUser, Type.Null()], {
      description: 'the user after the change, automatic assignment applied; null when a refusal came first',
    }),
    automatic: Type.Array(
      Type.Object({
        rule: Type.Union([Type.Literal('A1'), Type.Literal('A2'), Type.Literal('A4')]),
        field: Type.String(),
        value: Type.Union([Type.String(), Type.Null()]),
        because: Type.Optional(Type.Array(Type.String())),
      }),
      { description: 'what automatic assignment adds to (or clears from) the change' },
    ),
    billable: Type.Object(
      { added: Type.Array(BillableKeySchema), removed: Type.Array(BillableKeySchema) },
      { description: 'billable items the change adds and removes (B1)' },
    ),
    violations: Type.Array(Violation, {
      description: 'every rule the change breaks, in the order a save reports them',
    }),
  },
  { $id: 'ChangePreview' },
);
export type ChangePreview = Static<typeof ChangePreview>;
