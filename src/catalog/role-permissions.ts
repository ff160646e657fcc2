import type { Capability } from './capabilities.js';

/** Contact-center role permissions (seed 001, SPEC 5): configured per role for the whole tenant. */
export interface RolePermissions {
  organisation: { agentsMayJoinUnassignedQueues: boolean };
  supervisor: {
    configPortal: boolean;
    restrictToAssignedQueues: boolean;
    viewQueueSettings: boolean;
    manageQueueSettings: boolean;
    viewPauseReasons: boolean;
    managePauseReasons: boolean;
    viewSkills: boolean;
    manageSkills: boolean;
  };
  agent: {
    managePrerecordedMessages: boolean;
    manageCannedMessages: boolean;
    createCustomTags: boolean;
    callDispositions: boolean;
  };
}

export const DEFAULT_ROLE_PERMISSIONS: RolePermissions = {
  organisation: { agentsMayJoinUnassignedQueues: false },
  supervisor: {
    configPortal: false,
    restrictToAssignedQueues: true,
    viewQueueSettings: true,
    manageQueueSettings: false,
    viewPauseReasons: false,
    managePauseReasons: false,
    viewSkills: false,
    manageSkills: false,
  },
  agent: {
    managePrerecordedMessages: false,
    manageCannedMessages: false,
    createCustomTags: false,
    callDispositions: false,
  },
};

/** Settings that cannot be turned off (`viewQueueSettings`, SPEC 5). */
export const LOCKED_ROLE_PERMISSIONS = [['supervisor', 'viewQueueSettings']] as const;

/** Tenant-wide app capabilities a supervisor (of any queue) gets from each supervisor setting. */
export const SUPERVISOR_SETTING_CAPABILITIES: Readonly<
  Partial<Record<keyof RolePermissions['supervisor'], Capability>>
> = {
  configPortal: 'cc:config_portal',
  viewPauseReasons: 'pause_reasons:view',
  managePauseReasons: 'pause_reasons:edit',
  viewSkills: 'skills:view',
  manageSkills: 'skills:edit',
};

/** Tenant-wide app capabilities an agent (of any queue) gets from each agent setting. */
export const AGENT_SETTING_CAPABILITIES: Readonly<Partial<Record<keyof RolePermissions['agent'], Capability>>> = {
  managePrerecordedMessages: 'prerecorded_messages:edit',
  manageCannedMessages: 'canned_messages:edit',
  createCustomTags: 'tags:create',
};
