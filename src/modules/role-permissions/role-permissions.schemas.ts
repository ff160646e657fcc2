import { Type, type Static } from '@sinclair/typebox';

const B = Type.Boolean();
export const RolePermissionsBody = Type.Object(
  {
    organisation: Type.Object({ agentsMayJoinUnassignedQueues: B }, { additionalProperties: false }),
    supervisor: Type.Object(
      {
        configPortal: B,
        restrictToAssignedQueues: B,
        viewQueueSettings: Type.Boolean({ description: 'always on; cannot be turned off' }),
        manageQueueSettings: B,
        viewPauseReasons: B,
        managePauseReasons: B,
        viewSkills: B,
        manageSkills: B,
      },
      { additionalProperties: false },
    ),
    agent: Type.Object(
      { managePrerecordedMessages: B, manageCannedMessages: B, createCustomTags: B, callDispositions: B },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: 'RolePermissions' },
);
export const RolePermissionsAnswer = Type.Intersect([RolePermissionsBody, Type.Object({ version: Type.Integer() })]);
/** The role permissions with the tenant version they were read or written at (the ETag). */
export type RolePermissionsAnswer = Static<typeof RolePermissionsBody> & { version: number };
