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

const Reason = Type.Object({ rule: Type.String(), code: Type.String(), detail: Type.String() });

const OptionState = Type.Object({
  disabled: Type.Boolean({ description: 'changing the option would break a rule' }),
  locked: Type.Boolean({ description: 'the option is on and may not be turned off' }),
  reasons: Type.Array(Reason, {
    description: "why it is disabled; when it is not, the draft's violations that turning it off clears",
  }),
});

const ContentLevel = Type.Object({
  capability: Type.String(),
  level: Type.String(),
  rule: Type.String(),
  code: Type.String(),
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
    options: Type.Record(Type.String(), OptionState, {
      description:
        'every option of the user editor (`permission:<p>`, `licence:<l>`, `channel:<c>`, `queue.agent`, `queue.supervisor`, `contactCenter.admin`, `ucClient.desktop`, `ucClient.softphone`, `softphone.device`, `softphone.client:<c>`, `features.recording`, `features.crmOverlay`, `features.dialRestriction`, `profile.superuser`, `recordingScope`, `status`) weighed by the change rules as if the admin changed it next: disabled with the rules it would break, locked when it is on and may not be turned off',
    }),
    contentLevels: Type.Array(ContentLevel, {
      description: "G15: billable content the user's profile bundles that the supervisor level does not sell yet",
    }),
  },
  { $id: 'ChangePreview' },
);
export type ChangePreview = Static<typeof ChangePreview>;
